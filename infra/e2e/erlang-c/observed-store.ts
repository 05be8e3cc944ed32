// TEST AND BENCHMARK SUPPORT: an EventStore decorator that knows whether the store is busy for its users: operations
// in flight (appends, reads, head look-ups), and whether every catch-up subscription has scanned past every append
// made through it that its filter matches (the store wakes only those; the others catch up at their next idle poll,
// which nobody waits for). The engine's managers follow the log by polling subscriptions, so "the engine is idle"
// also needs "no appended event is still on its way to a subscriber" (quiescence.ts).
import type { EventData, EventStore, Position, RecordedEvent, StreamSubscription, SubscribeToAllOptions } from '../../../adapters/event-store/port.ts';

interface Tracked {
  /** Whether an append to `stream` with these event types is one the subscription delivers. */
  readonly wants: (stream: string, types: readonly string[]) => boolean;
  /** Position of the last append it delivers. */
  needs: Position | undefined;
  /** Furthest position the subscription reported scanned (after its consumer took the batch's last event). */
  checkpoint: Position | undefined;
}

const after = (a: Position, b: Position): boolean => a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare);

/** The decorated store, and what it observed. */
export interface ObservedStore {
  readonly store: EventStore;
  /** Operations started through `store` and not settled (a read counts until its iteration ends). */
  inFlight(): number;
  /** Successful appends so far. */
  appends(): number;
  /** True when every live `subscribeToAll` subscription has checkpointed at or past the last append it delivers. */
  subscriptionsCaughtUp(): boolean;
  /** Calls `fn` on every settled operation and every subscription checkpoint (a hint that something moved). */
  onActivity(fn: () => void): void;
}

/** Wraps `inner`; subscribeToAll and every async method are observed, the rest passes straight through. */
export function observeStore(inner: EventStore): ObservedStore {
  let appended = 0;
  let inFlight = 0;
  const subs = new Set<Tracked>();
  const listeners: (() => void)[] = [];
  const moved = (): void => {
    for (const fn of listeners) fn();
  };

  // Reads are not activity: the managers' own idle() look at the head, and settling must not chase its own probes.
  const track = async <T>(p: Promise<T>, hint = false): Promise<T> => {
    inFlight++;
    try {
      return await p;
    } finally {
      inFlight--;
      if (hint) moved();
    }
  };

  const readable = (it: AsyncIterable<RecordedEvent>): AsyncIterable<RecordedEvent> => ({
    [Symbol.asyncIterator]: () => {
      const inner = it[Symbol.asyncIterator]();
      let open = false;
      const close = (): void => {
        if (!open) return;
        open = false;
        inFlight--;
      };
      return {
        next: async () => {
          if (!open) {
            open = true;
            inFlight++;
          }
          try {
            const r = await inner.next();
            if (r.done) close();
            return r;
          } catch (e) {
            close();
            throw e;
          }
        },
        return: async (value?: unknown) => {
          close();
          return (await inner.return?.(value)) ?? { value: undefined, done: true };
        },
      };
    },
  });

  const subscribeToAll = (options: SubscribeToAllOptions = {}): StreamSubscription => {
    const streams = options.filter?.streamNamePrefixes;
    const types = options.filter?.eventTypePrefixes;
    const t: Tracked = {
      // The same rule the SQL store applies to wake a subscription (sql-event-store.ts).
      wants: (stream, appended) =>
        (streams === undefined || streams.some((p) => stream.startsWith(p))) && (types === undefined || appended.some((a) => types.some((p) => a.startsWith(p)))),
      needs: undefined,
      checkpoint: undefined,
    };
    subs.add(t);
    const sub = inner.subscribeToAll({
      ...options,
      onCheckpoint: (p) => {
        if (!t.checkpoint || after(p, t.checkpoint)) t.checkpoint = p;
        moved();
        return options.onCheckpoint?.(p);
      },
    });
    return {
      [Symbol.asyncIterator]: () => sub[Symbol.asyncIterator](),
      unsubscribe: async () => {
        subs.delete(t);
        await sub.unsubscribe();
      },
    };
  };

  const store = new Proxy(inner, {
    get(target, prop) {
      switch (prop) {
        case 'subscribeToAll':
          return subscribeToAll;
        case 'readStream':
        case 'readAll':
          return (...args: unknown[]) => readable((Reflect.get(target, prop, target) as (...a: unknown[]) => AsyncIterable<RecordedEvent>).apply(target, args));
        case 'appendToStream':
          return async (...args: Parameters<EventStore['appendToStream']>) => {
            const r = await track(target.appendToStream(...args), true);
            appended++;
            const types = (Array.isArray(args[1]) ? (args[1] as readonly EventData[]) : [args[1] as EventData]).map((e) => e.type);
            for (const t of subs) if (t.wants(args[0], types) && (!t.needs || after(r.position, t.needs))) t.needs = r.position;
            return r;
          };
        case 'subscribeToStream':
        case 'close':
          break;
        default: {
          const v: unknown = Reflect.get(target, prop, target);
          if (typeof v === 'function') return (...args: unknown[]) => track(Promise.resolve((v as (...a: unknown[]) => unknown).apply(target, args)));
          return v;
        }
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });

  return {
    store,
    inFlight: () => inFlight,
    appends: () => appended,
    subscriptionsCaughtUp: () => {
      for (const t of subs) if (t.needs && (!t.checkpoint || after(t.needs, t.checkpoint))) return false;
      return true;
    },
    onActivity: (fn) => void listeners.push(fn),
  };
}
