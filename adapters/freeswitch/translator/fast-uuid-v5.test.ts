import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uuidV5 } from '../../../domain/ids/deterministic-id.ts';
import { fastUuidV5 } from './fast-uuid-v5.ts';

describe('fastUuidV5', () => {
  it('property: equals the domain uuidV5 for any name (so command ids do not depend on which one made them)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (name) => {
      expect(fastUuidV5(name)).toBe(uuidV5(name));
    }));
  });
});
