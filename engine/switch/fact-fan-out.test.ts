import { describe, expect, it } from 'vitest';
import type { SwitchFact } from '../ports/switch-port.ts';
import { FakeSwitchPort } from '../test-support/fake-switch-port.ts';
import { FactFanOut } from './fact-fan-out.ts';

const fact = (n: number): SwitchFact => ({ kind: 'dtmf', switchId: 'sw', factId: `f${n}`, at: n, legUuid: 'leg', digit: String(n % 10) });

const iterators = new WeakMap<object, AsyncIterator<SwitchFact>>();
/** The next `count` facts of a consumer (one iterator per consumer: ending it would close the consumer). */
async function take(port: { facts(): AsyncIterable<SwitchFact> }, count: number): Promise<string[]> {
  let it = iterators.get(port);
  if (!it) iterators.set(port, (it = port.facts()[Symbol.asyncIterator]()));
  const out: string[] = [];
  while (out.length < count) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value.factId);
  }
  return out;
}

describe('FactFanOut', () => {
  it('gives every consumer every fact, in order, and passes commands to the port', async () => {
    const port = new FakeSwitchPort();
    const fan = new FactFanOut(port);
    const a = fan.consumer('a');
    const b = fan.consumer('b');
    fan.start();
    for (let i = 0; i < 50; i++) port.emit(fact(i));
    const expected = Array.from({ length: 50 }, (_, i) => `f${i}`);
    expect(await Promise.all([take(a, 50), take(b, 50)])).toEqual([expected, expected]);
    await b.kill({ switchId: 'sw', commandId: 'c1', legUuid: 'leg', cause: 'NORMAL_CLEARING' });
    expect(port.named('kill')).toHaveLength(1);
  });

  it('stops reading the port while a consumer lags beyond the high-water mark, and resumes once it drains', async () => {
    const port = new FakeSwitchPort();
    const fan = new FactFanOut(port, { highWater: 10 });
    const fast = fan.consumer('fast');
    const slow = fan.consumer('slow');
    fan.start();
    for (let i = 0; i < 40; i++) port.emit(fact(i));
    const got = await take(fast, 10);
    expect(got).toHaveLength(10);
    // The slow consumer holds 10: the fan-out stopped, so the fast one cannot run ahead of it without bound.
    expect(fan.backlog()['slow']).toBeLessThanOrEqual(10);
    const [all, rest] = await Promise.all([take(slow, 40), take(fast, 30)]);
    expect(all).toEqual(Array.from({ length: 40 }, (_, i) => `f${i}`));
    expect(rest).toEqual(Array.from({ length: 30 }, (_, i) => `f${i + 10}`));
  });

  it('ends every consumer when the port closes; a consumer that gives up no longer holds the others back', async () => {
    const port = new FakeSwitchPort();
    const fan = new FactFanOut(port, { highWater: 4 });
    const quitter = fan.consumer('quitter');
    const stayer = fan.consumer('stayer');
    fan.start();
    port.emit(fact(1));
    expect(await take(quitter, 1)).toEqual(['f1']);
    await iterators.get(quitter)!.return!();
    for (let i = 2; i < 30; i++) port.emit(fact(i));
    expect(await take(stayer, 29)).toHaveLength(29);
    port.close();
    await fan.done();
    expect(await take(stayer, 1)).toEqual([]);
  });
});
