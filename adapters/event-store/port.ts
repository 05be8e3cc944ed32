/**
 * The event-store port. Shaped like `@eventstore/db-client` 6 (same method names and semantics, see
 * ../shared/reference/event-store.md) so that the EventStoreDB adapter stays thin and the PostgreSQL
 * adapter can be checked against the same contract suite.
 */

/** A global position in the log: an opaque pair compared as a tuple (commit, prepare). */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** `'any'`, `'no_stream'`, `'stream_exists'`, or the 0-based revision of the stream's last event. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** What travels with every event: who, why, for whom. Extra keys are allowed. */
export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  actor?: string;
  tenant?: string;
  [key: string]: unknown;
}

/** An event to append. `id` is a UUID derived deterministically from the command that caused it. */
export interface EventData<T = unknown> {
  readonly id: string;
  readonly type: string;
  readonly data: T;
  readonly metadata?: EventMetadata;
}

/** The link of a stream's tamper-evident hash chain that an event carries (hex SHA-256). */
export interface ChainLink {
  /** Hash of the previous event's link in the same stream; 64 zeros for revision 0. */
  readonly prev: string;
  /** SHA-256 over `prev` and the event's canonical content. */
  readonly hash: string;
}

/** An event as stored. */
export interface RecordedEvent<T = unknown> {
  readonly id: string;
  readonly type: string;
  readonly data: T;
  readonly metadata: EventMetadata;
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: Position;
  readonly created: Date;
  readonly chain: ChainLink;
}

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  readonly success: true;
  readonly nextExpectedRevision: bigint;
  readonly position: Position;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  fromRevision?: 'start' | 'end' | bigint;
  direction?: Direction;
  maxCount?: number | bigint;
}

export interface ReadAllOptions {
  fromPosition?: 'start' | 'end' | Position;
  direction?: Direction;
  maxCount?: number | bigint;
}

/** Server-side filter of `subscribeToAll`: prefixes are OR-ed within a kind. */
export interface SubscriptionFilter {
  streamNamePrefixes?: readonly string[];
  eventTypePrefixes?: readonly string[];
}

export interface SubscribeToAllOptions {
  /** Exclusive: the subscription delivers events strictly after this position. */
  fromPosition?: 'start' | 'end' | Position;
  filter?: SubscriptionFilter;
  /** Called with a position the subscription has scanned up to, even when the filter matched nothing there. */
  onCheckpoint?: (position: Position) => void | Promise<void>;
}

export interface SubscribeToStreamOptions {
  /** Exclusive: the subscription delivers revisions strictly after this one. */
  fromRevision?: 'start' | 'end' | bigint;
}

/** A catch-up subscription: history first, then live events, until `unsubscribe()`. */
export interface StreamSubscription extends AsyncIterable<RecordedEvent> {
  unsubscribe(): Promise<void>;
}

/** Metadata that hides events on reads (`maxAge` in seconds). */
export interface StreamMetadata {
  maxAge?: number;
  maxCount?: number;
  truncateBefore?: bigint;
  [key: string]: unknown;
}

export interface StreamMetadataResult {
  readonly streamName: string;
  readonly metadata?: StreamMetadata;
  readonly metastreamRevision?: bigint;
}

export interface DeleteResult {
  readonly position?: Position;
}

/** The outcome of walking a hash chain: ok, or the first broken or missing link. */
export type ChainReport =
  | { readonly ok: true; readonly streams: number; readonly events: number }
  | {
      readonly ok: false;
      readonly streams: number;
      readonly events: number;
      readonly streamId: string;
      readonly revision: bigint;
      readonly problem: 'hash_mismatch' | 'prev_mismatch' | 'missing_revision';
      readonly detail: string;
    };

/** The event store. Every adapter passes `contract.ts`'s suite. */
export interface EventStore {
  appendToStream(stream: string, events: EventData | readonly EventData[], options?: AppendOptions): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  subscribeToAll(options?: SubscribeToAllOptions): StreamSubscription;
  subscribeToStream(stream: string, options?: SubscribeToStreamOptions): StreamSubscription;
  setStreamMetadata(stream: string, metadata: StreamMetadata, options?: AppendOptions): Promise<AppendResult>;
  getStreamMetadata(stream: string): Promise<StreamMetadataResult>;
  deleteStream(stream: string, options?: AppendOptions): Promise<DeleteResult>;
  tombstoneStream(stream: string, options?: AppendOptions): Promise<DeleteResult>;
  /** Walk one stream's hash chain, or every stream's when `stream` is omitted. */
  verifyChain(options?: { stream?: string }): Promise<ChainReport>;
  /** The position of the newest event in the log, or undefined when the log is empty. */
  headPosition(): Promise<Position | undefined>;
  close(): Promise<void>;
}
