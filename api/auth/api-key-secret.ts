import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A key id: 20 lowercase hex characters (80 random bits), public (it names the key in lists, logs and actors). */
export const KEY_ID_PATTERN = /^[0-9a-f]{20}$/;

const SECRET_PATTERN = /^ll_([0-9a-f]{20})\.([A-Za-z0-9_-]{43})$/;

/** A fresh key: its public id, the secret shown once to its owner, and the hash stored at rest. */
export interface NewApiKeySecret {
  readonly keyId: string;
  readonly secret: string;
  readonly hash: string;
}

/**
 * Mints a key. The secret is `ll_<keyId>.<256 random bits, base64url>`: the id lets the server find the key without
 * scanning, the random part is what proves possession. Because the secret has 256 bits of entropy, one SHA-256 is a
 * sufficient hash at rest (a slow KDF only matters for guessable secrets such as passwords).
 */
export function mintApiKey(random: (n: number) => Buffer = randomBytes): NewApiKeySecret {
  const keyId = random(10).toString('hex');
  const secret = `ll_${keyId}.${random(32).toString('base64url')}`;
  return { keyId, secret, hash: hashSecret(secret) };
}

/** The at-rest form of a secret: `sha256:<hex>`. */
export function hashSecret(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}

/** The key id a presented secret claims, or undefined when it is not shaped like a Ledgerline key. */
export function keyIdOfSecret(secret: string): string | undefined {
  return SECRET_PATTERN.exec(secret)?.[1];
}

/** True when `secret` hashes to `storedHash`; the comparison takes the same time wherever the hashes differ. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'utf8');
  const stored = Buffer.from(storedHash, 'utf8');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
