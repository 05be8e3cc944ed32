/**
 * Input checks every event-store adapter runs before touching storage, so that bad input gets the same
 * coded error on every store and nothing is written.
 */
import { isUuid } from '../../domain/ids/deterministic-id.ts';
import { InvalidEventStoreInputError } from './errors.ts';
import { canonicalJson } from './hash-chain.ts';
import type { EventData, EventMetadata, ExpectedRevision, Position, StreamMetadata } from './port.ts';

/**
 * The largest event accepted: 1 MiB (1,048,576 bytes) of UTF-8 canonical JSON, `data` and `metadata` together.
 * EventStoreDB's own limit is about 16 MiB per write; ours is lower so that one event can never stall a batch read.
 */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** The longest stream name or event type, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 200;

const BAD_NAME_CHAR = /[\s\p{Cc}]/u;

/** Throws INVALID_STREAM_NAME unless `name` is a non-empty string of at most 200 chars, without whitespace or control chars, not starting with `$`. */
export function validateStreamName(name: unknown): asserts name is string {
  const bad = (why: string): never => {
    throw new InvalidEventStoreInputError('INVALID_STREAM_NAME', `Invalid stream name ${describe(name)}: ${why}`, { streamName: typeof name === 'string' ? name.slice(0, MAX_NAME_LENGTH) : String(name) });
  };
  if (typeof name !== 'string') bad('not a string');
  const s = name as string;
  if (s.length === 0) bad('empty');
  if (s.length > MAX_NAME_LENGTH) bad(`longer than ${MAX_NAME_LENGTH} characters`);
  if (BAD_NAME_CHAR.test(s)) bad('contains whitespace or a control character');
  if (!s.isWellFormed()) bad('contains a lone surrogate');
  if (s.startsWith('$')) bad('names starting with "$" are reserved for system streams');
}

/** An event that passed validation, with its canonical JSON so a store serialises it once. */
export interface ValidatedEvent extends EventData {
  readonly metadata: EventMetadata;
  /** `canonicalJson(data)`. */
  readonly dataJson: string;
  /** `canonicalJson(metadata)`. */
  readonly metadataJson: string;
}

/**
 * Checks the events of one append and returns them with metadata defaulted to `{}` and canonical JSON attached.
 * Throws INVALID_EVENT (not an array or empty, bad id or type, non-JSON data or metadata, duplicate ids in the call)
 * or EVENT_TOO_LARGE (over `MAX_EVENT_BYTES`).
 */
export function validateEvents(stream: string, events: EventData | readonly EventData[]): ValidatedEvent[] {
  const list: readonly unknown[] = Array.isArray(events) ? events : [events];
  if (list.length === 0) throw invalidEvent(stream, -1, 'an append needs at least one event');
  const ids = new Set<string>();
  const out: ValidatedEvent[] = [];
  for (let i = 0; i < list.length; i++) {
    const e = list[i] as Partial<EventData> | null | undefined;
    if (e === null || typeof e !== 'object') throw invalidEvent(stream, i, 'not an object');
    const { id, type } = e;
    if (typeof id !== 'string' || !isUuid(id)) throw invalidEvent(stream, i, `id ${describe(id)} is not a UUID`);
    const lowerId = id.toLowerCase();
    if (ids.has(lowerId)) throw invalidEvent(stream, i, `id ${id} appears twice in the same append`);
    ids.add(lowerId);
    if (typeof type !== 'string' || type.length === 0) throw invalidEvent(stream, i, 'type must be a non-empty string');
    if (type.length > MAX_NAME_LENGTH) throw invalidEvent(stream, i, `type is longer than ${MAX_NAME_LENGTH} characters`);
    if (BAD_NAME_CHAR.test(type) || !type.isWellFormed()) throw invalidEvent(stream, i, `type ${describe(type)} contains whitespace or a control character`);
    if (!('data' in e) || e.data === undefined) throw invalidEvent(stream, i, 'data is missing (use null for no data)');
    const metadata = e.metadata ?? {};
    if (typeof metadata !== 'object' || Array.isArray(metadata)) throw invalidEvent(stream, i, 'metadata must be a plain object');
    let dataJson: string;
    let metadataJson: string;
    try {
      dataJson = canonicalJson(e.data);
    } catch (err) {
      throw invalidEvent(stream, i, `data is not plain JSON: ${(err as Error).message.replace(/^\$/, 'data')}`);
    }
    try {
      metadataJson = canonicalJson(metadata);
    } catch (err) {
      throw invalidEvent(stream, i, `metadata is not plain JSON: ${(err as Error).message.replace(/^\$/, 'metadata')}`);
    }
    // A UTF-16 code unit is at most 3 UTF-8 bytes: most events are far below the limit without counting.
    const bytes = (dataJson.length + metadataJson.length) * 3 <= MAX_EVENT_BYTES ? 0 : Buffer.byteLength(dataJson, 'utf8') + Buffer.byteLength(metadataJson, 'utf8');
    if (bytes > MAX_EVENT_BYTES) {
      throw new InvalidEventStoreInputError('EVENT_TOO_LARGE', `Event ${i} (${id}) for stream ${stream} is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES}`, {
        streamName: stream,
        index: i,
        eventId: id,
        bytes,
        limit: MAX_EVENT_BYTES,
      });
    }
    out.push({ id: lowerId, type, data: e.data, metadata, dataJson, metadataJson });
  }
  return out;
}

