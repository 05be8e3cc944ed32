import type { EventStore, Position, RecordedEvent, StreamSubscription } from '../../adapters/event-store/port.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { parseApiKeyEvent, type ApiKeyEvent } from './api-key-events.ts';
import type { Role } from './roles.ts';

/** What the API knows about one key (never the secret). */
export interface ApiKeyRecord {
  readonly keyId: string;
  readonly hash: string;
  readonly role: Role;
  readonly tenant: string;
  readonly agentId: string | null;
  readonly name: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** Log sink for events the index cannot read; it skips them and keeps serving. */
export interface IndexLogger {
  warn(obj: object, msg: string): void;
}

function atOrAfter(a: Position, b: Position): boolean {
  return a.commit > b.commit || (a.commit === b.commit && a.prepare >= b.prepare);
}

/**
 * The in-memory index of API keys: built from the `apikey-*` streams at start-up and kept current by a catch-up
 * subscription, so a key created or revoked by another process (the CLI) against the same store takes effect
 * without a restart. `apply` also lets this process update it at once after its own appends.
 */
export class ApiKeyIndex {
  readonly #keys = new Map<string, ApiKeyRecord>();
  #subscription: StreamSubscription | undefined;
  #loop: Promise<void> | undefined;
  #failure: Error | undefined;
  #caughtUp = false;

  /** The key `keyId`, revoked or not. */
  get(keyId: string): ApiKeyRecord | undefined {
    return this.#keys.get(keyId);
  }

  /** Every key of `tenant`, oldest first. */
  list(tenant: string): ApiKeyRecord[] {
    return [...this.#keys.values()].filter((k) => k.tenant === tenant).sort((a, b) => a.createdAt - b.createdAt || a.keyId.localeCompare(b.keyId));
  }

  /** Every tenant that has a key, sorted. */
  tenants(): string[] {
    return [...new Set([...this.#keys.values()].map((k) => k.tenant))].sort();
  }

  /** Folds one key event in; applying the same event twice changes nothing. */
  apply(event: ApiKeyEvent): void {
    if (event.type === 'ApiKeyCreated') {
      const d = event.data;
      if (!this.#keys.has(d.keyId)) {
        this.#keys.set(d.keyId, { keyId: d.keyId, hash: d.hash, role: d.role, tenant: d.tenant, agentId: d.agentId, name: d.name, createdAt: d.at, revokedAt: null });
      }
    } else {
      const k = this.#keys.get(event.data.keyId);
      if (k && k.revokedAt === null) this.#keys.set(k.keyId, { ...k, revokedAt: event.data.at });
    }
  }

  /** Throws when the subscription has failed (for /readyz). */
  check(): void {
    if (this.#failure) throw this.#failure;
    if (!this.#loop) throw new Error('the API key index is not started');
    if (!this.#caughtUp) throw new Error('the API key index has not read the log up to its start-up head yet');
  }

  /**
   * Subscribes to the key streams; resolves once every key event already in the log has been read. Rejects with
   * UNAVAILABLE after `timeoutMs` (the subscription keeps going): a server that cannot yet authenticate should not
   * pretend to be up.
   */
  async start(store: EventStore, log?: IndexLogger, timeoutMs = 30_000): Promise<void> {
    const head = await store.headPosition();
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve)).then(() => void (this.#caughtUp = true));
    if (head === undefined) markReady();
    const seen = (p: Position) => {
      if (head !== undefined && atOrAfter(p, head)) markReady();
    };
    const subscription = store.subscribeToAll({ fromPosition: 'start', filter: { streamNamePrefixes: ['apikey-'] }, onCheckpoint: seen });
    this.#subscription = subscription;
    let failed!: (e: Error) => void;
    const failure = new Promise<never>((_, reject) => (failed = reject));
    failure.catch(() => undefined);
    this.#loop = (async () => {
      try {
        for await (const recorded of subscription) {
          this.#applyRecorded(recorded, log);
          seen(recorded.position);
        }
      } catch (e) {
        this.#failure = e instanceof Error ? e : new Error(String(e));
        failed(this.#failure);
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LedgerlineError('UNAVAILABLE', `The API key index did not catch up with the log within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([ready, failure, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the subscription. */
  async stop(): Promise<void> {
    await this.#subscription?.unsubscribe();
    await this.#loop;
  }

  #applyRecorded(recorded: RecordedEvent, log?: IndexLogger): void {
    try {
      this.apply(parseApiKeyEvent(recorded.type, recorded.metadata.schemaVersion, recorded.data));
    } catch (err) {
      log?.warn({ err, streamId: recorded.streamId, revision: String(recorded.revision) }, 'skipped an unreadable API key event');
    }
  }
}
