import { sha1 } from '../ids/sha1.ts';
import { canonicalJson } from '../shared/canonical-json.ts';

/** Hex SHA-1 of a value's canonical JSON: identical content, identical hash, whatever the key order. */
export function contentHash(value: unknown): string {
  return Array.from(sha1(new TextEncoder().encode(canonicalJson(value))), (b) => b.toString(16).padStart(2, '0')).join('');
}
