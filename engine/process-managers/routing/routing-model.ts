// The routing manager's in-memory model of queues, calls and agents, folded with the domain's own evolve functions
// from the log (and from the outcomes of the manager's own commands, which arrive before the log shows them). Each
// stream's revision is tracked, so an event seen twice is applied once. The router's view is built from it without
// reading the store.
import { evolveAgent, initialAgentState, type AgentDeciderState } from '../../../domain/agent/agent-state.ts';
import type { AgentEvent } from '../../../domain/agent/agent-events.ts';
import type { CallEvent } from '../../../domain/call/call-events.ts';
import { evolveCall } from '../../../domain/call/call-evolve.ts';
import { initialCallState, type CallState } from '../../../domain/call/call-state.ts';
import type { DomainEvent } from '../../../domain/events/registry.ts';
import type { QueueConfig, QueueState } from '../../../domain/queue/queue-config.ts';
import { initialQueueState } from '../../../domain/queue/queue-config.ts';
import { evolveQueue } from '../../../domain/queue/queue-decider.ts';
import type { QueueEvent } from '../../../domain/queue/queue-events.ts';
import type { ExitAgent, ExitCall, QueueExitRules } from '../../../domain/routing/queue-exits.ts';
import type { RouteInput, RoutingAgent, RoutingCall, RoutingQueue } from '../../../domain/routing/routing-view.ts';
import type { RelaxationStep, SkillRequirement } from '../../../domain/shared/contact-center.ts';
import { parseTenantStream } from '../../../domain/shared/tenant-stream.ts';

/** A call as the engine tracks it: its decider state plus where its caller leg lives. */
export interface CallRecord {
  readonly state: CallState;
  readonly revision: bigint;
  readonly switchId: string | null;
  readonly callerLegUuid: string | null;
  readonly tier: string | null;
}

interface Versioned<S> {
  readonly state: S;
  readonly revision: bigint;
}

// A callback_pending call waits at its place too (agent first: it is offered like a caller once due).
const WAITING_WITH_QUEUE = new Set(['queued', 'offered', 'ringing', 'agent_answered', 'callback_pending']);

/**
 * See the module comment. One model holds ONE tenant (ids inside are the bare ids the events carry, as the deciders
 * see them); the manager keeps a model per tenant, so the router never sees two tenants at once.
 */
export class RoutingModel {
  /** The tenant whose streams this model folds (undefined: the default tenant's bare streams). */
  readonly tenant: string | undefined;
  readonly queues = new Map<string, Versioned<QueueState>>();
  readonly agents = new Map<string, Versioned<AgentDeciderState>>();
  /** Live calls (not ended). */
  readonly calls = new Map<string, CallRecord>();
  /** Recently ended calls, so late reactions (wrap-up, leg kills) still find them; bounded. */
  readonly ended = new Map<string, CallRecord>();
  /** agentId → queueId → membership priority (1 most preferred). */
  readonly memberships = new Map<string, Map<string, number>>();
  /** queueId → the agent it offered a call to last (round-robin memory, derived from AgentOffered). */
  readonly roundRobinCursors = new Map<string, string>();
  /** callerLegUuid → callId. */
  readonly callByCallerLeg = new Map<string, string>();
  readonly #maxEnded: number;
  #routingQueues: Map<string, RoutingQueue> | undefined;
  readonly #routingAgents = new Map<string, RoutingAgent>();
  readonly #routingCalls = new Map<string, RoutingCall>();

  constructor(options: { readonly maxEndedCalls?: number; readonly tenant?: string } = {}) {
    this.#maxEnded = options.maxEndedCalls ?? 20_000;
    this.tenant = options.tenant;
  }

  /** The call, live or recently ended. */
  call(callId: string): CallRecord | undefined {
    return this.calls.get(callId) ?? this.ended.get(callId);
  }

  /** The revision the model holds for a stream (undefined: never seen). */
  revisionOf(streamId: string): bigint | undefined {
    const [category, id] = split(streamId);
    if (category === 'call') return this.call(id)?.revision;
    if (category === 'agent') return this.agents.get(id)?.revision;
    if (category === 'queue') return this.queues.get(id)?.revision;
    return undefined;
  }

  /** Applies one event at `revision` of `streamId`; false (nothing changed) when the model already holds it. */
  apply(streamId: string, revision: bigint, event: DomainEvent): boolean {
    const known = this.revisionOf(streamId);
    if (known !== undefined && revision <= known) return false;
    const [category, id] = split(streamId);
    if (category === 'call') this.#applyCall(id, revision, event as CallEvent);
    else if (category === 'agent') this.#applyAgent(id, revision, event as AgentEvent);
    else if (category === 'queue') this.#applyQueue(id, revision, event as QueueEvent);
    return true;
  }

