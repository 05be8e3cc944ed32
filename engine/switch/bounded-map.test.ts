import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map.ts';

describe('BoundedMap', () => {
  it('keeps at most max entries, evicting the oldest; updating a key evicts nothing', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2).set('a', 3);
    expect([...m]).toEqual([['a', 3], ['b', 2]]);
    m.set('c', 4);
    expect([...m.keys()]).toEqual(['b', 'c']);
    expect(() => new BoundedMap(0)).toThrow(RangeError);
  });
});
