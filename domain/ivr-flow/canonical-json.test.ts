import { describe, expect, it } from 'vitest';
import { canonicalJson, sameJson } from './canonical-json.ts';
import { contentHash } from './content-hash.ts';

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });
  it('drops undefined members as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
  it('sameJson ignores key order but not array order or values', () => {
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: 1 }, { a: '1' })).toBe(false);
  });
});

describe('contentHash', () => {
  it('is the hex SHA-1 of the canonical JSON', () => {
    // printf '{"a":1,"b":[true,null]}' | sha1sum
    expect(contentHash({ b: [true, null], a: 1 })).toBe('df11b3b927ce2474af1f5956c37c2f7415488ea8');
  });
});