  /** Applies the events a command appended, ending at `lastRevision`. */
  applyOutcome(streamId: string, lastRevision: bigint | undefined, events: readonly DomainEvent[]): void {
    if (lastRevision === undefined) return;
    const first = lastRevision - BigInt(events.length) + 1n;
    events.forEach((e, i) => this.apply(streamId, first + BigInt(i), e));
  }

  #applyCall(callId: string, revision: bigint, e: CallEvent): void {
    const prev = this.calls.get(callId) ?? this.ended.get(callId) ?? { state: initialCallState, revision: -1n, switchId: null, callerLegUuid: null, tier: null };
    let { switchId, callerLegUuid, tier } = prev;
    if (e.type === 'CallArrived' || e.type === 'CallOriginated') {
      switchId = e.data.switchId;
      callerLegUuid = e.data.channelUuid;
      this.callByCallerLeg.set(callerLegUuid, callId);
    }
    if (e.type === 'CallerIdentified') tier = e.data.tier;
    if (e.type === 'CallbackAttempted') {
      // The customer's leg is now the one we dial back.
      callerLegUuid = e.data.channelUuid;
      this.callByCallerLeg.set(callerLegUuid, callId);
    }
    const next: CallRecord = { state: evolveCall(prev.state, e), revision, switchId, callerLegUuid, tier };
    this.#routingCalls.delete(callId);
    if (next.state.status === 'ended' || next.state.status === 'dispositioned') {
      this.calls.delete(callId);
      this.ended.delete(callId);
      this.ended.set(callId, next);
      if (this.ended.size > this.#maxEnded) {
        const oldest = this.ended.keys().next().value!;
        const old = this.ended.get(oldest);
        if (old?.callerLegUuid) this.callByCallerLeg.delete(old.callerLegUuid);
        this.ended.delete(oldest);
      }
    } else {
      this.calls.set(callId, next);
    }
  }

  #applyAgent(agentId: string, revision: bigint, e: AgentEvent): void {
    const prev = this.agents.get(agentId)?.state ?? initialAgentState;
    this.agents.set(agentId, { state: evolveAgent(prev, e), revision });
    this.#routingAgents.delete(agentId);
    if (e.type === 'AgentOffered') this.roundRobinCursors.set(e.data.queueId, agentId);
  }

  #applyQueue(queueId: string, revision: bigint, e: QueueEvent): void {
    const prev = this.queues.get(queueId)?.state ?? initialQueueState;
    const next = evolveQueue(prev, e);
    this.queues.set(queueId, { state: next, revision });
    // Membership changes touch agents; settings changes touch every call of the queue.
    const before = prev.config?.agents ?? {};
    const after = next.status === 'active' ? (next.config?.agents ?? {}) : {};
    for (const agentId of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const m = this.memberships.get(agentId) ?? new Map<string, number>();
      if (after[agentId]) m.set(queueId, after[agentId].priority);
      else m.delete(queueId);
      this.memberships.set(agentId, m);
      this.#routingAgents.delete(agentId);
    }
    this.#routingQueues = undefined;
    for (const [callId, c] of this.#routingCalls) if (c.queueId === queueId) this.#routingCalls.delete(callId);
  }

  /** The active queue's configuration, or undefined. */
  queueConfig(queueId: string): QueueConfig | undefined {
    const q = this.queues.get(queueId)?.state;
    return q?.status === 'active' && q.config ? q.config : undefined;
  }

  /**
   * Calls waiting in a queue (queued, or offered from it, or a callback owed at its place), live only. With `now`, a
   * callback not yet due (notBefore > now) is left out.
   */
  *waitingCalls(now?: number): Iterable<[string, CallRecord]> {
    for (const entry of this.calls) {
      const s = entry[1].state;
      if (!s.queue || !WAITING_WITH_QUEUE.has(s.status)) continue;
      if (now !== undefined && s.status === 'callback_pending' && (s.callback?.notBefore ?? 0) > now) continue;
      yield entry;
    }
  }

  /** The earliest notBefore after `now` of a callback owed (when the router must look again), or undefined. */
  nextCallbackDueAt(now: number): number | undefined {
    let next: number | undefined;
    for (const c of this.calls.values()) {
      const due = c.state.status === 'callback_pending' ? c.state.callback?.notBefore : undefined;
      if (due != null && due > now && (next === undefined || due < next)) next = due;
    }
    return next;
  }

  /** The router's input at `now`. Entities unchanged since the last call are reused, not rebuilt. */
  routeInput(now: number, seed: number): RouteInput {
    if (!this.#routingQueues) {
      this.#routingQueues = new Map();
      for (const [queueId, q] of this.queues) {
        const config = q.state.status === 'active' ? q.state.config : null;
        if (config) this.#routingQueues.set(queueId, toRoutingQueue(config));
      }
    }
    const queues = [...this.#routingQueues.values()].map((q) => {
      const cursor = this.roundRobinCursors.get(q.id);
      return cursor === undefined ? q : { ...q, roundRobinCursor: cursor };
    });
    const waitingCalls: RoutingCall[] = [];
    for (const [callId, c] of this.waitingCalls(now)) {
      let rc = this.#routingCalls.get(callId);
      if (!rc) {
        const config = this.queueConfig(c.state.queue!.queueId);
        rc = toRoutingCall(callId, c, config);
        this.#routingCalls.set(callId, rc);
      }
      waitingCalls.push(rc);
    }
    const agents: RoutingAgent[] = [];
    for (const [agentId, a] of this.agents) {
      if (a.state.state === 'logged_out') continue;
      let ra = this.#routingAgents.get(agentId);
      if (!ra) {
        ra = toRoutingAgent(agentId, a.state, this.memberships.get(agentId));
        this.#routingAgents.set(agentId, ra);
      }
      agents.push(ra);
    }
    return { queues, waitingCalls, agents, now, seed };
  }

  /** The exit rules, waiting callers and staffed agents of each active queue with callers. */
  exitViews(): { rules: QueueExitRules; calls: ExitCall[]; agents: ExitAgent[] }[] {
    const byQueue = new Map<string, ExitCall[]>();
    for (const [callId, c] of this.waitingCalls()) {
      // A callback (owed, or being offered) has no caller on the line: queue limits do not apply to it.
      if (c.state.callback) continue;
      const qid = c.state.queue!.queueId;
      const list = byQueue.get(qid) ?? [];
      list.push({ id: callId, enqueuedAt: c.state.queue!.enteredAt, offered: c.state.status !== 'queued' });
      byQueue.set(qid, list);
    }
    const out: { rules: QueueExitRules; calls: ExitCall[]; agents: ExitAgent[] }[] = [];
    for (const [queueId, calls] of byQueue) {
      const config = this.queueConfig(queueId);
      if (!config) continue;
      const agents = Object.keys(config.agents).map((id) => ({ id, state: this.agents.get(id)?.state.state ?? 'logged_out' }));
      out.push({ rules: { queueId, ...config.limits }, calls, agents });
    }
    return out;
  }
}

