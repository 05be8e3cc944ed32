import { describe, expect, it } from 'vitest';
import { hashSecret, KEY_ID_PATTERN, keyIdOfSecret, mintApiKey, secretMatches } from './api-key-secret.ts';

describe('API key secrets', () => {
  it('mints an id, a secret that names the id, and a SHA-256 hash that is not the secret', () => {
    const k = mintApiKey();
    expect(k.keyId).toMatch(KEY_ID_PATTERN);
    expect(keyIdOfSecret(k.secret)).toBe(k.keyId);
    expect(k.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(k.hash).not.toContain(k.secret.split('.')[1]);
    expect(secretMatches(k.secret, k.hash)).toBe(true);
  });

  it('never mints the same secret twice', () => {
    const secrets = new Set(Array.from({ length: 200 }, () => mintApiKey().secret));
    expect(secrets.size).toBe(200);
  });

  it('is deterministic for a given source of randomness (the hash is of the whole secret)', () => {
    const fixed = (n: number) => Buffer.alloc(n, 7);
    const a = mintApiKey(fixed);
    expect(a).toEqual(mintApiKey(fixed));
    expect(a.hash).toBe(hashSecret(a.secret));
  });

  it('rejects a secret differing in one character, or a hash of another shape', () => {
    const k = mintApiKey();
    const last = k.secret.at(-1) === 'A' ? 'B' : 'A';
    expect(secretMatches(k.secret.slice(0, -1) + last, k.hash)).toBe(false);
    expect(secretMatches(k.secret, 'sha256:00')).toBe(false);
    expect(secretMatches(k.secret, '')).toBe(false);
  });

  it('recognises only well-formed secrets', () => {
    for (const s of ['', 'Bearer x', 'll_abc.def', `ll_${'0'.repeat(20)}.${'a'.repeat(42)}`, `ll_${'G'.repeat(20)}.${'a'.repeat(43)}`]) {
      expect(keyIdOfSecret(s)).toBeUndefined();
    }
    expect(keyIdOfSecret(`ll_${'0'.repeat(20)}.${'a'.repeat(43)}`)).toBe('0'.repeat(20));
  });
});
