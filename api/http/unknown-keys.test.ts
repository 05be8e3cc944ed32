import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { unknownKeyPaths } from './unknown-keys.ts';

const schema = z.object({
  a: z.object({ b: z.int() }),
  list: z.array(z.object({ x: z.string() })).default([]),
  bag: z.record(z.string(), z.int()).optional(),
  kind: z.discriminatedUnion('k', [z.object({ k: z.literal('one'), v: z.int() }), z.object({ k: z.literal('two') })]).optional(),
});

const unknown = (input: unknown) => unknownKeyPaths(input, schema.parse(input));

describe('unknownKeyPaths', () => {
  it('finds nothing when every key is known, defaults and records included', () => {
    expect(unknown({ a: { b: 1 }, bag: { anything: 2 } })).toEqual([]);
  });

  it('finds unknown keys at the top, nested, inside arrays and inside union branches', () => {
    expect(unknown({ a: { b: 1, c: 2 }, extra: true, list: [{ x: 'y' }, { x: 'z', w: 1 }], kind: { k: 'two', v: 3 } })).toEqual([
      ['a', 'c'],
      ['extra'],
      ['list', 1, 'w'],
      ['kind', 'v'],
    ]);
  });

  it('ignores values a transform replaced by a non-object', () => {
    expect(unknownKeyPaths({ a: 1 }, 'string')).toEqual([]);
    expect(unknownKeyPaths([{ a: 1 }], {})).toEqual([]);
  });
});