/** Category and bare id of a stream of this model's tenant (the caller routes streams to their tenant's model). */
function split(streamId: string): [string, string] {
  const { category, id } = parseTenantStream(streamId);
  return [category, id];
}

/** QueueConfig → the router's queue (docs/parts/routing.md, "Mapping from the queue configuration"). */
export function toRoutingQueue(config: QueueConfig): RoutingQueue {
  return {
    id: config.queueId,
    strategy: config.routing.strategy,
    // The configuration has no queue priority yet: every queue equal, so callers of different queues go longest wait first.
    priority: 0,
    waitWeight: config.priority.weightPerSecondWaited,
    relaxation: [{ afterSeconds: 0, requirements: config.skills.base }, ...config.skills.relaxation],
    ...(config.routing.ringProgressivelyEverySeconds !== null ? { ringProgressivelyIntervalSeconds: config.routing.ringProgressivelyEverySeconds } : {}),
    overflow: config.overflow,
  };
}

/**
 * A waiting call → the router's call. Base priority = the tier's base (or the queue's default) + the priority the
 * call was queued with. Skills the call was queued with are added to the queue's first step only: the queue's later
 * steps relax them like any other requirement.
 */
export function toRoutingCall(callId: string, c: CallRecord, config: QueueConfig | undefined): RoutingCall {
  const q = c.state.queue!;
  const tierBase = config ? ((c.tier !== null ? config.priority.baseByTier[c.tier] : undefined) ?? config.priority.defaultBase) : 0;
  const call: RoutingCall = { id: callId, queueId: q.queueId, enqueuedAt: q.enteredAt, basePriority: tierBase + q.priority };
  const withOffer: RoutingCall = c.state.offer
    ? { ...call, offer: { startedAt: c.state.offer.offeredAt, ringingAgentIds: [c.state.offer.agentId], releasedAgentIds: [] } }
    : call;
  if (q.requiredSkills.length === 0 || !config) return withOffer;
  const first: SkillRequirement[] = [...config.skills.base.filter((b) => !q.requiredSkills.some((r) => r.skill === b.skill)), ...q.requiredSkills];
  const relaxation: RelaxationStep[] = [{ afterSeconds: 0, requirements: first }, ...config.skills.relaxation];
  return { ...withOffer, relaxation };
}

/** An agent's decider state → the router's agent. */
export function toRoutingAgent(agentId: string, s: AgentDeciderState, memberships: ReadonlyMap<string, number> | undefined): RoutingAgent {
  return {
    id: agentId,
    state: s.state,
    skills: s.skills,
    queues: [...(memberships ?? new Map<string, number>())].map(([queueId, position]) => ({ queueId, position })),
    capacity: s.capacity.voice,
    activeCalls: s.call ? 1 : 0,
    ...(s.unavailableUntil !== null ? { unavailableUntil: s.unavailableUntil } : {}),
    idleSince: s.since ?? 0,
    talkSeconds: s.totals.talkMs / 1000,
    callsHandled: s.totals.handled,
  };
}
