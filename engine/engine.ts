// The engine as one unit: the durable timer service and the process managers, all on one event store and one switch
// port (each manager reads its own copy of the switch's facts through the fan-out). `serve`, the end-to-end tests and
// the benchmarks start it the same way; nothing here decides anything.
import type { EventStore } from '../adapters/event-store/port.ts';
import { CachedAggregates } from './aggregates/cached-aggregates.ts';
import type { Clock } from './clock.ts';
import { CallControlManager, type CallControlManagerOptions } from './process-managers/call-control/call-control-manager.ts';
import { InboundCallManager, type FlowForDid } from './process-managers/inbound/inbound-call-manager.ts';
import { QueueMediaManager } from './process-managers/queue-media/queue-media-manager.ts';
import type { CustomerLookup } from './process-managers/inbound/customer-lookup.ts';
import { RoutingManager, type RoutingManagerOptions } from './process-managers/routing/routing-manager.ts';
import type { SwitchPort } from './ports/switch-port.ts';
import { FactFanOut } from './switch/fact-fan-out.ts';
import { agentLegUuidFor } from './process-managers/routing/routing-ids.ts';
import { TimerService } from './timers/timer-service.ts';

export interface EngineOptions {
  readonly store: EventStore;
  readonly switchPort: SwitchPort;
  readonly clock: Clock;
  /** This process's name, recorded on the switch commands it claims (two processes must differ). */
  readonly instanceId: string;
  /** Which IVR flow (and tenant) answers a dialled number. */
  readonly flowForDid: FlowForDid;
  readonly lookup: CustomerLookup;
  readonly agentEndpoint?: RoutingManagerOptions['agentEndpoint'];
  readonly customerEndpoint?: RoutingManagerOptions['customerEndpoint'];
  /**
   * How long (on the engine's clock) a half-written offer of another instance is left alone before it is cancelled.
   * On an accelerated clock it must grow with the factor: the other instance's second append takes wall time.
   */
  readonly danglingOfferGraceMs?: number;
  /** How supervisors and external numbers are dialled, where recordings go, … (the in-call control's options). */
  readonly callControl?: Partial<Pick<CallControlManagerOptions, 'supervisorEndpoint' | 'numberEndpoint' | 'externalTransfer' | 'consentPromptPath' | 'recordingPath' | 'holdMusicPath'>>;
  /**
   * Which calls this process runs the IVR of and plays queue media to (default: all). With several processes on one
   * switch each owns a share, or callers would hear prompts and music twice; routing, timers and call control are
   * shared safely (expected revisions, claimed switch commands, idempotent ids).
   */
  readonly ownsCall?: (callStream: string) => boolean;
  /** Every error a manager survived, with where it happened. */
  readonly onError?: (error: unknown, where: string) => void;
}

/** A running engine. */
export interface Engine {
  readonly routing: RoutingManager;
  readonly inbound: InboundCallManager;
  readonly callControl: CallControlManager;
  readonly queueMedia: QueueMediaManager;
  readonly timers: TimerService;
  readonly fanOut: FactFanOut;
  /**
   * Channels this engine believes live on a switch: the caller leg of every open call and the agent leg of every
   * open offer (what the switch port's reconcile compares with the switch's own list after a reconnect).
   */
  openChannels(switchId: string): string[];
  /** Stops every manager (the switch port stays open: its owner closes it). */
  stop(): Promise<void>;
}

/**
 * Starts the timer service and the process managers; resolves once the routing manager has caught up with the log
 * and reconciled what a previous run left half-done, so the caller can report "ready".
 */
export async function startEngine(o: EngineOptions): Promise<Engine> {
  const onError = o.onError ?? (() => undefined);
  const fanOut = new FactFanOut(o.switchPort);
  // One aggregate cache for the routing manager and the timers: a timer's command (a ring timeout, a wrap-up end)
  // decides on the cached agent instead of reading the agent's whole stream each time.
  const aggregates = new CachedAggregates(o.store);
  const timers = new TimerService({ store: o.store, clock: o.clock, runner: aggregates, onError: (e, timerId) => onError(e, `timer ${timerId}`) });
  const routing = new RoutingManager({
    store: o.store,
    switchPort: fanOut.consumer('routing'),
    clock: o.clock,
    instanceId: o.instanceId,
    aggregates,
    ...(o.agentEndpoint ? { agentEndpoint: o.agentEndpoint } : {}),
    ...(o.customerEndpoint ? { customerEndpoint: o.customerEndpoint } : {}),
    ...(o.danglingOfferGraceMs !== undefined ? { danglingOfferGraceMs: o.danglingOfferGraceMs } : {}),
    onError: (e, context) => onError(e, `routing: ${context}`),
  });
  const inbound = new InboundCallManager({
    store: o.store,
    switchPort: fanOut.consumer('inbound'),
    clock: o.clock,
    flowForDid: o.flowForDid,
    lookup: o.lookup,
    ...(o.ownsCall ? { ownsCall: o.ownsCall } : {}),
    onError: (e, context) => onError(e, `inbound${context.callId ? ` ${context.callId}` : ''}`),
  });
  const callControl = new CallControlManager({
    store: o.store,
    switchPort: fanOut.consumer('call-control'),
    clock: o.clock,
    instanceId: o.instanceId,
    ...(o.agentEndpoint ? { agentEndpoint: o.agentEndpoint } : {}),
    ...o.callControl,
    onError: (e, context) => onError(e, `call control: ${String(context)}`),
  });
  const queueMedia = new QueueMediaManager({
    store: o.store,
    switchPort: fanOut.consumer('queue-media'),
    clock: o.clock,
    instanceId: o.instanceId,
    ...(o.ownsCall ? { ownsCall: o.ownsCall } : {}),
    onError: (e, context) => onError(e, `queue media: ${context}`),
  });
  fanOut.start();
  timers.start();
  inbound.start();
  callControl.start();
  await Promise.all([routing.start(), queueMedia.start()]);
  let stopped: Promise<void> | undefined;
  return {
    routing,
    inbound,
    callControl,
    queueMedia,
    timers,
    fanOut,
    openChannels: (switchId) => openChannelsOf(routing, switchId),
    stop() {
      stopped ??= (async () => {
        await routing.stop();
        await inbound.stop();
        await callControl.stop();
        await queueMedia.stop();
        await timers.stop();
      })();
      return stopped;
    },
  };
}

function openChannelsOf(routing: RoutingManager, switchId: string): string[] {
  const legs: string[] = [];
  for (const tenant of routing.tenants) {
    for (const call of routing.modelOf(tenant).calls.values()) {
      if (call.switchId !== switchId) continue;
      if (call.callerLegUuid) legs.push(call.callerLegUuid);
      if (call.state.offer) legs.push(agentLegUuidFor(call.state.offer.offerId));
    }
  }
  return legs;
}
