// Which IVR flow (and tenant) answers a dialled number: an in-memory directory folded from every `number-` stream,
// from the start of the log, kept current by a catch-up subscription (so an assignment made through the API of
// another process takes effect without a restart).
//
// One DID is one physical line, but each tenant writes its own stream (`number-<tenant>.<digits>`), so two tenants
// could both claim a number. The rule is deterministic and replayable: of the streams that currently assign a
// number, the one whose assignment came first in the log answers it; the other is kept (listed as not routed) and
// takes over if the first is released. The API refuses such a claim up front (NUMBER_IN_USE); the rule covers races.
import type { EventStore, Position, RecordedEvent, StreamSubscription } from '../../adapters/event-store/port.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { numberKey, parseNumberStream } from '../../domain/number/number-key.ts';
import { toDomainEvent } from '../command-handling/handle-command.ts';

/** Who answers a dialled number: the tenant (undefined: the default tenant) and its flow. */
export interface NumberRouting {
  readonly tenant: string | undefined;
  readonly flowId: string;
}

/** One current assignment, as the directory holds it. */
export interface NumberAssignment extends NumberRouting {
  /** The number as first assigned (E.164 with + or bare digits). */
  readonly number: string;
  /** When the current assignment began (a reassignment to another flow keeps it). */
  readonly assignedAt: number;
  /** False when another tenant's earlier assignment of the same number answers it. */
  readonly routed: boolean;
}

export interface NumberDirectoryOptions {
  readonly store: EventStore;
  /** Called with an event the directory could not read (it skips it and keeps following the log). */
  readonly onError?: (error: unknown, context: { streamId?: string; revision?: bigint }) => void;
}

interface Entry {
  readonly stream: string;
  readonly tenant: string | undefined;
  readonly key: string;
  readonly number: string;
  readonly flowId: string;
  readonly assignedAt: number;
  /** The log position of the event that began this assignment: the earliest answers a contested number. */
  readonly since: Position;
}

function compare(a: Position, b: Position): number {
  return a.commit < b.commit ? -1 : a.commit > b.commit ? 1 : a.prepare < b.prepare ? -1 : a.prepare > b.prepare ? 1 : 0;
}

/** The directory key of a dialled number as the switch reports it, or undefined when it is not a number. */
function didKey(did: string): string | undefined {
  const key = numberKey(did.trim());
  return /^[0-9]{2,20}$/.test(key) ? key : undefined;
}

/** See the module comment. `start()` subscribes; `ready` resolves once the log as it was at start has been read. */
export class NumberDirectory {
  readonly #o: NumberDirectoryOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #streamsByKey = new Map<string, Set<string>>();
  readonly #revisions = new Map<string, bigint>();
  #seen: Position | undefined;
  #waiters: { at: Position; resolve: () => void; reject: (e: Error) => void }[] = [];
  #subscription: StreamSubscription | undefined;
  #loop: Promise<void> | undefined;
  #failure: Error | undefined;
  #markReady!: () => void;
  #failReady!: (e: Error) => void;
  /** Resolves once every number event in the log when `start()` ran has been applied; rejects if the subscription fails first. */
  readonly ready: Promise<void>;

