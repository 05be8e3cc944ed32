// The routing process manager: from "a call is queued while an agent is free" to "the agent's phone rings", and on
// to connected, wrap-up and ready again. It folds the log into an in-memory model (RoutingModel), runs the pure
// router when something relevant changes, and applies each decision as commands through the deciders:
//   1. OfferCall on the AGENT stream first, at the revision it holds: two managers racing for one agent conflict
//      there, and the loser re-reads a non-ready agent (AGENT_NOT_AVAILABLE) and skips: no double booking;
//   2. OfferToAgent on the CALL stream: if the call was offered elsewhere, answered or abandoned meanwhile, the agent
//      offer is cancelled (CancelOffer, rescinded);
//   3. the agent leg is originated once (a claim in the log guards it) with a uuid derived from the offer id.
// Everything after that is a reaction to switch facts and to the log, always with command ids derived from the
// offer or event that caused it, so reactions repeated after a restart or by a second manager are no-ops.
// All work runs one task at a time (a mailbox); decisions of one routing pass are applied concurrently.
import { agentLegFailureCause } from '../../../domain/call/agent-leg-failure.ts';
import type { EventStore, RecordedEvent, StreamSubscription } from '../../../adapters/event-store/port.ts';
import { parseAgentCommand, type AgentCommandInput } from '../../../domain/agent/agent-commands.ts';
import { agentDecider, agentStream } from '../../../domain/agent/agent-decider.ts';
import type { OfferMissReason } from '../../../domain/agent/agent-schemas.ts';
import { parseCallCommand, type CallCommandInput } from '../../../domain/call/call-commands.ts';
import { callDecider, callStreamName } from '../../../domain/call/call-decider.ts';
import type { DomainEvent } from '../../../domain/events/registry.ts';
import { isLedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { uuidV5 } from '../../../domain/ids/deterministic-id.ts';
import { offerPolicyOf } from '../../../domain/queue/queue-offer-policy.ts';
import { decideExits, type ExitReason } from '../../../domain/routing/queue-exits.ts';
import { route } from '../../../domain/routing/router.ts';
import type { Assignment } from '../../../domain/routing/routing-view.ts';
import type { CommandOutcome } from '../../command-handling/handle-command.ts';
import { toDomainEvent } from '../../command-handling/handle-command.ts';
import { CachedAggregates } from '../../aggregates/cached-aggregates.ts';
import type { Clock, ClockTimer } from '../../clock.ts';
import type { SwitchEndpoint, SwitchFact, SwitchPort } from '../../ports/switch-port.ts';
import { claimSwitchCommand } from '../../switch-commands/switch-command-claims.ts';
import { scheduleTimer } from '../../timers/timer-service.ts';
import { agentLegUuidFor, engineCommandId, offerIdFor } from './routing-ids.ts';
import { RoutingModel } from './routing-model.ts';

/** The ring-timeout timer is a backstop behind the switch's own originate_timeout, which normally ends the ring first. */
const RING_TIMER_SLACK_MS = 2000;

export interface RoutingManagerOptions {
  readonly store: EventStore;
  readonly switchPort: SwitchPort;
  readonly clock: Clock;
  /** This instance's name, recorded on the switch commands it claims. */
  readonly instanceId: string;
  /** How an agent is dialled (default: the directory user named like the agent). */
  readonly agentEndpoint?: (agentId: string) => SwitchEndpoint;
  /** How a customer is dialled back (default: the `default` gateway). */
  readonly customerEndpoint?: (number: string) => SwitchEndpoint;
  /** Where a voicemail exit sends the caller (default: extension `voicemail-<mailbox>`). */
  readonly voicemailExtension?: (mailbox: string) => { exten: string; context?: string };
  /**
   * An agent offer whose call does not show it after this long was left half-done (its manager died between the two
   * appends): it is cancelled. Must exceed the time between the two appends by far. Default 5000 ms.
   */
  readonly danglingOfferGraceMs?: number;
  /** Errors of reactions (logged by the caller; the manager keeps serving). */
  readonly onError?: (error: unknown, context: string) => void;
  /** Reuse an aggregate cache (e.g. shared with other managers of the same store connection). */
  readonly aggregates?: CachedAggregates;
}

type Refusal = { readonly refused: string };

/** See the module comment. `start()` catches up from the log, reconciles, then serves; `stop()` ends it. */
export class RoutingManager {
  readonly model = new RoutingModel();
  readonly #o: RoutingManagerOptions;
  readonly #agg: CachedAggregates;
  #subscription: StreamSubscription | undefined;
  #loops: Promise<void>[] = [];
  #mailbox: Promise<void> = Promise.resolve();
  readonly #lanes = new Map<string, Promise<void>>();
  /** Offers being applied, and their calls and agents (kept out of the next passes until applied). */
  readonly #inflight = new Set<Promise<void>>();
  readonly #inflightCalls = new Set<string>();
  readonly #inflightAgents = new Set<string>();
  #live = false;
  #stopped = false;
  #routeQueued = false;
  #review: { at: number; timer: ClockTimer } | undefined;
  #lastEventId = '';
  readonly #scheduledTimers = new Set<string>();
  readonly #rechecks = new Map<string, ClockTimer>();
  /** Events this manager's own commands appended: reacted to at the end of the task (off the routing latency path). */
  readonly #ownEvents: DomainEvent[] = [];
  /** Counters for tests and benchmarks. */
  readonly stats = { passes: 0, offers: 0, offerRefusals: 0, originates: 0, exits: 0 };

  constructor(options: RoutingManagerOptions) {
    this.#o = options;
    this.#agg = options.aggregates ?? new CachedAggregates(options.store);
  }

  /** Catches up from the start of the log, reconciles half-done work, routes, then follows the log and the switch. */
  async start(): Promise<void> {
    const head = await this.#o.store.headPosition();
    let caughtUp!: () => void;
    const ready = new Promise<void>((r) => (caughtUp = r));
    const reached = (p: { commit: bigint; prepare: bigint }): boolean =>
      head === undefined || p.commit > head.commit || (p.commit === head.commit && p.prepare >= head.prepare);
    if (head === undefined) caughtUp();
    this.#subscription = this.#o.store.subscribeToAll({
      fromPosition: 'start',
      filter: { streamNamePrefixes: ['call-', 'agent-', 'queue-'] },
      onCheckpoint: (p) => {
        if (reached(p)) caughtUp();
      },
    });
    const sub = this.#subscription;
    this.#loops.push(
      (async () => {
        for await (const recorded of sub) {
          if (this.#stopped) break;
          await this.#enqueue(() => this.#onRecorded(recorded), 'event');
          if (reached(recorded.position)) caughtUp();
        }
      })(),
    );
    await ready;
    await this.#enqueue(async () => {
      this.#live = true;
      await this.#reconcileAll();
    }, 'reconcile');
    this.#requestRoute();
    const facts = this.#o.switchPort.facts();
    this.#loops.push(
      (async () => {
        for await (const fact of facts) {
          if (this.#stopped) break;
          // Facts of one call stay in order; facts of different calls are handled concurrently (the deciders and
          // expected revisions keep them safe), so a slow append for one call does not hold up routing.
          this.#inLane(fact.callId ?? this.model.callByCallerLeg.get(fact.legUuid) ?? fact.legUuid, () => this.#onFact(fact), `fact ${fact.kind}`);
        }
      })(),
    );
  }

  /** Stops following the log and the switch (facts already queued are dropped); waits for the task in hand. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#review?.timer.cancel();
    for (const t of this.#rechecks.values()) t.cancel();
    await this.#subscription?.unsubscribe();
    await this.#mailbox.catch(() => undefined);
    await Promise.all([...this.#lanes.values(), ...this.#inflight]);
  }

  /** Resolves when no task is queued (tests, benchmarks). */
  async idle(): Promise<void> {
    for (;;) {
      const before = this.#mailbox;
      await Promise.all([before, ...this.#lanes.values(), ...this.#inflight]);
      await new Promise((r) => setImmediate(r));
      if (before === this.#mailbox && this.#lanes.size === 0 && this.#inflight.size === 0) return;
    }
  }

  #inLane(key: string, task: () => Promise<void>, what: string): void {
    const next = (this.#lanes.get(key) ?? Promise.resolve()).then(async () => {
      if (this.#stopped) return;
      try {
        await task();
      } catch (error) {
        this.#o.onError?.(error, what);
      }
      await this.#drainOwnEvents();
    });
    this.#lanes.set(key, next);
    void next.then(() => {
      if (this.#lanes.get(key) === next) this.#lanes.delete(key);
    });
  }

  async #drainOwnEvents(): Promise<void> {
    // Our own commands' events reach the model at once, and the log later (then they are not new): react now.
    while (this.#ownEvents.length > 0 && !this.#stopped) {
      const e = this.#ownEvents.shift()!;
      await this.#guard(() => this.#react(e), `reaction to ${e.type}`);
    }
  }

  #enqueue(task: () => Promise<void>, what: string): Promise<void> {
    const next = this.#mailbox.then(async () => {
      if (this.#stopped) return;
      try {
        await task();
      } catch (error) {
        this.#o.onError?.(error, what);
      }
      await this.#drainOwnEvents();
    });
    this.#mailbox = next;
    return next;
  }

  #requestRoute(): void {
    if (this.#routeQueued || !this.#live || this.#stopped) return;
    this.#routeQueued = true;
    void this.#enqueue(async () => {
      this.#routeQueued = false;
      await this.#routePass();
    }, 'route');
  }

  // ---- the log ---------------------------------------------------------------------------------------------------

  async #onRecorded(recorded: RecordedEvent): Promise<void> {
    let event: DomainEvent;
    try {
      event = toDomainEvent(recorded);
    } catch (error) {
      this.#o.onError?.(error, `unreadable event ${recorded.type} in ${recorded.streamId}`);
      return;
    }
    this.#lastEventId = recorded.id;
    const category = recorded.streamId.slice(0, recorded.streamId.indexOf('-'));
    if (category === 'agent') this.#agg.observe(agentDecider, recorded);
    else if (category === 'call') this.#agg.observe(callDecider, recorded);
    if (!this.model.apply(recorded.streamId, recorded.revision, event)) return;
    if (this.#live) await this.#react(event);
  }

  /** What an event (new to this manager) calls for. */
  async #react(e: DomainEvent): Promise<void> {
    switch (e.type) {
      case 'CallQueued':
      case 'CallPriorityChanged':
      case 'CallbackCompleted':
      case 'AgentReady':
      case 'AgentSkillsChanged':
      case 'AgentStateForced':
      case 'AgentWrapUpEnded':
      case 'AgentLoggedIn':
      case 'AgentLoggedOut':
      case 'AgentNotReady':
      case 'AgentBrokeOut':
        this.#requestRoute();
        return;
      case 'AgentLegFailed':
        await this.#killAgentLeg(e.data.callId, e.data.offerId, 'agent-leg-failed');
        this.#requestRoute();
        return;
      case 'AgentOffered':
        await this.#reconcileAgent(e.data.agentId);
        return;
      case 'AgentWrapUpStarted':
      case 'AgentWrapUpExtended':
        await this.#reconcileAgent(e.data.agentId);
        return;
      case 'AgentOfferMissed':
        await this.#reconcileCall(e.data.callId, e.data.reason);
        await this.#killAgentLeg(e.data.callId, e.data.offerId, 'offer-missed');
        this.#requestRoute();
        return;
      case 'AgentOfferCancelled':
        await this.#reconcileCall(e.data.callId, 'agent_unavailable');
        await this.#killAgentLeg(e.data.callId, e.data.offerId, 'offer-cancelled');
        this.#requestRoute();
        return;
      case 'CallOfferCancelled':
        await this.#reconcileAgent(e.data.agentId);
        return;
      case 'CallOfferedToAgent':
        await this.#reconcileCall(e.data.callId);
        return;
      case 'CallEnded':
        await this.#onCallEnded(e.data.callId, e.data.hungUpBy, e.data.agentId);
        this.#requestRoute();
        return;
      case 'CallbackRequested':
        await this.#onCallbackRequested(e.data.callId, e.data.at);
        return;
      case 'CallbackScheduled':
        await this.#scheduleCallbackAttempt(e.data.callId, e.data.callbackId, 1, e.data.notBefore);
        return;
      case 'CallbackFailed':
        if (e.data.willRetry) await this.#scheduleCallbackAttempt(e.data.callId, e.data.callbackId, (this.model.call(e.data.callId)?.state.callback?.attempts ?? 0) + 1, e.data.at + this.#retryIntervalMs(e.data.callId));
        return;
      case 'CallbackAttempted':
        await this.#dialBack(e.data.callId, e.data.attemptId, e.data.number, e.data.channelUuid);
        return;
      case 'CallOverflowed':
        await this.#onOverflowed(e.data.callId, e.data.exit);
        this.#requestRoute();
        return;
      default:
        if (e.type.startsWith('Queue')) this.#requestRoute();
    }
  }

  // ---- reconciliation: make the switch and the other aggregate agree with what the log says --------------------

  async #reconcileAll(): Promise<void> {
    for (const agentId of [...this.model.agents.keys()]) await this.#guard(() => this.#reconcileAgent(agentId, true), `reconcile agent ${agentId}`);
    for (const callId of [...this.model.calls.keys()]) await this.#guard(() => this.#reconcileCall(callId), `reconcile call ${callId}`);
  }

  /** Brings one agent's offer or call in line with its call. `resuming`: also checks effects against the switch. */
  async #reconcileAgent(agentId: string, resuming = false, resynced = false): Promise<void> {
    const a = this.model.agents.get(agentId)?.state;
    if (!a?.call) return;
    const { offerId, callId } = a.call;
    const call = this.model.call(callId);
    const callOffer = call?.state.offer?.offerId === offerId ? call.state.offer : null;
    const at = this.#o.clock.now();
    if (a.state === 'offered' || a.state === 'ringing') {
      // Our own offer still being applied settles itself (and is reconciled if it fails).
      if (this.#inflightAgents.has(agentId)) return;
      await this.#ensureRingTimer(agentId, offerId, a.call.expiresAt);
      if (!callOffer && !resynced) {
        // Before withdrawing anything, read the call's stream: the model may lag it.
        await this.#syncModel(callStreamName(callId));
        return this.#reconcileAgent(agentId, resuming, true);
      }
      if (!callOffer) {
        // The call never showed this offer, or no longer does.
        const ended = !call || call.state.status === 'ended' || call.state.status === 'dispositioned';
        // An ended call can never take the offer: withdraw it now. Otherwise the offer may still be on its way to the
        // call (its router is between the two appends, or waits for the call's current offer to end): give it time.
        if (ended || at - a.call.offeredAt >= this.#grace()) {
          await this.#agentCommand({ type: 'CancelOffer', commandId: engineCommandId(offerId, 'cancel-offer'), at, agentId, offerId, reason: ended ? 'caller_abandoned' : 'rescinded' }, 'reconcileAgent');
          await this.#killAgentLeg(callId, offerId, 'offer-withdrawn');
        } else {
          this.#recheckLater(agentId, a.call.offeredAt + this.#grace());
        }
        return;
      }
      if (resuming) await this.#resumeOffer(agentId, callId, offerId);
      return;
    }
    if (a.state === 'talking') {
      if (!call || call.state.status === 'ended' || call.state.status === 'dispositioned') {
        if (!resynced) {
          // Only the call's stream can say it ended: read it before wrapping the agent up.
          await this.#syncModel(callStreamName(callId));
          return this.#reconcileAgent(agentId, resuming, true);
        }
        await this.#agentCommand({ type: 'StartWrapUp', commandId: engineCommandId(offerId, 'start-wrap-up'), at: call?.state.endedAt ?? at, agentId, offerId });
        await this.#killAgentLeg(callId, offerId, 'call-ended');
      } else if (resuming && callOffer && call.state.status === 'agent_answered') {
        await this.#connect(callId, offerId, agentId, at);
      }
      return;
    }
    if (a.state === 'wrap_up' && a.call.wrapUpDeadline !== null) {
      const deadline = a.call.wrapUpDeadline;
      await this.#ensureTimer(`wrapup-${offerId}-${deadline}`, deadline, 'wrap-up-end', {
        category: 'agent',
        command: { type: 'EndWrapUp', commandId: engineCommandId(offerId, 'wrap-up-end', deadline), at: deadline, agentId, offerId, reason: 'timeout' },
      });
    }
  }

  /** A call whose open offer the agent no longer holds goes back to its queue. */
  async #reconcileCall(callId: string, cause: 'no_answer' | 'rejected' | 'busy' | 'agent_unavailable' = 'agent_unavailable'): Promise<void> {
    const call = this.model.calls.get(callId);
    const offer = call?.state.offer;
    if (!call || !offer) return;
    if (this.model.agents.get(offer.agentId)?.state.call?.offerId === offer.offerId) return;
    // The model may hold the call ahead of the agent (our own reads): check the agent's stream before acting.
    await this.#syncModel(agentStream(offer.agentId));
    if (this.model.agents.get(offer.agentId)?.state.call?.offerId === offer.offerId) return;
    await this.#callCommand({ type: 'RecordAgentLegFailed', commandId: engineCommandId(offer.offerId, 'leg-failed'), at: this.#o.clock.now(), callId, offerId: offer.offerId, cause });
  }

  /** After a restart: was the agent leg of an open offer dialled, and where is it now? */
  async #resumeOffer(agentId: string, callId: string, offerId: string): Promise<void> {
    const call = this.model.call(callId);
    if (!call?.switchId) return;
    const legUuid = agentLegUuidFor(offerId);
    if (await this.#originate(agentId, callId, offerId)) return;
    const status = await this.#o.switchPort.channelStatus(call.switchId, legUuid);
    const at = this.#o.clock.now();
    if (status === 'answered' || status === 'bridged') {
      await this.#onAgentAnswered(callId, offerId, agentId, at);
    } else if (status === 'absent' || status === 'hungup') {
      // Dialled (or claimed and never sent) and gone without a fact we saw: the offer is withdrawn, no fault of the agent.
      await this.#agentCommand({ type: 'CancelOffer', commandId: engineCommandId(offerId, 'cancel-offer'), at, agentId, offerId, reason: 'rescinded' }, 'resumeOffer');
      await this.#callCommand({ type: 'RecordAgentLegFailed', commandId: engineCommandId(offerId, 'leg-failed'), at, callId, offerId, cause: 'error' });
    }
  }

  #recheckLater(agentId: string, at: number): void {
    if (this.#rechecks.has(agentId)) return;
    this.#rechecks.set(
      agentId,
      this.#o.clock.at(at, () => {
        this.#rechecks.delete(agentId);
        void this.#enqueue(() => this.#reconcileAgent(agentId), `recheck ${agentId}`);
      }),
    );
  }

  // ---- routing ---------------------------------------------------------------------------------------------------

  async #routePass(): Promise<void> {
    if (!this.#live || this.#stopped) return;
    this.stats.passes++;
    const now = this.#o.clock.now();
    let reviewAt = await this.#applyExits(now);
    const input = this.model.routeInput(now, seedOf(this.#lastEventId));
    // Offers still being applied are left out of the view: the next pass does not wait for them (pipelining).
    const out = route(
      this.#inflightCalls.size === 0 && this.#inflightAgents.size === 0
        ? input
        : { ...input, waitingCalls: input.waitingCalls.filter((c) => !this.#inflightCalls.has(c.id)), agents: input.agents.filter((a) => !this.#inflightAgents.has(a.id)) },
    );
    // One agent per call: the call decider holds one open offer at a time, so ring-all and ring-progressively
    // ring their first agent only and `extend` assignments are not applied (see engine/README.md).
    for (const a of out.assignments) {
      if (a.kind !== 'offer') continue;
      const agentId = a.agentIds[0]!;
      this.#inflightCalls.add(a.callId);
      this.#inflightAgents.add(agentId);
      const done = this.#offer(a, now)
        .then(
          () => true,
          (error: unknown) => {
            this.#o.onError?.(error, `offer ${a.callId}`);
            return false;
          },
        )
        .then(async (ok) => {
          this.#inflightCalls.delete(a.callId);
          this.#inflightAgents.delete(agentId);
          this.#inflight.delete(done);
          // A failed offer (the store was unreachable midway) may have left the agent reserved: reconcile it.
          if (!ok) void this.#enqueue(() => this.#reconcileAgent(agentId), `reconcile ${agentId} after a failed offer`);
          await this.#drainOwnEvents();
          this.#requestRoute();
        });
      this.#inflight.add(done);
    }
    if (out.nextReviewAt !== undefined && (reviewAt === undefined || out.nextReviewAt < reviewAt)) reviewAt = out.nextReviewAt;
    this.#scheduleReview(reviewAt);
  }

  /** Queue limits: callers over max wait, max wait with no agent, or max length leave to their exit. */
  async #applyExits(now: number): Promise<number | undefined> {
    let next: number | undefined;
    for (const view of this.model.exitViews()) {
      const { exits, nextCheckAt } = decideExits(view.rules, view.calls, view.agents, now);
      if (nextCheckAt !== undefined && (next === undefined || nextCheckAt < next)) next = nextCheckAt;
      const leaving = [...exits];
      const max = view.rules.maxLength;
      if (max && view.calls.length > max.calls) {
        // Over max length (checked when callers join): the newest callers leave, not those who waited longest.
        const newest = [...view.calls].filter((c) => !c.offered && !exits.some((x) => x.callId === c.id)).sort((a, b) => b.enqueuedAt - a.enqueuedAt || (a.id < b.id ? 1 : -1));
        for (const c of newest.slice(0, view.calls.length - max.calls)) leaving.push({ callId: c.id, reason: 'max-length', exit: max.exit });
      }
      for (const x of leaving) {
        const call = this.model.calls.get(x.callId);
        if (!call?.state.queue) continue;
        this.stats.exits++;
        await this.#guard(
          () =>
            this.#callCommand({
              type: 'OverflowCall',
              commandId: engineCommandId(x.callId, 'exit', call.state.queue!.queueId, call.state.queue!.enteredAt),
              at: now,
              callId: x.callId,
              reason: OVERFLOW_REASON[x.reason],
              exit: x.exit,
            }),
          `exit ${x.callId}`,
        );
      }
    }
    return next;
  }

  #scheduleReview(at: number | undefined): void {
    if (at === undefined || this.#stopped) return;
    if (this.#review && this.#review.at <= at && this.#review.at > this.#o.clock.now()) return;
    this.#review?.timer.cancel();
    // Reviews are derived from the model (relaxation steps, delays, limits): recomputed after a restart, so an
    // in-process timer is enough; durable timers are for commands that must happen.
    const timer = this.#o.clock.at(at, () => {
      this.#review = undefined;
      this.#requestRoute();
    });
    this.#review = { at, timer };
  }

  /** Applies one assignment: agent first, then call, then the agent leg. */
  async #offer(a: Assignment, now: number): Promise<void> {
    const agentId = a.agentIds[0]!;
    const call = this.model.calls.get(a.callId);
    const config = this.model.queueConfig(a.queueId);
    if (!call || !config) return;
    const agentRevision = this.model.agents.get(agentId)?.revision ?? -1n;
    const offerId = offerIdFor(a.callId, call.revision, agentId, agentRevision, this.#o.instanceId);
    const offered = await this.#agentCommand({ type: 'OfferCall', commandId: engineCommandId(offerId, 'offer-agent'), at: now, agentId, offerId, callId: a.callId, queueId: a.queueId, policy: offerPolicyOf(config) });
    if ('refused' in offered || offered.duplicate) {
      // A duplicate: this exact offer was made before from the same (stale) model state, and may since be resolved.
      if (!('refused' in offered)) await this.#syncModel(agentStream(agentId));
      this.stats.offerRefusals++;
      return;
    }
    const onCall = await this.#callCommand({ type: 'OfferToAgent', commandId: engineCommandId(offerId, 'offer-call'), at: now, callId: a.callId, agentId, offerId });
    if ('refused' in onCall) {
      this.stats.offerRefusals++;
      await this.#agentCommand({ type: 'CancelOffer', commandId: engineCommandId(offerId, 'cancel-offer'), at: now, agentId, offerId, reason: 'rescinded' }, 'offer');
      return;
    }
    this.stats.offers++;
    await this.#originate(agentId, a.callId, offerId);
    const s = this.model.agents.get(agentId)?.state;
    // Off the routing path: the next pass need not wait for it (a lost timer is scheduled again on resume).
    if (s?.call?.offerId === offerId) void this.#guard(() => this.#ensureRingTimer(agentId, offerId, s.call!.expiresAt), `ring timer ${offerId}`);
  }

  /** Dials the agent leg unless it was claimed before; true when this call sent it. */
  async #originate(agentId: string, callId: string, offerId: string): Promise<boolean> {
    const call = this.model.call(callId);
    const agent = this.model.agents.get(agentId)?.state;
    if (!call?.switchId || !agent?.call) return false;
    const legUuid = agentLegUuidFor(offerId);
    const commandId = engineCommandId(offerId, 'originate');
    const claimed = await claimSwitchCommand(this.#o.store, { key: `originate|${legUuid}`, command: 'originate', switchId: call.switchId, at: this.#o.clock.now(), issuer: this.#o.instanceId });
    if (!claimed) return false;
    this.stats.originates++;
    try {
      await this.#o.switchPort.originate({
        switchId: call.switchId,
        commandId,
        legUuid,
        endpoint: (this.#o.agentEndpoint ?? defaultEndpoint)(agentId),
        callId,
        role: 'agent',
        offerId,
        ringTimeoutSeconds: agent.call.policy.ringTimeoutSeconds,
        variables: { ledgerline_agent_id: agentId },
      });
    } catch (error) {
      // The switch refused to dial: withdraw the offer without blaming the agent; the caller keeps its place.
      this.#o.onError?.(error, `originate ${legUuid}`);
      const at = this.#o.clock.now();
      await this.#agentCommand({ type: 'CancelOffer', commandId: engineCommandId(offerId, 'cancel-offer'), at, agentId, offerId, reason: 'rescinded' }, 'originate');
      await this.#callCommand({ type: 'RecordAgentLegFailed', commandId: engineCommandId(offerId, 'leg-failed'), at, callId, offerId, cause: 'error' });
    }
    return true;
  }

  // ---- switch facts ----------------------------------------------------------------------------------------------

  async #onFact(f: SwitchFact): Promise<void> {
    // A fact may overtake the log (another instance dialled this leg): read the call's stream first.
    if (f.callId && !this.model.call(f.callId)) await this.#syncModel(callStreamName(f.callId));
    if (f.role === 'agent' && f.offerId && f.callId) {
      const offer = this.model.call(f.callId)?.state.offer;
      const agentId = offer?.offerId === f.offerId ? offer.agentId : this.#agentOfOffer(f.offerId);
      if (!agentId) return;
      if (f.kind === 'leg_ringing') {
        await this.#agentCommand({ type: 'RecordRinging', commandId: engineCommandId(f.offerId, 'ringing'), at: f.at, agentId, offerId: f.offerId });
        await this.#callCommand({ type: 'RecordAgentLegRinging', commandId: engineCommandId(f.offerId, 'leg-ringing'), at: f.at, callId: f.callId, offerId: f.offerId, channelUuid: f.legUuid });
      } else if (f.kind === 'leg_answered') {
        await this.#onAgentAnswered(f.callId, f.offerId, agentId, f.at);
      } else if (f.kind === 'leg_hangup') {
        await this.#onAgentLegHangup(f.callId, f.offerId, agentId, f.cause, f.at);
      }
      return;
    }
    if (f.role === 'outbound' && f.callId && (f.kind === 'leg_answered' || f.kind === 'leg_hangup')) {
      const call = this.model.calls.get(f.callId);
      const attemptId = call?.state.callback?.attemptId;
      if (call?.state.status === 'callback_dialing' && attemptId && call.callerLegUuid === f.legUuid) {
        await this.#onCallbackLeg(f.callId, attemptId, f.kind === 'leg_answered' ? null : f.cause, f.at);
        return;
      }
    }
    if (f.kind === 'leg_hangup') {
      const callId = f.callId ?? this.model.callByCallerLeg.get(f.legUuid);
      const call = callId ? this.model.calls.get(callId) : undefined;
      if (!callId || !call || call.callerLegUuid !== f.legUuid) return;
      if (call.state.status.startsWith('callback_')) return;
      await this.#callCommand({ type: 'EndCall', commandId: engineCommandId(callId, 'caller-hangup'), at: f.at, callId, cause: f.cause, hungUpBy: 'caller' });
    }
  }

  #agentOfOffer(offerId: string): string | undefined {
    for (const [agentId, a] of this.model.agents) if (a.state.call?.offerId === offerId) return agentId;
    return undefined;
  }

  /** The agent picked up: record it on both sides, bridge once, connect. */
  async #onAgentAnswered(callId: string, offerId: string, agentId: string, at: number): Promise<void> {
    const answered = await this.#callCommand({ type: 'RecordAgentLegAnswered', commandId: engineCommandId(offerId, 'leg-answered'), at, callId, offerId });
    if ('refused' in answered && answered.refused !== 'AGENT_LEG_ALREADY_ANSWERED') {
      // The caller is gone (or the offer was withdrawn): hang up the agent and free them.
      await this.#agentCommand({ type: 'CancelOffer', commandId: engineCommandId(offerId, 'cancel-offer'), at, agentId, offerId, reason: 'caller_abandoned' }, 'onAgentAnswered');
      await this.#killAgentLeg(callId, offerId, 'caller-gone');
      return;
    }
    const talking = await this.#agentCommand({ type: 'RecordTalking', commandId: engineCommandId(offerId, 'talking'), at, agentId, offerId });
    if ('refused' in talking) {
      // The agent's offer was withdrawn meanwhile (logout, supervisor): the call goes back to its place.
      await this.#callCommand({ type: 'RecordAgentLegFailed', commandId: engineCommandId(offerId, 'leg-failed'), at, callId, offerId, cause: 'agent_unavailable' });
      await this.#killAgentLeg(callId, offerId, 'agent-withdrawn');
      return;
    }
    await this.#connect(callId, offerId, agentId, at);
  }

  async #connect(callId: string, offerId: string, agentId: string, at: number): Promise<void> {
    const call = this.model.call(callId);
    if (!call?.switchId || !call.callerLegUuid) return;
    const legUuid = agentLegUuidFor(offerId);
    if (await claimSwitchCommand(this.#o.store, { key: `bridge|${legUuid}`, command: 'bridge', switchId: call.switchId, at, issuer: this.#o.instanceId })) {
      await this.#o.switchPort.bridge({ switchId: call.switchId, commandId: engineCommandId(offerId, 'bridge'), aLegUuid: call.callerLegUuid, bLegUuid: legUuid });
    }
    const connected = await this.#callCommand({ type: 'ConnectCall', commandId: engineCommandId(offerId, 'connect'), at, callId, offerId });
    if ('refused' in connected && connected.refused !== 'CALL_ALREADY_CONNECTED') {
      // The caller hung up between the answer and the bridge: the CallEnded reaction ends the agent's call.
      await this.#reconcileAgent(agentId);
    }
  }

  /** The agent leg hung up: before the answer it is a miss; after the connect, the agent ended the call. */
  async #onAgentLegHangup(callId: string, offerId: string, agentId: string, cause: string, at: number): Promise<void> {
    const call = this.model.call(callId);
    if (!call) return;
    if (call.state.status === 'connected' && call.state.agentId === agentId) {
      await this.#callCommand({ type: 'EndCall', commandId: engineCommandId(callId, 'agent-hangup', offerId), at, callId, cause, hungUpBy: 'agent' });
      return;
    }
    if (call.state.offer?.offerId !== offerId) return;
    const failure = agentLegFailureCause(cause);
    await this.#agentCommand({ type: 'RecordOfferMissed', commandId: engineCommandId(offerId, 'missed'), at, agentId, offerId, reason: missReason(failure) });
    await this.#callCommand({ type: 'RecordAgentLegFailed', commandId: engineCommandId(offerId, 'leg-failed'), at, callId, offerId, cause: failure });
  }

  async #onCallEnded(callId: string, hungUpBy: string, connectedAgentId: string | null): Promise<void> {
    const call = this.model.call(callId);
    if (call?.switchId && call.callerLegUuid && hungUpBy !== 'caller') {
      await this.#o.switchPort.kill({ switchId: call.switchId, commandId: engineCommandId(callId, 'kill-caller'), legUuid: call.callerLegUuid, cause: 'NORMAL_CLEARING' });
    }
    const agentIds = new Set<string>();
    if (connectedAgentId) agentIds.add(connectedAgentId);
    for (const [agentId, a] of this.model.agents) if (a.state.call?.callId === callId) agentIds.add(agentId);
    for (const agentId of agentIds) await this.#reconcileAgent(agentId);
  }

  async #onOverflowed(callId: string, exit: { kind: string; mailbox?: string }): Promise<void> {
    const call = this.model.call(callId);
    if (exit.kind !== 'voicemail' || !call?.switchId || !call.callerLegUuid) return;
    const to = (this.#o.voicemailExtension ?? ((m: string) => ({ exten: `voicemail-${m}` })))(exit.mailbox!);
    await this.#o.switchPort.transfer({ switchId: call.switchId, commandId: engineCommandId(callId, 'voicemail'), legUuid: call.callerLegUuid, ...to });
  }

  // ---- callbacks: the caller keeps its place, is released, and is dialled back (retries on durable timers) -------

  async #onCallbackRequested(callId: string, at: number): Promise<void> {
    const call = this.model.call(callId);
    const callbackId = engineCommandId(callId, 'callback', at);
    const scheduled = await this.#callCommand({ type: 'ScheduleCallback', commandId: engineCommandId(callbackId, 'schedule'), at, callId, callbackId, notBefore: at });
    if ('refused' in scheduled || !call?.switchId || !call.callerLegUuid) return;
    await this.#o.switchPort.kill({ switchId: call.switchId, commandId: engineCommandId(callbackId, 'release-caller'), legUuid: call.callerLegUuid, cause: 'NORMAL_CLEARING' });
  }

  async #scheduleCallbackAttempt(callId: string, callbackId: string, attempt: number, dueAt: number): Promise<void> {
    const attemptId = `${callbackId}#${attempt}`;
    await this.#ensureTimer(`callback-${attemptId}`, dueAt, 'callback-attempt', {
      category: 'call',
      command: { type: 'AttemptCallback', commandId: engineCommandId(attemptId, 'attempt'), at: dueAt, callId, attemptId, channelUuid: uuidV5(`callback-leg|${attemptId}`) },
    });
  }

  async #dialBack(callId: string, attemptId: string, number: string, legUuid: string): Promise<void> {
    const call = this.model.call(callId);
    if (!call?.switchId) return;
    if (!(await claimSwitchCommand(this.#o.store, { key: `originate|${legUuid}`, command: 'originate', switchId: call.switchId, at: this.#o.clock.now(), issuer: this.#o.instanceId }))) return;
    try {
      await this.#o.switchPort.originate({
        switchId: call.switchId,
        commandId: engineCommandId(attemptId, 'originate'),
        legUuid,
        endpoint: (this.#o.customerEndpoint ?? ((n: string) => ({ kind: 'gateway', gateway: 'default', number: n })))(number),
        callId,
        role: 'outbound',
        ringTimeoutSeconds: 30,
        variables: { ledgerline_attempt_id: attemptId },
      });
    } catch (error) {
      this.#o.onError?.(error, `dial back ${legUuid}`);
      await this.#onCallbackLeg(callId, attemptId, 'DESTINATION_OUT_OF_ORDER', this.#o.clock.now());
    }
  }

  /** The dial-back leg answered (`cause` null: the caller is back in its queue at its place) or failed. */
  async #onCallbackLeg(callId: string, attemptId: string, cause: string | null, at: number): Promise<void> {
    if (cause === null) {
      await this.#callCommand({ type: 'CompleteCallback', commandId: engineCommandId(attemptId, 'complete'), at, callId, attemptId });
      this.#requestRoute();
      return;
    }
    const call = this.model.call(callId);
    const rules = call?.state.queue ? this.model.queueConfig(call.state.queue.queueId)?.callback : null;
    const attempts = call?.state.callback?.attempts ?? 1;
    const failure = agentLegFailureCause(cause);
    await this.#callCommand({
      type: 'FailCallback',
      commandId: engineCommandId(attemptId, 'fail'),
      at,
      callId,
      attemptId,
      cause: failure === 'rejected' ? 'rejected' : failure === 'busy' ? 'busy' : failure === 'unreachable' ? 'unreachable' : failure === 'error' ? 'error' : 'no_answer',
      retry: attempts <= (rules?.maxRetries ?? 0),
    });
  }

  #retryIntervalMs(callId: string): number {
    const call = this.model.call(callId);
    const rules = call?.state.queue ? this.model.queueConfig(call.state.queue.queueId)?.callback : null;
    return (rules?.retryIntervalSeconds ?? 300) * 1000;
  }

  async #killAgentLeg(callId: string, offerId: string, why: string): Promise<void> {
    const call = this.model.call(callId);
    if (!call?.switchId) return;
    await this.#guard(
      () => this.#o.switchPort.kill({ switchId: call.switchId!, commandId: engineCommandId(offerId, 'kill-agent-leg'), legUuid: agentLegUuidFor(offerId), cause: 'ORIGINATOR_CANCEL' }),
      `kill agent leg (${why})`,
    );
  }

  // ---- commands --------------------------------------------------------------------------------------------------

  #ensureRingTimer(agentId: string, offerId: string, expiresAt: number): Promise<void> {
    const dueAt = expiresAt + RING_TIMER_SLACK_MS;
    return this.#ensureTimer(`ring-${offerId}`, dueAt, 'ring-timeout', {
      category: 'agent',
      command: { type: 'RecordOfferMissed', commandId: engineCommandId(offerId, 'ring-timeout'), at: dueAt, agentId, offerId, reason: 'no_answer' },
    });
  }

  async #ensureTimer(timerId: string, dueAt: number, purpose: string, dispatch: Parameters<typeof scheduleTimer>[1]['dispatch']): Promise<void> {
    if (this.#scheduledTimers.has(timerId)) return;
    await scheduleTimer(this.#o.store, { timerId, dueAt, purpose, dispatch }, this.#o.clock.now());
    this.#scheduledTimers.add(timerId);
  }

  /** Runs an agent command; a refusal by the decider comes back as `{ refused: code }`, not thrown. */
  /** `why` (the engine step) goes into the events' causationId, so the log says which reaction wrote them. */
  #agentCommand(input: AgentCommandInput, why?: string): Promise<CommandOutcome<unknown> | Refusal> {
    const command = parseAgentCommand({ actor: `system:${this.#o.instanceId}`, ...input });
    const context = why === undefined ? {} : { causationId: `engine:${why}` };
    return this.#run(agentStream(command.agentId), () => this.#agg.run(agentDecider, agentStream(command.agentId), command, context));
  }

  #callCommand(input: CallCommandInput, why?: string): Promise<CommandOutcome<unknown> | Refusal> {
    const command = parseCallCommand({ actor: `system:${this.#o.instanceId}`, ...input });
    const context = why === undefined ? {} : { causationId: `engine:${why}` };
    return this.#run(callStreamName(command.callId), () => this.#agg.run(callDecider, callStreamName(command.callId), command, context));
  }

  async #run(stream: string, run: () => Promise<CommandOutcome<unknown>>): Promise<CommandOutcome<unknown> | Refusal> {
    try {
      const out = await run();
      if (out.events.length > 0 && out.revision !== undefined) await this.#applyOwn(stream, out.revision, out.events);
      return out;
    } catch (error) {
      if (isLedgerlineError(error) && error.code !== 'WRONG_EXPECTED_VERSION' && error.code !== 'STORE_UNAVAILABLE' && error.code !== 'INTERNAL') {
        // Refused on up-to-date state: the model lags the stream, bring it forward so the next decision is fresh.
        await this.#syncModel(stream);
        return { refused: error.code };
      }
      throw error;
    }
  }

  /**
   * Our command's events go into the model at once. When other writers appended in between (the command was decided
   * again after a conflict), their events are read first, so the model never skips a revision; all of them are new
   * to the model, so they are reacted to here (the subscription will find them already applied).
   */
  async #applyOwn(stream: string, lastRevision: bigint, events: readonly DomainEvent[]): Promise<void> {
    const first = lastRevision - BigInt(events.length) + 1n;
    await this.#syncModel(stream, first);
    const fresh: DomainEvent[] = [];
    events.forEach((e, i) => {
      if (this.model.apply(stream, first + BigInt(i), e)) fresh.push(e);
    });
    if (this.#live) this.#ownEvents.push(...fresh);
  }

  /** Reads the stream's events the model lacks (up to `before`, exclusive, when given) and applies them. */
  async #syncModel(stream: string, before?: bigint): Promise<void> {
    const known = this.model.revisionOf(stream);
    const from = known === undefined ? 0n : known + 1n;
    if (before !== undefined && before <= from) return;
    const fresh: DomainEvent[] = [];
    try {
      for await (const r of this.#o.store.readStream(stream, { fromRevision: from, ...(before !== undefined ? { maxCount: before - from } : {}) })) {
        const e = toDomainEvent(r);
        if (this.model.apply(stream, r.revision, e)) fresh.push(e);
      }
    } catch (error) {
      if (!isLedgerlineError(error, 'STREAM_NOT_FOUND')) throw error;
    }
    if (this.#live) this.#ownEvents.push(...fresh);
  }

  async #guard(task: () => Promise<unknown>, what: string): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.#o.onError?.(error, what);
    }
  }

  #grace(): number {
    return this.#o.danglingOfferGraceMs ?? 5000;
  }
}

const OVERFLOW_REASON: Record<ExitReason, 'max_wait' | 'no_agents' | 'max_queue_length'> = {
  'max-wait': 'max_wait',
  'max-wait-no-agent': 'no_agents',
  'max-length': 'max_queue_length',
};

function defaultEndpoint(agentId: string): SwitchEndpoint {
  return { kind: 'user', user: agentId };
}

/** A routing seed from the id of the last event seen: a replay of the same log draws the same agents. */
function seedOf(eventId: string): number {
  const hex = eventId.replace(/-/g, '').slice(0, 8);
  return hex.length === 8 ? Number.parseInt(hex, 16) >>> 0 : 0;
}

/** The agent's miss for a failure: an unreachable or failing phone counts like no answer (toward break_out). */
export function missReason(failure: ReturnType<typeof agentLegFailureCause>): OfferMissReason {
  return failure === 'rejected' ? 'rejected' : failure === 'busy' ? 'busy' : 'no_answer';
}
