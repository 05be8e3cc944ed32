// The queue media manager's view of the log: live calls (their decider state, caller leg, announcements made),
// queues (configuration) and agents (state, and the handle times of the calls they finished, per queue), folded
// with the domain's own evolve functions. Everything the manager decides (when the next announcement is due, what
// estimate it carries, whether a key means "call me back") is derived from this fold, so a restart that folds the
// same log decides the same.
import { evolveAgent, initialAgentState, type AgentDeciderState } from '../../../domain/agent/agent-state.ts';
import type { AgentEvent } from '../../../domain/agent/agent-events.ts';
import type { CallEvent } from '../../../domain/call/call-events.ts';
import { evolveCall } from '../../../domain/call/call-evolve.ts';
import { initialCallState, type CallState } from '../../../domain/call/call-state.ts';
import type { DomainEvent } from '../../../domain/events/registry.ts';
import { initialQueueState, type QueueConfig, type QueueState } from '../../../domain/queue/queue-config.ts';
import { evolveQueue } from '../../../domain/queue/queue-decider.ts';
import type { QueueEvent } from '../../../domain/queue/queue-events.ts';
import type { WaitEstimateInput } from '../../../domain/routing/wait-estimate.ts';
import { parseTenantStream, tenantStream } from '../../../domain/shared/tenant-stream.ts';

/** A live call as the manager tracks it. Streams are full names (`call-acme.c1`); `callId` is the bare id of the data. */
export interface MediaCall {
  readonly stream: string;
  readonly callId: string;
  readonly tenant: string | undefined;
  readonly state: CallState;
  readonly revision: bigint;
  readonly switchId: string | null;
  /** The customer's leg now: the inbound leg, or the dial-back leg after a callback attempt. */
  readonly legUuid: string | null;
  /** WaitEstimateAnnounced events on the stream (the next announcement is number `announcements + 1`). */
  readonly announcements: number;
  /** CallbackRequested events on the stream. */
  readonly callbackRequests: number;
  /** When the caller last started waiting on the line: CallQueued, or CallbackCompleted (back with a new leg). */
  readonly waitStartedAt: number | null;
  /** The last announcement since `waitStartedAt`, if any. */
  readonly lastAnnouncedAt: number | null;
}

interface AgentRecord {
  readonly state: AgentDeciderState;
  readonly revision: bigint;
  /** offerId → the queue (bare id) it came from and, once wrap-up started, its talk + hold ms. */
  readonly offers: ReadonlyMap<string, { readonly queueId: string; readonly talkHoldMs: number | null }>;
}

/** Agent states in which an agent serves its queues (logged in and not on a break). */
const SERVING = new Set(['ready', 'offered', 'ringing', 'talking', 'wrap_up']);

/** See the module comment. */
export class QueueMediaModel {
  readonly calls = new Map<string, MediaCall>();
  readonly queues = new Map<string, { readonly state: QueueState; readonly revision: bigint }>();
  readonly agents = new Map<string, AgentRecord>();
  /** Caller leg uuid → call stream. */
  readonly callByLeg = new Map<string, string>();
  /** Queue stream → the most recent handle times (talk + hold + after-call work), seconds, oldest first. */
  readonly handleTimes = new Map<string, number[]>();
  /** Ended calls: their last revision, so late events (a disposition) are not taken for a new call. Bounded. */
  readonly #ended = new Map<string, bigint>();
  readonly #maxSamples: number;
  readonly #maxEnded: number;

  constructor(options: { readonly handleTimeSamples?: number; readonly maxEndedCalls?: number } = {}) {
    this.#maxSamples = options.handleTimeSamples ?? 50;
    this.#maxEnded = options.maxEndedCalls ?? 20_000;
  }

  /** The revision held for a stream (undefined: never seen). */
  revisionOf(stream: string): bigint | undefined {
    const category = stream.slice(0, stream.indexOf('-'));
    if (category === 'call') return this.calls.get(stream)?.revision ?? this.#ended.get(stream);
    if (category === 'agent') return this.agents.get(stream)?.revision;
    if (category === 'queue') return this.queues.get(stream)?.revision;
    return undefined;
  }

  /** Applies the event at `revision` of `stream`; false when it was applied already. */
  apply(stream: string, revision: bigint, event: DomainEvent): boolean {
    const known = this.revisionOf(stream);
    if (known !== undefined && revision <= known) return false;
    const category = stream.slice(0, stream.indexOf('-'));
    if (category === 'call') this.#applyCall(stream, revision, event as CallEvent);
    else if (category === 'agent') this.#applyAgent(stream, revision, event as AgentEvent);
    else if (category === 'queue') this.queues.set(stream, { state: evolveQueue(this.queues.get(stream)?.state ?? initialQueueState, event as QueueEvent), revision });
    else return false;
    return true;
  }

