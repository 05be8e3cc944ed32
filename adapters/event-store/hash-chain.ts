/**
 * The per-stream, tamper-evident hash chain every event store keeps.
 *
 * Definitions (every adapter and the verifier must agree byte for byte):
 * - `canonicalJson(v)`: JSON with object keys sorted by UTF-16 code unit (JS default sort), no whitespace,
 *   strings and numbers exactly as `JSON.stringify` writes them, object properties whose value is `undefined`
 *   omitted. Only the portable JSON subset is accepted (see `canonicalJson`).
 * - `contentHash(e)` = hex SHA-256 of the UTF-8 bytes of `canonicalJson({ id, type, data, metadata })`, where
 *   `metadata` is exactly what the writer supplied (`{}` when none). Stores add no keys to metadata; any key a
 *   store might add in future must be kept out of this hash.
 * - `chainHash(prev, streamId, revision, contentHash)` = hex SHA-256 of the UTF-8 bytes of
 *   `${prev}:${streamId}:${revision}:${contentHash}` with `revision` in decimal (no sign, no leading zeros).
 *   `prev` is the previous revision's `chain.hash`, or `GENESIS_HASH` for revision 0.
 *
 * The split lets a database finish the chain inside the append: JS computes `contentHash`, and PostgreSQL,
 * which alone knows the revision and previous hash when the writer said `expectedRevision: 'any'`, computes
 * `encode(sha256(convert_to(prev || ':' || stream || ':' || revision::text || ':' || content, 'UTF8')), 'hex')`
 * with the built-in `sha256(bytea)` (PostgreSQL 11+, no pgcrypto).
 */
import { hash } from 'node:crypto';
import type { ChainLink, ChainReport, EventMetadata } from './port.ts';

/** The `prev` of revision 0: 64 hex zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** Hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  // The one-shot form: no Hash object per call.
  return hash('sha256', text, 'hex');
}

const NUL = String.fromCharCode(0);

/**
 * Canonical JSON of a plain value: `null`, booleans, finite numbers, well-formed strings without NUL
 * (PostgreSQL `jsonb` cannot hold U+0000), arrays, and plain objects (prototype `Object.prototype` or null).
 * Throws a `TypeError` naming the path of anything else: bigint, functions, symbols, NaN/Infinity, class
 * instances such as Date or Map, cycles, `undefined` at the top or inside arrays.
 */
export function canonicalJson(value: unknown): string {
  try {
    return fast(value, 0);
  } catch (err) {
    if (err !== NOT_PLAIN) throw err;
    // Do it again slowly, tracking the path and cycles, to say exactly what is wrong.
    return write(value, '$', new Set());
  }
}

const NOT_PLAIN = new Error('not plain JSON');
const MAX_FAST_DEPTH = 256;

// The hot path: no path strings, no cycle set (a depth bound stands in for it); any doubt defers to `write`.
function fast(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      if (!Number.isFinite(value)) throw NOT_PLAIN;
      // Same text as JSON.stringify for every finite number (including -0 → "0").
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth > MAX_FAST_DEPTH) throw NOT_PLAIN;
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += fast(value[i], depth + 1);
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) throw NOT_PLAIN;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      if (!isSorted(keys)) keys.sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const v = record[key];
        if (v === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += `${quote(key)}:${fast(v, depth + 1)}`;
      }
      return `${out}}`;
    }
    default:
      throw NOT_PLAIN;
  }
}

// Anything JSON.stringify would escape, and every surrogate (a lone one is rejected): strings without any of these
// are quoted as they are, which is what JSON.stringify writes for them, at a fraction of its cost.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_CARE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(s: string): string {
  if (!NEEDS_CARE.test(s)) return `"${s}"`;
  if (!s.isWellFormed() || s.includes(NUL)) throw NOT_PLAIN;
  return JSON.stringify(s);
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

