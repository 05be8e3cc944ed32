import { describe, expect, it } from 'vitest';
import { contentHash } from './content-hash.ts';

describe('contentHash', () => {
  it('is the hex SHA-1 of the canonical JSON', () => {
    // printf '{"a":1,"b":[true,null]}' | sha1sum
    expect(contentHash({ b: [true, null], a: 1 })).toBe('df11b3b927ce2474af1f5956c37c2f7415488ea8');
  });
});
