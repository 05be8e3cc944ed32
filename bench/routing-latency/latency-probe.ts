// What the routing-latency benchmark measures, and where: a thin wrapper around the event store and one around the
// switch port handed to startEngine, both recording wall-clock times (performance.now()) without changing behaviour.
//   queued   = the moment the append that wrote a call's CallQueued event resolved in the engine (the inbound manager's
//              QueueCall command returned from the store: committed, and visible to any poll started after it);
//   offered  = the moment the routing manager called SwitchPort.originate for the call's agent leg (role `agent`;
//              the ESL port writes the bgapi on the socket in that same call, before its first await);
//   eligible = at `queued`, the routing manager's own model held more ready agents than calls waiting without an offer
//              (an agent was free for this call: its wait is routing latency, not waiting for an agent).
import { performance } from 'node:perf_hooks';
import type { EventData, EventStore } from '../../adapters/event-store/port.ts';
import type { RoutingModel } from '../../engine/process-managers/routing/routing-model.ts';
import type { OriginateLegRequest, SwitchPort } from '../../engine/ports/switch-port.ts';

/** One call's timestamps (ms, performance.now()). */
export interface CallTimes {
  queuedAt: number;
  eligible: boolean;
  originatedAt?: number;
  /** Where the time went: the routing manager's subscription delivered CallQueued; the agent offer's append started and resolved; the call's offer append resolved. */
  deliveredAt?: number;
  offerStartedAt?: number;
  agentOfferedAt?: number;
  callOfferedAt?: number;
}

/** The phases of a routing latency, in order (ms from the previous phase). */
export const PHASES = ['delivered', 'offerStarted', 'agentOffered', 'callOffered', 'originated'] as const;

/** Collects per-call times; `model` is read at queue time to decide eligibility. */
export class LatencyProbe {
  readonly calls = new Map<string, CallTimes>();
  model: (() => RoutingModel) | undefined;
  appends = 0;
  /** Store calls by method (appends, reads, …) and by the stream category they were for. */
  readonly storeCalls = new Map<string, number>();

  /** The store as the engine sees it: same instance underneath (so its own wake-ups still reach its subscriptions). */
  wrapStore(store: EventStore): EventStore {
    return new Proxy(store, {
      get: (target, key) => {
        const v = Reflect.get(target, key, target) as unknown;
        if (typeof key === 'string' && typeof v === 'function' && key !== 'appendToStream' && key !== 'subscribeToAll') {
          return (...args: unknown[]) => {
            let what = `${key} ${typeof args[0] === 'string' ? args[0].split('-')[0] : ''}`;
            if (process.env.BENCH_STORE_CALLS === '2') what += ` ${(new Error().stack ?? '').split('\n').slice(2, 6).map((l) => l.trim().replace(/^at /, '').replace(/\(file:.*\/([^/]+:\d+):\d+\)/, '$1')).join(' < ')}`;
            this.storeCalls.set(what, (this.storeCalls.get(what) ?? 0) + 1);
            return (v as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        if (key === 'appendToStream') {
          return async (stream: string, events: EventData | readonly EventData[], options?: Parameters<EventStore['appendToStream']>[2]) => {
            const list = Array.isArray(events) ? (events as readonly EventData[]) : [events as EventData];
            const what = `append ${stream.split('-')[0]} ${list.map((e) => e.type).join('+')}`;
            this.storeCalls.set(what, (this.storeCalls.get(what) ?? 0) + 1);
            const offer = list.find((e) => e.type === 'AgentOffered' || e.type === 'CallOfferedToAgent');
            const offered = offer ? this.calls.get((offer.data as { callId: string }).callId) : undefined;
            if (offered && offer?.type === 'AgentOffered') offered.offerStartedAt ??= performance.now();
            const result = await target.appendToStream(stream, events, options);
            this.appends++;
            if (offered) {
              if (offer?.type === 'AgentOffered') offered.agentOfferedAt ??= performance.now();
              else offered.callOfferedAt ??= performance.now();
            }
            if (stream.startsWith('call-') && list.some((e) => e.type === 'CallQueued')) this.#queued(stream.slice('call-'.length));
            return result;
          };
        }
        if (key === 'subscribeToAll') {
          return (options?: Parameters<EventStore['subscribeToAll']>[0]) => {
            const sub = target.subscribeToAll(options);
            const calls = this.calls;
            return {
              unsubscribe: () => sub.unsubscribe(),
              async *[Symbol.asyncIterator]() {
                for await (const r of sub) {
                  if (r.type === 'CallQueued') {
                    const c = calls.get(r.streamId.slice('call-'.length));
                    if (c) c.deliveredAt ??= performance.now();
                  }
                  yield r;
                }
              },
            };
          };
        }
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }

  /** The switch port as the engine sees it, timing the agent legs' originates. */
  wrapSwitch(port: SwitchPort): SwitchPort {
    return new Proxy(port, {
      get: (target, key) => {
        const v = Reflect.get(target, key, target) as unknown;
        if (key === 'originate') {
          return (r: OriginateLegRequest) => {
            if (r.role === 'agent') {
              const c = this.calls.get(r.callId);
              if (c && c.originatedAt === undefined) c.originatedAt = performance.now();
            }
            return target.originate(r);
          };
        }
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }

  #queued(callId: string): void {
    const now = performance.now();
    if (this.calls.has(callId)) return;
    this.calls.set(callId, { queuedAt: now, eligible: this.#agentFree(callId) });
  }

  #agentFree(callId: string): boolean {
    const m = this.model?.();
    if (!m) return false;
    let ready = 0;
    for (const a of m.agents.values()) if (a.state.state === 'ready') ready++;
    let waiting = 0;
    for (const [id, c] of m.calls) if (id !== callId && c.state.status === 'queued' && !c.state.offer) waiting++;
    return ready > waiting;
  }
}