function write(value: unknown, path: string, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw new TypeError(`${path}: string contains a lone surrogate`);
      if (value.includes(NUL)) throw new TypeError(`${path}: string contains U+0000`);
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: number ${value} is not finite`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (seen.has(value)) throw new TypeError(`${path}: circular reference`);
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        const parts: string[] = [];
        for (let i = 0; i < value.length; i++) {
          parts.push(write(value[i], `${path}[${i}]`, seen));
        }
        out = `[${parts.join(',')}]`;
      } else {
        const proto = Object.getPrototypeOf(value) as unknown;
        if (proto !== Object.prototype && proto !== null) {
          const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
          throw new TypeError(`${path}: ${name} is not a plain JSON value (convert it, e.g. a Date to an ISO string)`);
        }
        const record = value as Record<string, unknown>;
        const parts: string[] = [];
        for (const key of Object.keys(record).sort()) {
          const v = record[key];
          if (v === undefined) continue;
          parts.push(`${write(key, `${path}.<key>`, seen)}:${write(v, `${path}.${key}`, seen)}`);
        }
        out = `{${parts.join(',')}}`;
      }
      seen.delete(value);
      return out;
    }
    case 'undefined':
      throw new TypeError(`${path}: undefined is not a JSON value`);
    default:
      throw new TypeError(`${path}: ${typeof value} is not a JSON value`);
  }
}

/** The parts of an event its content hash covers. */
export interface HashedContent {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: EventMetadata;
}

/** Hex SHA-256 of `canonicalJson({ id, type, data, metadata })` (metadata `{}` when absent). */
export function contentHash(event: HashedContent): string {
  return contentHashOfCanonical(event.id, event.type, canonicalJson(event.data), canonicalJson(event.metadata ?? {}));
}

/**
 * The same hash from already-canonical `data` and `metadata` JSON, so a writer serialises each event once.
 * Keys in sorted order: data, id, metadata, type.
 */
export function contentHashOfCanonical(id: string, type: string, dataJson: string, metadataJson: string): string {
  return sha256Hex(`{"data":${dataJson},"id":${JSON.stringify(id)},"metadata":${metadataJson},"type":${JSON.stringify(type)}}`);
}

/** Hex SHA-256 of `${prev}:${streamId}:${revision}:${contentHash}` (revision in decimal). */
export function chainHash(prev: string, streamId: string, revision: bigint, content: string): string {
  return sha256Hex(`${prev}:${streamId}:${revision.toString()}:${content}`);
}

/** One stored event as the verifier sees it. `streamHead`, when given, is the stream's last revision on record. */
export interface ChainedEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly chain: ChainLink;
  readonly streamHead?: bigint;
}

/**
 * Walks events grouped by stream, each stream in ascending revision, and reports the first broken or missing link:
 * a revision out of sequence (`missing_revision`, also when the stream ends before its recorded `streamHead`),
 * a `chain.prev` that is not the previous hash (`prev_mismatch`), or a `chain.hash` that does not match the
 * recomputed content (`hash_mismatch`). Counts cover what was walked up to the report.
 */
export async function verifyChainLinks(events: AsyncIterable<ChainedEvent> | Iterable<ChainedEvent>): Promise<ChainReport> {
  let streams = 0;
  let count = 0;
  let current: string | undefined;
  let nextRevision = 0n;
  let prevHash = GENESIS_HASH;
  let head: bigint | undefined;

  const fail = (streamId: string, revision: bigint, problem: 'hash_mismatch' | 'prev_mismatch' | 'missing_revision', detail: string): ChainReport => ({
    ok: false,
    streams,
    events: count,
    streamId,
    revision,
    problem,
    detail,
  });
  const endOfStream = (): ChainReport | undefined => {
    if (current !== undefined && head !== undefined && nextRevision <= head) {
      return fail(current, nextRevision, 'missing_revision', `stream ends at revision ${nextRevision - 1n} but its head is ${head}`);
    }
    return undefined;
  };

  for await (const e of events) {
    if (e.streamId !== current) {
      const tail = endOfStream();
      if (tail) return tail;
      current = e.streamId;
      streams++;
      nextRevision = 0n;
      prevHash = GENESIS_HASH;
    }
    head = e.streamHead;
    count++;
    if (e.revision !== nextRevision) {
      const detail =
        e.revision > nextRevision
          ? `revision ${nextRevision} is missing (next stored is ${e.revision})`
          : `revision ${e.revision} appears again after ${nextRevision - 1n}`;
      return fail(e.streamId, e.revision > nextRevision ? nextRevision : e.revision, 'missing_revision', detail);
    }
    if (e.chain.prev !== prevHash) {
      return fail(e.streamId, e.revision, 'prev_mismatch', `chain.prev ${e.chain.prev} is not the previous hash ${prevHash}`);
    }
    let expected: string;
    try {
      expected = chainHash(prevHash, e.streamId, e.revision, contentHash(e));
    } catch (err) {
      return fail(e.streamId, e.revision, 'hash_mismatch', `content cannot be hashed: ${(err as Error).message}`);
    }
    if (expected !== e.chain.hash) {
      return fail(e.streamId, e.revision, 'hash_mismatch', `stored hash ${e.chain.hash} but content hashes to ${expected}`);
    }
    prevHash = e.chain.hash;
    nextRevision++;
  }
  const tail = endOfStream();
  if (tail) return tail;
  return { ok: true, streams, events: count };
}
