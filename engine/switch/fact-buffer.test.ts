import { describe, expect, it } from 'vitest';
import type { SwitchFact } from '../ports/switch-port.ts';
import { FactBuffer } from './fact-buffer.ts';

const fact = (i: number, switchId = 's1'): SwitchFact => ({ kind: 'dtmf', switchId, factId: `f${i}`, at: i, legUuid: 'l', digit: '1' });

describe('FactBuffer', () => {
  it('hands facts over in order, to a waiting consumer too, and ends once closed and drained', async () => {
    const b = new FactBuffer({ capacity: 10 });
    const waiting = b.next();
    b.push(fact(1));
    b.push(fact(2));
    b.push(fact(3));
    b.close();
    expect((await waiting).value).toEqual(fact(1));
    expect((await b.next()).value).toEqual(fact(2));
    expect((await b.next()).value).toEqual(fact(3));
    expect((await b.next()).done).toBe(true);
  });

  it('never holds more than its capacity: the switch that overflows is reported once, its facts dropped until the queue drains', async () => {
    const overflows: string[] = [];
    const recovered: string[] = [];
    const b = new FactBuffer({ capacity: 4, onOverflow: (s) => overflows.push(s), onRecovered: (s) => recovered.push(s) });
    for (let i = 0; i < 10; i++) b.push(fact(i));
    expect(b.size).toBe(4);
    expect(b.dropped).toBe(6);
    expect(overflows).toEqual(['s1']);
    await b.next();
    expect(b.push(fact(20))).toBe(false); // still overflowing: not yet down to half
    expect(recovered).toEqual([]);
    await b.next();
    expect(recovered).toEqual(['s1']);
    await b.next();
    expect(b.push(fact(21))).toBe(true);
    expect(b.push(fact(22, 's2'))).toBe(true);
    expect(b.push(fact(23, 's2'), false)).toBe(true);
    expect(b.push(fact(24, 's2'))).toBe(false);
    expect(overflows).toEqual(['s1', 's2']);
    expect(b.push(fact(25), true)).toBe(true); // forced (reconcile facts)
    expect(b.size).toBe(5);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new FactBuffer({ capacity: 0 })).toThrow(RangeError);
  });
});
