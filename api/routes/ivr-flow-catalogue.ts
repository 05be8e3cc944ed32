import type { EventStore, Position, StreamSubscription } from '../../adapters/event-store/port.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { parseTenantStream } from '../tenancy/tenant-streams.ts';

function atOrAfter(a: Position, b: Position): boolean {
  return a.commit > b.commit || (a.commit === b.commit && a.prepare >= b.prepare);
}

/**
 * Which IVR flows each tenant has: the names of the `ivrflow-<tenant>.<id>` streams, followed by a catch-up
 * subscription (flows saved by another process appear without restart). Only ids are kept; the list route folds
 * each flow from its own stream, so what it shows is never older than the write side. Started on first use, so an
 * app that never lists flows holds no subscription. Flow catalogues are small (tens per tenant).
 */
export class IvrFlowCatalogue {
  readonly #flows = new Map<string, Set<string>>();
  #subscription: StreamSubscription | undefined;
  #ready: Promise<void> | undefined;
  #loop: Promise<void> | undefined;

  /** Records a flow this process has just written (read-your-writes before the subscription delivers it). */
  add(tenant: string, flowId: string): void {
    const set = this.#flows.get(tenant) ?? new Set<string>();
    set.add(flowId);
    this.#flows.set(tenant, set);
  }

  /** The flow ids of `tenant`, sorted; waits (once) until the catalogue has read the log up to its start. */
  async list(store: EventStore, tenant: string, timeoutMs = 10_000): Promise<string[]> {
    this.#ready ??= this.#start(store);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LedgerlineError('UNAVAILABLE', `The IVR flow catalogue did not catch up with the log within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.#ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return [...(this.#flows.get(tenant) ?? [])].sort();
  }

  /** Ends the subscription. */
  async stop(): Promise<void> {
    await this.#subscription?.unsubscribe();
    await this.#loop;
  }

  async #start(store: EventStore): Promise<void> {
    const head = await store.headPosition();
    let markReady!: () => void;
    let failed!: (e: unknown) => void;
    const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (failed = reject)));
    if (head === undefined) markReady();
    const seen = (p: Position) => {
      if (head !== undefined && atOrAfter(p, head)) markReady();
    };
    const subscription = store.subscribeToAll({ fromPosition: 'start', filter: { streamNamePrefixes: ['ivrflow-'] }, onCheckpoint: seen });
    this.#subscription = subscription;
    this.#loop = (async () => {
      try {
        for await (const recorded of subscription) {
          const parsed = parseTenantStream(recorded.streamId);
          if (parsed && parsed.category === 'ivrflow') this.add(parsed.tenant, parsed.id);
          seen(recorded.position);
        }
      } catch (e) {
        // A broken subscription is retried on the next list rather than serving a silently frozen catalogue.
        this.#ready = undefined;
        failed(e);
      }
    })();
    return ready;
  }
}