/** Throws INVALID_REVISION unless `x` is 'any', 'no_stream', 'stream_exists' or a non-negative bigint; returns it ('any' when undefined). */
export function validateExpectedRevision(x: unknown): ExpectedRevision {
  if (x === undefined) return 'any';
  if (x === 'any' || x === 'no_stream' || x === 'stream_exists') return x;
  if (typeof x === 'bigint' && x >= 0n) return x;
  throw new InvalidEventStoreInputError('INVALID_REVISION', `Invalid expected revision ${describe(x)}: use 'any', 'no_stream', 'stream_exists' or a bigint ≥ 0n`, {
    expectedRevision: describe(x),
  });
}

/** Throws INVALID_REVISION unless `x` is 'start', 'end' or a non-negative bigint; returns it ('start' when undefined). */
export function validateReadRevision(x: unknown, fallback: 'start' | 'end' = 'start'): 'start' | 'end' | bigint {
  if (x === undefined) return fallback;
  if (x === 'start' || x === 'end') return x;
  if (typeof x === 'bigint' && x >= 0n) return x;
  throw new InvalidEventStoreInputError('INVALID_REVISION', `Invalid revision ${describe(x)}: use 'start', 'end' or a bigint ≥ 0n`, { revision: describe(x) });
}

/** Throws INVALID_REVISION unless `x` is 'start', 'end' or a Position of two non-negative bigints; returns it ('start' when undefined). */
export function validatePosition(x: unknown, fallback: 'start' | 'end' = 'start'): 'start' | 'end' | Position {
  if (x === undefined) return fallback;
  if (x === 'start' || x === 'end') return x;
  if (x !== null && typeof x === 'object') {
    const p = x as Partial<Position>;
    if (typeof p.commit === 'bigint' && typeof p.prepare === 'bigint' && p.commit >= 0n && p.prepare >= 0n) return { commit: p.commit, prepare: p.prepare };
  }
  throw new InvalidEventStoreInputError('INVALID_REVISION', `Invalid position ${describe(x)}: use 'start', 'end' or { commit, prepare } bigints ≥ 0n`, { position: describe(x) });
}

/** Throws INVALID_REVISION unless `x` is undefined or a non-negative integer (number or bigint); returns it as a number (undefined → Infinity). */
export function validateMaxCount(x: unknown): number {
  if (x === undefined) return Number.POSITIVE_INFINITY;
  if (typeof x === 'number' && Number.isInteger(x) && x >= 0) return x;
  if (typeof x === 'bigint' && x >= 0n) return x > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(x);
  throw new InvalidEventStoreInputError('INVALID_REVISION', `Invalid maxCount ${describe(x)}: use a non-negative integer`, { maxCount: describe(x) });
}

/**
 * Checks stream metadata: `maxAge` and `maxCount` positive integers, `truncateBefore` a bigint ≥ 0n,
 * other keys plain JSON. Returns the canonical JSON of the custom keys plus the parsed known ones.
 */
export function validateStreamMetadata(stream: string, metadata: unknown): StreamMetadata {
  const bad = (why: string): never => {
    throw new InvalidEventStoreInputError('INVALID_EVENT', `Invalid metadata for stream ${stream}: ${why}`, { streamName: stream });
  };
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) bad('must be a plain object');
  const { maxAge, maxCount, truncateBefore, ...custom } = metadata as StreamMetadata;
  if (maxAge !== undefined && !(typeof maxAge === 'number' && Number.isInteger(maxAge) && maxAge > 0)) bad('maxAge must be a positive integer (seconds)');
  if (maxCount !== undefined && !(typeof maxCount === 'number' && Number.isInteger(maxCount) && maxCount > 0)) bad('maxCount must be a positive integer');
  if (truncateBefore !== undefined && !(typeof truncateBefore === 'bigint' && truncateBefore >= 0n)) bad('truncateBefore must be a bigint ≥ 0n');
  let json = '';
  try {
    json = canonicalJson(custom);
  } catch (err) {
    bad(`custom keys are not plain JSON: ${(err as Error).message}`);
  }
  if (Buffer.byteLength(json, 'utf8') > MAX_EVENT_BYTES) bad(`larger than ${MAX_EVENT_BYTES} bytes`);
  const out: StreamMetadata = { ...custom };
  if (maxAge !== undefined) out.maxAge = maxAge;
  if (maxCount !== undefined) out.maxCount = maxCount;
  if (truncateBefore !== undefined) out.truncateBefore = truncateBefore;
  return out;
}

function invalidEvent(stream: string, index: number, why: string): InvalidEventStoreInputError {
  const where = index >= 0 ? `event ${index}` : 'events';
  return new InvalidEventStoreInputError('INVALID_EVENT', `Invalid ${where} for stream ${stream}: ${why}`, { streamName: stream, index });
}

function describe(x: unknown): string {
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x === 'string') return JSON.stringify(x.length > 60 ? `${x.slice(0, 60)}…` : x);
  if (x === null || x === undefined || typeof x === 'number' || typeof x === 'boolean') return String(x);
  return typeof x;
}
