import { sha1 } from './sha1.ts';

/** Ledgerline's UUID v5 namespace (itself a v4 UUID chosen once). */
export const LEDGERLINE_NAMESPACE = '5b1c7e1a-3f0e-4d8a-9c47-2f6a0c9d8e11';

const HEX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical UUID string. */
export function isUuid(s: string): boolean {
  return HEX.test(s);
}

/** RFC 4122 UUID v5 of `name` in `namespace`: the same inputs always give the same id. */
export function uuidV5(name: string, namespace: string = LEDGERLINE_NAMESPACE): string {
  if (!isUuid(namespace)) throw new TypeError(`namespace is not a UUID: ${namespace}`);
  const ns = Uint8Array.from(namespace.replace(/-/g, '').match(/../g)!.map((h) => parseInt(h, 16)));
  const nameBytes = new TextEncoder().encode(name);
  const input = new Uint8Array(ns.length + nameBytes.length);
  input.set(ns);
  input.set(nameBytes, ns.length);
  const hash = sha1(input).slice(0, 16);
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of the `index`-th event a command produced: retried commands yield the same ids, so appends are idempotent. */
export function eventIdFor(commandId: string, index: number): string {
  return uuidV5(`${commandId}#${index}`);
}