  #applyCall(stream: string, revision: bigint, e: CallEvent): void {
    if (this.#ended.has(stream)) {
      this.#ended.set(stream, revision);
      return;
    }
    const prev: MediaCall = this.calls.get(stream) ?? {
      stream,
      callId: e.data.callId,
      tenant: parseTenantStream(stream).tenant,
      state: initialCallState,
      revision: -1n,
      switchId: null,
      legUuid: null,
      announcements: 0,
      callbackRequests: 0,
      waitStartedAt: null,
      lastAnnouncedAt: null,
    };
    let next: MediaCall = { ...prev, state: evolveCall(prev.state, e), revision };
    switch (e.type) {
      case 'CallArrived':
      case 'CallOriginated':
      case 'CallbackAttempted':
        if (prev.legUuid) this.callByLeg.delete(prev.legUuid);
        next = { ...next, legUuid: e.data.channelUuid, switchId: 'switchId' in e.data ? e.data.switchId : next.switchId };
        this.callByLeg.set(e.data.channelUuid, stream);
        break;
      case 'CallQueued':
      case 'CallbackCompleted':
        next = { ...next, waitStartedAt: e.data.at, lastAnnouncedAt: null };
        break;
      case 'WaitEstimateAnnounced':
        next = { ...next, announcements: prev.announcements + 1, lastAnnouncedAt: e.data.at };
        break;
      case 'CallbackRequested':
        next = { ...next, callbackRequests: prev.callbackRequests + 1 };
        break;
      default:
        break;
    }
    if (next.state.status === 'ended' || next.state.status === 'dispositioned') {
      this.calls.delete(stream);
      if (next.legUuid && this.callByLeg.get(next.legUuid) === stream) this.callByLeg.delete(next.legUuid);
      this.#ended.set(stream, revision);
      if (this.#ended.size > this.#maxEnded) this.#ended.delete(this.#ended.keys().next().value!);
      return;
    }
    this.calls.set(stream, next);
  }

  #applyAgent(stream: string, revision: bigint, e: AgentEvent): void {
    const prev = this.agents.get(stream) ?? { state: initialAgentState, revision: -1n, offers: new Map() };
    const offers = new Map(prev.offers);
    switch (e.type) {
      case 'AgentOffered':
        offers.set(e.data.offerId, { queueId: e.data.queueId, talkHoldMs: null });
        break;
      case 'AgentWrapUpStarted': {
        const o = offers.get(e.data.offerId);
        if (o) offers.set(e.data.offerId, { ...o, talkHoldMs: e.data.talkMs + e.data.holdMs });
        break;
      }
      case 'AgentWrapUpEnded': {
        const o = offers.get(e.data.offerId);
        offers.delete(e.data.offerId);
        // One handled contact: talk + hold + after-call work, credited to the queue it was offered from.
        if (o && o.talkHoldMs !== null) this.#addHandleTime(tenantStream('queue', parseTenantStream(stream).tenant, o.queueId), (o.talkHoldMs + e.data.wrapUpMs) / 1000);
        break;
      }
      case 'AgentOfferMissed':
      case 'AgentOfferCancelled':
        offers.delete(e.data.offerId);
        break;
      default:
        break;
    }
    this.agents.set(stream, { state: evolveAgent(prev.state, e), revision, offers });
  }

  #addHandleTime(queueStream: string, seconds: number): void {
    const list = this.handleTimes.get(queueStream) ?? [];
    list.push(seconds);
    if (list.length > this.#maxSamples) list.splice(0, list.length - this.#maxSamples);
    this.handleTimes.set(queueStream, list);
  }

  /** The stream of the queue a call waits in (same tenant as the call), or undefined. */
  queueStreamOf(call: MediaCall): string | undefined {
    return call.state.queue ? tenantStream('queue', call.tenant, call.state.queue.queueId) : undefined;
  }

  /** The active configuration of the queue the call waits in. */
  queueConfigOf(call: MediaCall): QueueConfig | undefined {
    const stream = this.queueStreamOf(call);
    const q = stream ? this.queues.get(stream)?.state : undefined;
    return q?.status === 'active' && q.config ? q.config : undefined;
  }

  /**
   * What the domain's estimator needs for a queued call: callers still waiting (not yet offered) who entered the
   * same queue before it (ties by stream name), the queue's agents serving (logged in, not on a break) and free
   * (ready), and the queue's recent handle times.
   */
  waitEstimateInput(call: MediaCall): WaitEstimateInput | undefined {
    const queueStream = this.queueStreamOf(call);
    const config = this.queueConfigOf(call);
    const entry = call.state.queue;
    if (!queueStream || !config || !entry) return undefined;
    let ahead = 0;
    for (const other of this.calls.values()) {
      if (other === call || other.state.status !== 'queued' || !other.state.queue) continue;
      if (this.queueStreamOf(other) !== queueStream) continue;
      const o = other.state.queue.enteredAt;
      if (o < entry.enteredAt || (o === entry.enteredAt && other.stream < call.stream)) ahead++;
    }
    let staffed = 0;
    let idle = 0;
    for (const agentId of Object.keys(config.agents)) {
      const a = this.agents.get(tenantStream('agent', call.tenant, agentId))?.state;
      if (!a || !SERVING.has(a.state)) continue;
      staffed++;
      if (a.state === 'ready') idle++;
    }
    return { position: ahead, staffedAgents: staffed, idleAgents: idle, recentHandleTimesSeconds: this.handleTimes.get(queueStream) ?? [] };
  }
}

/**
 * When the next announcement of a queued call is due: an interval after the last one of this wait, else an interval
 * after the wait started (or at its start when the queue announces on entry). Undefined when the queue does not announce.
 */
export function nextAnnouncementAt(call: MediaCall, config: QueueConfig | undefined): number | undefined {
  if (call.state.status !== 'queued' || call.waitStartedAt === null || !config?.announcements.estimatedWait.enabled) return undefined;
  const every = config.announcements.estimatedWait.everySeconds * 1000;
  if (call.lastAnnouncedAt !== null) return call.lastAnnouncedAt + every;
  return config.announcements.estimatedWait.onEntry ? call.waitStartedAt : call.waitStartedAt + every;
}