  constructor(options: NumberDirectoryOptions) {
    this.#o = options;
    this.ready = new Promise<void>((resolve, reject) => {
      this.#markReady = resolve;
      this.#failReady = reject;
    });
    // A caller that never awaits `ready` must not see an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** Subscribes to the `number-` streams from the start of the log. Calling it again does nothing. */
  async start(): Promise<void> {
    if (this.#loop) return;
    const { store } = this.#o;
    const head = await store.headPosition();
    if (head === undefined) this.#markReady();
    else this.#waitFor(head).then(this.#markReady, () => undefined);
    const subscription = store.subscribeToAll({ fromPosition: 'start', filter: { streamNamePrefixes: ['number-'] }, onCheckpoint: (p) => this.#advance(p) });
    this.#subscription = subscription;
    this.#loop = (async () => {
      try {
        for await (const recorded of subscription) {
          this.apply(recorded);
          this.#advance(recorded.position);
        }
      } catch (e) {
        this.#fail(e instanceof Error ? e : new Error(String(e)));
      }
    })();
  }

  /** Ends the subscription; pending `caughtUpTo` waits reject with UNAVAILABLE. */
  async stop(): Promise<void> {
    await this.#subscription?.unsubscribe();
    await this.#loop;
    this.#fail(new LedgerlineError('UNAVAILABLE', 'The number directory was stopped'));
  }

  /** Throws when the subscription failed or the directory has not caught up yet (for readiness checks). */
  check(): void {
    if (this.#failure) throw this.#failure;
    if (!this.#loop) throw new LedgerlineError('UNAVAILABLE', 'The number directory is not started');
  }

  /** Resolves once the directory has read the log up to `position` (an append's position: read-your-writes). */
  caughtUpTo(position: Position): Promise<void> {
    return this.#waitFor(position);
  }

  /** The tenant and flow that answer the dialled number `did` (`+3225550100` or `3225550100`), or undefined. */
  flowFor(did: string): NumberRouting | undefined {
    const key = didKey(did);
    const owner = key === undefined ? undefined : this.#owner(key);
    return owner ? { tenant: owner.tenant, flowId: owner.flowId } : undefined;
  }

  /** The numbers `tenant` (undefined: the default tenant) has assigned, sorted by number. */
  list(tenant: string | undefined): NumberAssignment[] {
    return [...this.#entries.values()]
      .filter((e) => e.tenant === tenant)
      .map((e) => this.#view(e))
      .sort((a, b) => numberKey(a.number).localeCompare(numberKey(b.number)));
  }

  /** One number of `tenant`, or undefined when that tenant has not assigned it. */
  get(tenant: string | undefined, number: string): NumberAssignment | undefined {
    const key = didKey(number);
    const stream = key === undefined ? undefined : [...(this.#streamsByKey.get(key) ?? [])].find((s) => this.#entries.get(s)?.tenant === tenant);
    const e = stream === undefined ? undefined : this.#entries.get(stream);
    return e ? this.#view(e) : undefined;
  }

  /** The tenant whose assignment answers `number`, if any: for refusing another tenant's claim. */
  ownerOf(number: string): NumberRouting | undefined {
    return this.flowFor(number);
  }

  /** Folds one recorded event of a `number-` stream in; an event already applied (same stream, revision) is ignored. */
  apply(recorded: RecordedEvent): void {
    const parsed = parseNumberStream(recorded.streamId);
    if (!parsed) return;
    const last = this.#revisions.get(recorded.streamId);
    if (last !== undefined && recorded.revision <= last) return;
    this.#revisions.set(recorded.streamId, recorded.revision);
    let event;
    try {
      event = toDomainEvent(recorded);
    } catch (e) {
      this.#o.onError?.(e, { streamId: recorded.streamId, revision: recorded.revision });
      return;
    }
    const stream = recorded.streamId;
    if (event.type === 'NumberAssigned') {
      const previous = this.#entries.get(stream);
      const d = event.data;
      this.#entries.set(stream, {
        stream,
        tenant: parsed.tenant,
        key: parsed.key,
        number: previous?.number ?? d.number,
        flowId: d.flowId,
        assignedAt: previous?.assignedAt ?? d.at,
        since: previous?.since ?? recorded.position,
      });
      const streams = this.#streamsByKey.get(parsed.key) ?? new Set<string>();
      streams.add(stream);
      this.#streamsByKey.set(parsed.key, streams);
    } else if (event.type === 'NumberReleased') {
      this.#entries.delete(stream);
      const streams = this.#streamsByKey.get(parsed.key);
      streams?.delete(stream);
      if (streams?.size === 0) this.#streamsByKey.delete(parsed.key);
    }
  }

  #owner(key: string): Entry | undefined {
    let owner: Entry | undefined;
    for (const s of this.#streamsByKey.get(key) ?? []) {
      const e = this.#entries.get(s);
      if (e && (!owner || compare(e.since, owner.since) < 0)) owner = e;
    }
    return owner;
  }

  #view(e: Entry): NumberAssignment {
    return { tenant: e.tenant, number: e.number, flowId: e.flowId, assignedAt: e.assignedAt, routed: this.#owner(e.key)?.stream === e.stream };
  }

  #advance(p: Position): void {
    if (this.#seen !== undefined && compare(p, this.#seen) <= 0) return;
    this.#seen = p;
    const due = this.#waiters.filter((w) => compare(w.at, p) <= 0);
    if (due.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => compare(w.at, p) > 0);
    for (const w of due) w.resolve();
  }

  #waitFor(at: Position): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#seen !== undefined && compare(at, this.#seen) <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ at, resolve, reject }));
  }

  #fail(e: Error): void {
    this.#failure ??= e;
    this.#failReady(this.#failure);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.reject(this.#failure);
  }
}
