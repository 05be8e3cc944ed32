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
import { agentDecider } from '../../../domain/agent/agent-decider.ts';
import type { OfferMissReason, OfferPolicy } from '../../../domain/agent/agent-schemas.ts';
import type { CallState } from '../../../domain/call/call-state.ts';
import { parseCallCommand, type CallCommandInput } from '../../../domain/call/call-commands.ts';
import { callDecider } from '../../../domain/call/call-decider.ts';
import type { DomainEvent } from '../../../domain/events/registry.ts';
import { isLedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { offerPolicyOf } from '../../../domain/queue/queue-offer-policy.ts';
import { parseScopedId, parseTenantStream, scopedId, tenantStream } from '../../../domain/shared/tenant-stream.ts';
import { decideExits, type ExitReason } from '../../../domain/routing/queue-exits.ts';
import { route } from '../../../domain/routing/router.ts';
import type { Assignment } from '../../../domain/routing/routing-view.ts';
import type { CommandContext, CommandOutcome } from '../../command-handling/handle-command.ts';
import { toDomainEvent } from '../../command-handling/handle-command.ts';
import { CachedAggregates } from '../../aggregates/cached-aggregates.ts';
import type { Clock, ClockTimer } from '../../clock.ts';
import type { SwitchEndpoint, SwitchFact, SwitchPort } from '../../ports/switch-port.ts';
import { claimSwitchCommand, mayHaveTakenEffect, recordSwitchCommandRefused } from '../../switch-commands/switch-command-claims.ts';
import { RECONCILE_ENDED, SWITCH_RESTARTED } from '../../switch/reconcile-facts.ts';
import { scheduleTimer } from '../../timers/timer-service.ts';
import { agentLegUuidFor, callbackAttemptIdFor, callbackLegUuidFor, consultOfferIdFor, engineCommandId, offerIdFor, outboundOfferIdFor, partyOfferIdFor } from './routing-ids.ts';
import { RoutingModel } from './routing-model.ts';

/** The ring-timeout timer is a backstop behind the switch's own originate_timeout, which normally ends the ring first. */
const RING_TIMER_SLACK_MS = 2000;

export interface RoutingManagerOptions {
  readonly store: EventStore;
  readonly switchPort: SwitchPort;
  readonly clock: Clock;
  /** This instance's name, recorded on the switch commands it claims. */
  readonly instanceId: string;
  /**
   * How an agent is dialled, given the agent's SCOPED id (`acme.a1`; `a1` in the default tenant) and its tenant and
   * bare id (default: the directory user named like the scoped id, so two tenants' `a1` are two users).
   */
  readonly agentEndpoint?: (scopedAgentId: string, agent: { readonly tenant: string | undefined; readonly agentId: string }) => SwitchEndpoint;
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

/** A tenant (undefined: the default tenant, whose streams are bare). */
type Tenant = string | undefined;

/** An event new to the model, with the tenant whose stream it came from. */
interface TenantEvent {
  readonly t: Tenant;
  readonly e: DomainEvent;
}

/** See the module comment. `start()` catches up from the log, reconciles, then serves; `stop()` ends it. */
export class RoutingManager {
  /** One model per tenant: a tenant's calls are routed among that tenant's queues and agents only. */
  readonly #models = new Map<Tenant, RoutingModel>();
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
  readonly #ownEvents: TenantEvent[] = [];
  /** Counters for tests and benchmarks. */
  readonly stats = { passes: 0, offers: 0, offerRefusals: 0, originates: 0, exits: 0 };

  constructor(options: RoutingManagerOptions) {
    this.#o = options;
    this.#agg = options.aggregates ?? new CachedAggregates(options.store);
  }

  /** The default tenant's model (bare streams). */
  get model(): RoutingModel {
    return this.modelOf(undefined);
  }

  /** The model of one tenant (created empty when the manager has seen nothing of it). */
  modelOf(tenant: string | undefined): RoutingModel {
    let m = this.#models.get(tenant);
    if (!m) {
      m = new RoutingModel(tenant === undefined ? {} : { tenant });
      this.#models.set(tenant, m);
    }
    return m;
  }

  /** The tenants the manager has seen streams of. */
  get tenants(): Tenant[] {
    return [...this.#models.keys()];
  }

  #m(t: Tenant): RoutingModel {
    return this.modelOf(t);
  }

  /** The call a switch fact is about, as tenant and bare call id: from its scoped `callId`, else from its caller leg. */
  #callOfFact(f: SwitchFact): { t: Tenant; callId: string } | undefined {
    if (f.callId !== undefined) {
      const { tenant, id } = parseScopedId(f.callId);
      return { t: tenant, callId: id };
    }
    for (const [t, m] of this.#models) {
      const callId = m.callByCallerLeg.get(f.legUuid);
      if (callId !== undefined) return { t, callId };
    }
    return undefined;
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
          const call = this.#callOfFact(fact);
          this.#inLane(call ? scopedId(call.t, call.callId) : fact.legUuid, () => this.#onFact(fact), `fact ${fact.kind}`);
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
      const { t, e } = this.#ownEvents.shift()!;
      await this.#guard(() => this.#react(t, e), `reaction to ${e.type}`);
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
    // The stream names the tenant: its model takes the event, and every reaction stays in that tenant's streams.
    const { category, tenant: t } = parseTenantStream(recorded.streamId);
    if (category === 'agent') this.#agg.observe(agentDecider, recorded, true);
    else if (category === 'call') this.#agg.observe(callDecider, recorded, true);
    if (!this.#m(t).apply(recorded.streamId, recorded.revision, event)) return;
    if (!this.#live) return;
    // The mailbox only folds the log into the model and asks for routing: a reaction that writes or talks to the
    // switch runs in its call's lane (in order with that call's facts), so a queued call never waits behind it.
    if (!REACTED.has(event.type)) {
      if (ROUTE_ONLY.has(event.type) || event.type.startsWith('Queue')) this.#requestRoute();
      return;
    }
    const data = event.data as { callId?: unknown };
    const lane = typeof data.callId === 'string' ? scopedId(t, data.callId) : recorded.streamId;
    this.#inLane(lane, () => this.#react(t, event), `reaction to ${event.type}`);
  }

  /** What an event (new to this manager) calls for. */
  async #react(t: Tenant, e: DomainEvent): Promise<void> {
    switch (e.type) {
      case 'CallQueued':
      case 'CallPriorityChanged':
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
        await this.#killAgentLeg(t, e.data.callId, e.data.offerId, 'agent-leg-failed');
        // A direct offer that failed leaves the call unrouted: back to its last queue, or ended.
        if (this.#m(t).call(e.data.callId)?.state.status === 'arrived') await this.#routeUnrouted(t, e.data.callId, e.data.offerId, e.data.at);
        // A callback offer the agent answered (talking) and left: their wrap-up (see #reconcileAgent).
        if (e.data.returnedTo === 'callback') await this.#reconcileAgent(t, e.data.agentId);
        this.#requestRoute();
        return;
      case 'AgentOffered':
        await this.#reconcileAgent(t, e.data.agentId);
        return;
      case 'AgentWrapUpStarted':
      case 'AgentWrapUpExtended':
        await this.#reconcileAgent(t, e.data.agentId);
        return;
      case 'AgentOfferMissed':
        await this.#reconcileCall(t, e.data.callId, e.data.reason);
        await this.#killAgentLeg(t, e.data.callId, e.data.offerId, 'offer-missed');
        this.#requestRoute();
        return;
      case 'AgentOfferCancelled':
        await this.#reconcileCall(t, e.data.callId, 'agent_unavailable');
        await this.#killAgentLeg(t, e.data.callId, e.data.offerId, 'offer-cancelled');
        this.#requestRoute();
        return;
      case 'CallOfferCancelled':
        await this.#reconcileAgent(t, e.data.agentId);
        return;
      case 'CallOfferedToAgent':
        // A queue's offer is ours and booked already; a direct one (a blind transfer to an agent) books the agent now.
        if (e.data.queueId === null && !e.data.callback) await this.#bookDirectOffer(t, e.data.callId, e.data.agentId, e.data.offerId, e.data.at);
        else await this.#reconcileCall(t, e.data.callId);
        return;
      case 'CallOriginated':
        if (e.data.agentId !== null) await this.#bookOutbound(t, e.data.callId, e.data.agentId, e.data.at);
        return;
      case 'CallConnected':
        // An agent's own outbound call (no offer): the agent booked for it is talking now.
        if (e.data.offerId === null) await this.#outboundTalking(t, e.data.callId, e.data.agentId, e.data.at);
        return;
      case 'ConferencePartyAdded':
        if (e.data.party.kind === 'agent') await this.#bookParty(t, e.data.callId, e.data.party.agentId, e.data.partyId, e.data.at);
        return;
      case 'ConferencePartyRemoved':
        // A party added as such, or the consulted agent who joined the conference (their party id is the consult's).
        await this.#releaseBooking(t, partyOfferIdFor(scopedId(t, e.data.callId), e.data.partyId), e.data.at);
        await this.#releaseBooking(t, consultOfferIdFor(scopedId(t, e.data.callId), e.data.partyId), e.data.at);
        return;
      case 'ConsultStarted':
        if (e.data.target.kind === 'agent') await this.#bookConsulted(t, e.data.callId, e.data.target.agentId, e.data.consultId, e.data.at);
        return;
      case 'ConsultAnswered':
        await this.#consultedTalking(t, e.data.callId, e.data.consultId, e.data.at);
        return;
      case 'ConsultCancelled':
        await this.#releaseConsulted(t, e.data.callId, e.data.consultId, e.data.at);
        return;
      case 'CallTransferred':
        await this.#afterTransfer(t, e.data.callId, e.data.at);
        return;
      case 'ConsultCompleted':
        // The consulted agent takes the call (or joins it): on it from now, whether or not their leg answered yet.
        if (e.data.target.kind === 'agent') await this.#consultedTalking(t, e.data.callId, e.data.consultId, e.data.at);
        await this.#afterTransfer(t, e.data.callId, e.data.at);
        return;
      case 'CallEnded':
        await this.#onCallEnded(t, e.data.callId, e.data.hungUpBy, e.data.agentId, e.data.cause);
        this.#requestRoute();
        return;
      case 'CallbackRequested':
        await this.#onCallbackRequested(t, e.data.callId, e.data.at);
        return;
      case 'CallbackScheduled':
        // Agent first: the callback waits at its place; the routing pass offers it once due (and wakes up then).
        this.#requestRoute();
        return;
      case 'CallbackFailed':
        // The customer did not answer: the callback is due again at retryAt (the agent who waited for them was
        // released by the CallOfferCancelled that FailCallback wrote before it).
        this.#requestRoute();
        return;
      case 'CallbackAttempted':
        await this.#dialBack(t, e.data.callId, e.data.attemptId, e.data.number, e.data.channelUuid);
        return;
      case 'CallOverflowed':
        await this.#onOverflowed(t, e.data.callId, e.data.exit);
        this.#requestRoute();
        return;
      default:
        if (e.type.startsWith('Queue')) this.#requestRoute();
    }
  }

  // ---- reconciliation: make the switch and the other aggregate agree with what the log says --------------------

  async #reconcileAll(): Promise<void> {
    for (const [t, m] of [...this.#models]) {
      for (const agentId of [...m.agents.keys()]) await this.#guard(() => this.#reconcileAgent(t, agentId, true), `reconcile agent ${scopedId(t, agentId)}`);
      for (const callId of [...m.calls.keys()]) await this.#guard(() => this.#reconcileCall(t, callId), `reconcile call ${scopedId(t, callId)}`);
    }
  }

  /** Brings one agent's offer or call in line with its call. `resuming`: also checks effects against the switch. */
  async #reconcileAgent(t: Tenant, agentId: string, resuming = false, resynced = false): Promise<void> {
    const a = this.#m(t).agents.get(agentId)?.state;
    if (!a?.call) return;
    const { offerId, callId } = a.call;
    const call = this.#m(t).call(callId);
    const consult = call?.state.consult;
    // Bookings the call-control manager dials for: the consulted agent, the agent of a click-to-call.
    const consulting =
      (!!consult && consultOfferIdFor(scopedId(t, callId), consult.consultId) === offerId) ||
      (call?.state.direction === 'outbound' && call.state.agentId === agentId && call.state.status === 'arrived' && outboundOfferIdFor(scopedId(t, callId)) === offerId) ||
      Object.keys(call?.state.parties ?? {}).some((partyId) => partyOfferIdFor(scopedId(t, callId), partyId) === offerId);
    const callOffer = call?.state.offer?.offerId === offerId ? call.state.offer : null;
    const at = this.#o.clock.now();
    if (a.state === 'offered' || a.state === 'ringing') {
      // Our own offer still being applied settles itself (and is reconciled if it fails).
      if (this.#inflightAgents.has(scopedId(t, agentId))) return;
      await this.#ensureRingTimer(t, agentId, offerId, a.call.expiresAt);
      // Booked for the call's consult: the call-control manager dials them; their answer or the consult's end settles it.
      if (consulting) return;
      if (!callOffer && !resynced) {
        // Before withdrawing anything, read the call's stream: the model may lag it.
        await this.#syncModel(this.#callStream(t, callId));
        return this.#reconcileAgent(t, agentId, resuming, true);
      }
      if (!callOffer) {
        // The call never showed this offer, or no longer does.
        const ended = !call || call.state.status === 'ended' || call.state.status === 'dispositioned';
        // An ended call can never take the offer: withdraw it now. Otherwise the offer may still be on its way to the
        // call (its router is between the two appends, or waits for the call's current offer to end): give it time.
        if (ended || at - a.call.offeredAt >= this.#grace()) {
          await this.#agentCommand(t, { type: 'CancelOffer', commandId: engineCommandId(offerId, 'cancel-offer'), at, agentId, offerId, reason: ended ? 'caller_abandoned' : 'rescinded' }, 'reconcileAgent');
          await this.#killAgentLeg(t, callId, offerId, 'offer-withdrawn');
        } else {
          this.#recheckLater(t, agentId, a.call.offeredAt + this.#grace());
        }
        return;
      }
      if (resuming) await this.#resumeOffer(t, agentId, callId, offerId);
      return;
    }
    if (a.state === 'talking') {
      if (!call || call.state.status === 'ended' || call.state.status === 'dispositioned') {
        if (!resynced && !call) {
          // Only the call's stream can say it ended (a call the model shows ended did): read it before wrapping up.
          await this.#syncModel(this.#callStream(t, callId));
          return this.#reconcileAgent(t, agentId, resuming, true);
        }
        await this.#agentCommand(t, { type: 'StartWrapUp', commandId: engineCommandId(offerId, 'start-wrap-up'), at: call?.state.endedAt ?? at, agentId, offerId });
        await this.#killAgentLeg(t, callId, offerId, 'call-ended');
      } else if (call.state.status === 'callback_pending' && !callOffer) {
        // The agent answered a callback offer, and the customer did not answer (or the agent left): the offer is
        // closed and the callback owed again, so the agent's call is over. Only the call's stream, read now, says so.
        if (!resynced) {
          await this.#syncModel(this.#callStream(t, callId));
          return this.#reconcileAgent(t, agentId, resuming, true);
        }
        await this.#agentCommand(t, { type: 'StartWrapUp', commandId: engineCommandId(offerId, 'start-wrap-up'), at, agentId, offerId });
        await this.#killAgentLeg(t, callId, offerId, 'callback-not-answered');
      } else if (resuming && callOffer && call.state.status === 'agent_answered') {
        // A callback offer answered: the customer is dialled next; any other answered offer is connected.
        if (call.state.callback) await this.#attemptCallback(t, callId, offerId, at);
        else await this.#connect(t, callId, offerId, agentId, at);
      } else if (resuming && callOffer && call.state.status === 'callback_dialing') {
        await this.#resumeCallbackAttempt(t, callId);
      } else if (resuming && !callOffer && !agentsOnCall(call.state).has(agentId)) {
        // Talking on a live call they are no longer on (handed over, or a consult that ended while nobody listened).
        await this.#agentCommand(t, { type: 'StartWrapUp', commandId: engineCommandId(offerId, 'start-wrap-up'), at, agentId, offerId });
      }
      return;
    }
    if (a.state === 'wrap_up' && a.call.wrapUpDeadline !== null) {
      const deadline = a.call.wrapUpDeadline;
      await this.#ensureTimer(t, `wrapup-${offerId}-${deadline}`, deadline, 'wrap-up-end', {
        category: 'agent',
        command: { type: 'EndWrapUp', commandId: engineCommandId(offerId, 'wrap-up-end', deadline), at: deadline, agentId, offerId, reason: 'timeout' },
      });
    }
  }

  /**
   * The call was handed on (to a queue, another agent, a number): the agent who had it, still talking on it, starts
   * their after-call work. Decided on the call's stream as read now (the model may lag it), and only on this event:
   * an agent talking on a call the model shows elsewhere is otherwise a lagging model, not a transfer.
   */
  async #afterTransfer(t: Tenant, callId: string, at: number): Promise<void> {
    await this.#syncModel(this.#callStream(t, callId));
    const call = this.#m(t).call(callId);
    const onCall = call ? agentsOnCall(call.state) : new Set<string>();
    for (const [agentId, a] of [...this.#m(t).agents]) {
      if (a.state.state !== 'talking' || a.state.call?.callId !== callId || onCall.has(agentId)) continue;
      await this.#agentCommand(t, { type: 'StartWrapUp', commandId: engineCommandId(a.state.call.offerId, 'start-wrap-up'), at, agentId, offerId: a.state.call.offerId });
    }
  }

  // ---- direct offers and consults: an agent named by a transfer or a consult is booked like a routed one --------

  /** The queue and offer policy an agent is booked under outside routing: the call's last queue, else the agent's. */
  #bookingOf(t: Tenant, agentId: string, callId: string): { queueId: string; policy: OfferPolicy } | undefined {
    const m = this.#m(t);
    const call = m.call(callId);
    const candidates = [call?.state.queue?.queueId, call?.state.lastQueueId, ...(m.memberships.get(agentId)?.keys() ?? [])];
    for (const queueId of candidates) {
      const config = queueId ? m.queueConfig(queueId) : undefined;
      if (queueId && config) return { queueId, policy: offerPolicyOf(config) };
    }
    return undefined;
  }

  /** Books the agent for the call under `offerId` (OfferCall on their stream); a refusal when they cannot be. */
  #book(t: Tenant, agentId: string, callId: string, offerId: string, at: number, why: string): Promise<CommandOutcome<unknown> | Refusal> {
    const booking = this.#bookingOf(t, agentId, callId);
    if (!booking) return Promise.resolve({ refused: 'QUEUE_NOT_FOUND' });
    return this.#agentCommand(t, { type: 'OfferCall', commandId: engineCommandId(offerId, 'offer-agent'), at, agentId, offerId, callId, queueId: booking.queueId, policy: booking.policy }, why);
  }

  /**
   * A call handed to one named agent (a blind transfer): the agent is booked on their own stream first (no routing
   * pass can then offer them another call), then dialled like any offer. One who cannot take it (busy, not ready)
   * fails the offer: the call goes back to its last queue (#routeUnrouted).
   */
  async #bookDirectOffer(t: Tenant, callId: string, agentId: string, offerId: string, at: number): Promise<void> {
    if (this.#m(t).call(callId)?.state.offer?.offerId !== offerId) return;
    if (this.#m(t).agents.get(agentId)?.state.call?.offerId !== offerId) {
      const booked = await this.#book(t, agentId, callId, offerId, at, 'direct-offer');
      if ('refused' in booked) {
        await this.#callCommand(t, { type: 'RecordAgentLegFailed', commandId: engineCommandId(offerId, 'leg-failed'), at, callId, offerId, cause: 'agent_unavailable' }, 'direct-offer');
        return;
      }
    }
    await this.#originate(t, agentId, callId, offerId);
  }

  /** A call left unrouted by a failed direct offer: back into its last queue (a new entry), or ended if it had none. */
  async #routeUnrouted(t: Tenant, callId: string, offerId: string, at: number): Promise<void> {
    const call = this.#m(t).call(callId);
    const queueId = call?.state.lastQueueId;
    if (queueId && this.#m(t).queueConfig(queueId)) {
      await this.#callCommand(t, { type: 'QueueCall', commandId: engineCommandId(offerId, 'requeue'), at, callId, queueId, priority: 0, requiredSkills: [] }, 'direct-offer-failed');
      return;
    }
    await this.#callCommand(t, { type: 'EndCall', commandId: engineCommandId(offerId, 'unrouted-end'), at, callId, cause: 'NO_ROUTE_DESTINATION', hungUpBy: 'system' }, 'direct-offer-failed');
  }

  /**
   * A click-to-call for an agent: the agent is booked for it while their phone and the customer are dialled (no
   * routing pass can offer them a queue call meanwhile). One who is not available ends the call before it connects.
   */
  async #bookOutbound(t: Tenant, callId: string, agentId: string, at: number): Promise<void> {
    const offerId = outboundOfferIdFor(scopedId(t, callId));
    if (this.#m(t).agents.get(agentId)?.state.call?.offerId === offerId) return;
    const call = this.#m(t).call(callId);
    if (!call || call.state.status !== 'arrived') return;
    // An agent in no queue has no offer policy to be booked under: the call goes ahead unbooked, as it always did.
    if (!this.#bookingOf(t, agentId, callId)) return;
    const booked = await this.#book(t, agentId, callId, offerId, at, 'outbound');
    if ('refused' in booked) {
      await this.#callCommand(t, { type: 'EndCall', commandId: engineCommandId(offerId, 'agent-unavailable'), at, callId, cause: 'USER_BUSY', hungUpBy: 'system' }, 'outbound');
    }
  }

  async #outboundTalking(t: Tenant, callId: string, agentId: string, at: number): Promise<void> {
    const offerId = outboundOfferIdFor(scopedId(t, callId));
    const a = this.#m(t).agents.get(agentId)?.state;
    if (a?.call?.offerId !== offerId || (a.state !== 'offered' && a.state !== 'ringing')) return;
    await this.#agentCommand(t, { type: 'RecordTalking', commandId: engineCommandId(offerId, 'talking'), at, agentId, offerId }, 'outbound');
  }

  /** The consulted agent is booked (offered) for the call; one who cannot take it cancels the consult. */
  async #bookConsulted(t: Tenant, callId: string, agentId: string, consultId: string, at: number): Promise<void> {
    const offerId = consultOfferIdFor(scopedId(t, callId), consultId);
    if (this.#m(t).agents.get(agentId)?.state.call?.offerId === offerId) return;
    if (this.#m(t).call(callId)?.state.consult?.consultId !== consultId) return;
    const booked = await this.#book(t, agentId, callId, offerId, at, 'consult');
    if ('refused' in booked) {
      await this.#callCommand(t, { type: 'CancelConsult', commandId: engineCommandId(offerId, 'consult-unavailable'), at, callId, consultId, reason: 'target_unavailable' }, 'consult');
    }
  }

  /** The consulted agent answered (or took the call over): they are talking on it. */
  async #consultedTalking(t: Tenant, callId: string, consultId: string, at: number): Promise<void> {
    const offerId = consultOfferIdFor(scopedId(t, callId), consultId);
    const agentId = this.#agentOfOffer(t, offerId);
    const a = agentId ? this.#m(t).agents.get(agentId)?.state : undefined;
    if (!agentId || (a?.state !== 'offered' && a?.state !== 'ringing')) return;
    await this.#agentCommand(t, { type: 'RecordTalking', commandId: engineCommandId(offerId, 'talking'), at, agentId, offerId }, 'consult');
  }

  /** An agent added to the conference is booked and on the call at once; one who cannot be is removed again. */
  async #bookParty(t: Tenant, callId: string, agentId: string, partyId: string, at: number): Promise<void> {
    const offerId = partyOfferIdFor(scopedId(t, callId), partyId);
    if (this.#m(t).agents.get(agentId)?.state.call?.offerId !== offerId) {
      if (!this.#m(t).call(callId)?.state.parties[partyId]) return;
      const booked = await this.#book(t, agentId, callId, offerId, at, 'conference');
      if ('refused' in booked) {
        await this.#callCommand(t, { type: 'RemoveConferenceParty', commandId: engineCommandId(offerId, 'party-unavailable'), at, callId, partyId, reason: 'requested' }, 'conference');
        return;
      }
    }
    const a = this.#m(t).agents.get(agentId)?.state;
    if (a?.call?.offerId === offerId && (a.state === 'offered' || a.state === 'ringing')) {
      await this.#agentCommand(t, { type: 'RecordTalking', commandId: engineCommandId(offerId, 'talking'), at, agentId, offerId }, 'conference');
    }
  }

  /** The consult ended without handing the call over: the consulted agent is released (wrap-up once they talked). */
  async #releaseConsulted(t: Tenant, callId: string, consultId: string, at: number): Promise<void> {
    await this.#releaseBooking(t, consultOfferIdFor(scopedId(t, callId), consultId), at);
  }

  /** Ends the booking `offerId` (if an agent holds it): the offer cancelled, or wrap-up once they talked. */
  async #releaseBooking(t: Tenant, offerId: string, at: number): Promise<void> {
    const agentId = this.#agentOfOffer(t, offerId);
    const a = agentId ? this.#m(t).agents.get(agentId)?.state : undefined;
    if (!agentId || !a) return;
    if (a.state === 'offered' || a.state === 'ringing') {
      await this.#agentCommand(t, { type: 'CancelOffer', commandId: engineCommandId(offerId, 'cancel-offer'), at, agentId, offerId, reason: 'rescinded' }, 'release');
    } else if (a.state === 'talking') {
      await this.#agentCommand(t, { type: 'StartWrapUp', commandId: engineCommandId(offerId, 'start-wrap-up'), at, agentId, offerId }, 'release');
    }
  }

  /** A call whose open offer the agent no longer holds goes back to its queue. */
  async #reconcileCall(t: Tenant, callId: string, cause: 'no_answer' | 'rejected' | 'busy' | 'agent_unavailable' = 'agent_unavailable'): Promise<void> {
    const call = this.#m(t).calls.get(callId);
    const offer = call?.state.offer;
    if (!call || !offer) return;
    if (this.#m(t).agents.get(offer.agentId)?.state.call?.offerId === offer.offerId) return;
    // The model may hold the call ahead of the agent (our own reads): check the agent's stream before acting.
    await this.#syncModel(this.#agentStream(t, offer.agentId));
    if (this.#m(t).agents.get(offer.agentId)?.state.call?.offerId === offer.offerId) return;
    await this.#callCommand(t, { type: 'RecordAgentLegFailed', commandId: engineCommandId(offer.offerId, 'leg-failed'), at: this.#o.clock.now(), callId, offerId: offer.offerId, cause });
  }

  /** After a restart: was the agent leg of an open offer dialled, and where is it now? */
  async #resumeOffer(t: Tenant, agentId: string, callId: string, offerId: string): Promise<void> {
    const call = this.#m(t).call(callId);
    if (!call?.switchId) return;
    const legUuid = agentLegUuidFor(offerId);
    if (await this.#originate(t, agentId, callId, offerId)) return;
    const status = await this.#o.switchPort.channelStatus(call.switchId, legUuid);
    const at = this.#o.clock.now();
    if (status === 'answered' || status === 'bridged') {
      await this.#onAgentAnswered(t, callId, offerId, agentId, at);
    } else if (status === 'absent' || status === 'hungup') {
      // Dialled (or claimed and never sent) and gone without a fact we saw: the offer is withdrawn, no fault of the agent.
      await this.#agentCommand(t, { type: 'CancelOffer', commandId: engineCommandId(offerId, 'cancel-offer'), at, agentId, offerId, reason: 'rescinded' }, 'resumeOffer');
      await this.#callCommand(t, { type: 'RecordAgentLegFailed', commandId: engineCommandId(offerId, 'leg-failed'), at, callId, offerId, cause: 'error' });
    }
  }

  #recheckLater(t: Tenant, agentId: string, at: number): void {
    const key = scopedId(t, agentId);
    if (this.#rechecks.has(key)) return;
    this.#rechecks.set(
      key,
      this.#o.clock.at(at, () => {
        this.#rechecks.delete(key);
        void this.#enqueue(() => this.#reconcileAgent(t, agentId), `recheck ${key}`);
      }),
    );
  }

  // ---- routing ---------------------------------------------------------------------------------------------------

  async #routePass(): Promise<void> {
    if (!this.#live || this.#stopped) return;
    this.stats.passes++;
    const now = this.#o.clock.now();
    const seed = seedOf(this.#lastEventId);
    let reviewAt: number | undefined;
    // Each tenant is routed on its own: its calls meet its agents only, whatever their ids.
    for (const t of [...this.#models.keys()]) {
      const next = await this.#routeTenant(t, now, seed);
      if (next !== undefined && (reviewAt === undefined || next < reviewAt)) reviewAt = next;
    }
    this.#scheduleReview(reviewAt);
  }

  /** One tenant's routing pass; the time of its next review. */
  async #routeTenant(t: Tenant, now: number, seed: number): Promise<number | undefined> {
    let reviewAt = await this.#applyExits(t, now);
    // A callback owed for later becomes routable at its notBefore: wake up then (recomputed from the log on restart).
    const due = this.#m(t).nextCallbackDueAt(now);
    if (due !== undefined && (reviewAt === undefined || due < reviewAt)) reviewAt = due;
    const input = this.#m(t).routeInput(now, seed);
    if (input.waitingCalls.length === 0) return reviewAt;
    // Offers still being applied are left out of the view: the next pass does not wait for them (pipelining).
    const out = route(
      this.#inflightCalls.size === 0 && this.#inflightAgents.size === 0
        ? input
        : {
            ...input,
            waitingCalls: input.waitingCalls.filter((c) => !this.#inflightCalls.has(scopedId(t, c.id))),
            agents: input.agents.filter((a) => !this.#inflightAgents.has(scopedId(t, a.id))),
          },
    );
    // One agent per call: the call decider holds one open offer at a time, so ring-all and ring-progressively
    // ring their first agent only and `extend` assignments are not applied (see engine/README.md).
    for (const a of out.assignments) {
      if (a.kind !== 'offer') continue;
      const agentId = a.agentIds[0]!;
      const callKey = scopedId(t, a.callId);
      const agentKey = scopedId(t, agentId);
      this.#inflightCalls.add(callKey);
      this.#inflightAgents.add(agentKey);
      const done = this.#offer(t, a, now)
        .then(
          () => true,
          (error: unknown) => {
            this.#o.onError?.(error, `offer ${callKey}`);
            return false;
          },
        )
        .then(async (ok) => {
          this.#inflightCalls.delete(callKey);
          this.#inflightAgents.delete(agentKey);
          this.#inflight.delete(done);
          // A failed offer (the store was unreachable midway) may have left the agent reserved: reconcile it.
          if (!ok) void this.#enqueue(() => this.#reconcileAgent(t, agentId), `reconcile ${agentKey} after a failed offer`);
          await this.#drainOwnEvents();
          this.#requestRoute();
        });
      this.#inflight.add(done);
    }
    if (out.nextReviewAt !== undefined && (reviewAt === undefined || out.nextReviewAt < reviewAt)) reviewAt = out.nextReviewAt;
    return reviewAt;
  }

  /** Queue limits: callers over max wait, max wait with no agent, or max length leave to their exit. */
  async #applyExits(t: Tenant, now: number): Promise<number | undefined> {
    let next: number | undefined;
    for (const view of this.#m(t).exitViews()) {
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
        const call = this.#m(t).calls.get(x.callId);
        if (!call?.state.queue) continue;
        this.stats.exits++;
        await this.#guard(
          () =>
            this.#callCommand(t, {
              type: 'OverflowCall',
              commandId: engineCommandId(scopedId(t, x.callId), 'exit', call.state.queue!.queueId, call.state.queue!.enteredAt),
              at: now,
              callId: x.callId,
              reason: OVERFLOW_REASON[x.reason],
              exit: x.exit,
            }),
          `exit ${scopedId(t, x.callId)}`,
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
  async #offer(t: Tenant, a: Assignment, now: number): Promise<void> {
    const agentId = a.agentIds[0]!;
    const call = this.#m(t).calls.get(a.callId);
    const config = this.#m(t).queueConfig(a.queueId);
    if (!call || !config) return;
    const agentRevision = this.#m(t).agents.get(agentId)?.revision ?? -1n;
    // Scoped ids in the offer id: two tenants' `c1`/`a1` at equal revisions never share an offer, leg or command id.
    const offerId = offerIdFor(scopedId(t, a.callId), call.revision, scopedId(t, agentId), agentRevision, this.#o.instanceId);
    const offered = await this.#agentCommand(t, { type: 'OfferCall', commandId: engineCommandId(offerId, 'offer-agent'), at: now, agentId, offerId, callId: a.callId, queueId: a.queueId, policy: offerPolicyOf(config) });
    if ('refused' in offered || offered.duplicate) {
      // A duplicate: this exact offer was made before from the same (stale) model state, and may since be resolved.
      if (!('refused' in offered)) await this.#syncModel(this.#agentStream(t, agentId));
      this.stats.offerRefusals++;
      return;
    }
    // The call's offer and the agent leg's claim go to two different streams at once: the leg is dialled only when
    // both succeeded. A claim whose call refused the offer is never sent (as after a crash between claim and send).
    const claim = this.#claimOriginate(t, agentId, a.callId, offerId);
    const onCall = await this.#callCommand(t, { type: 'OfferToAgent', commandId: engineCommandId(offerId, 'offer-call'), at: now, callId: a.callId, agentId, offerId }).catch(
      async (error: unknown) => {
        await claim.catch(() => undefined);
        throw error;
      },
    );
    if ('refused' in onCall) {
      this.stats.offerRefusals++;
      await claim.catch(() => undefined);
      await this.#agentCommand(t, { type: 'CancelOffer', commandId: engineCommandId(offerId, 'cancel-offer'), at: now, agentId, offerId, reason: 'rescinded' }, 'offer');
      return;
    }
    this.stats.offers++;
    if (await claim) await this.#sendOriginate(t, agentId, a.callId, offerId);
    const s = this.#m(t).agents.get(agentId)?.state;
    // Off the routing path: the next pass need not wait for it (a lost timer is scheduled again on resume).
    if (s?.call?.offerId === offerId) void this.#guard(() => this.#ensureRingTimer(t, agentId, offerId, s.call!.expiresAt), `ring timer ${offerId}`);
  }

  /** Dials the agent leg unless it was claimed before; true when this call sent it. */
  async #originate(t: Tenant, agentId: string, callId: string, offerId: string): Promise<boolean> {
    if (!(await this.#claimOriginate(t, agentId, callId, offerId))) return false;
    await this.#sendOriginate(t, agentId, callId, offerId);
    return true;
  }

  /** Claims the agent leg's originate; true when this caller must send it. */
  async #claimOriginate(t: Tenant, agentId: string, callId: string, offerId: string): Promise<boolean> {
    const call = this.#m(t).call(callId);
    const agent = this.#m(t).agents.get(agentId)?.state;
    if (!call?.switchId || agent?.call?.offerId !== offerId) return false;
    const legUuid = agentLegUuidFor(offerId);
    return claimSwitchCommand(this.#o.store, { key: `originate|${legUuid}`, command: 'originate', switchId: call.switchId, at: this.#o.clock.now(), issuer: this.#o.instanceId });
  }

  /** Sends the claimed originate; a refusal by the switch withdraws the offer. */
  async #sendOriginate(t: Tenant, agentId: string, callId: string, offerId: string): Promise<void> {
    const call = this.#m(t).call(callId);
    const agent = this.#m(t).agents.get(agentId)?.state;
    // Withdrawn between the claim and now: never dial an agent for an offer it no longer holds (claimed, unsent).
    if (!call?.switchId || agent?.call?.offerId !== offerId) return;
    const legUuid = agentLegUuidFor(offerId);
    this.stats.originates++;
    try {
      await this.#o.switchPort.originate({
        switchId: call.switchId,
        commandId: engineCommandId(offerId, 'originate'),
        legUuid,
        endpoint: (this.#o.agentEndpoint ?? defaultEndpoint)(scopedId(t, agentId), { tenant: t, agentId }),
        // ledgerline_call_id (and so the facts' callId) is the call's scoped id: the stream name without `call-`.
        callId: scopedId(t, callId),
        role: 'agent',
        offerId,
        ringTimeoutSeconds: agent.call.policy.ringTimeoutSeconds,
        variables: { ledgerline_agent_id: scopedId(t, agentId) },
      });
    } catch (error) {
      // The switch refused to dial: withdraw the offer without blaming the agent; the caller keeps its place.
      this.#o.onError?.(error, `originate ${legUuid}`);
      const at = this.#o.clock.now();
      await this.#agentCommand(t, { type: 'CancelOffer', commandId: engineCommandId(offerId, 'cancel-offer'), at, agentId, offerId, reason: 'rescinded' }, 'originate');
      await this.#callCommand(t, { type: 'RecordAgentLegFailed', commandId: engineCommandId(offerId, 'leg-failed'), at, callId, offerId, cause: 'error' });
    }
  }

  // ---- switch facts ----------------------------------------------------------------------------------------------

  async #onFact(f: SwitchFact): Promise<void> {
    // The fact's callId is the call's scoped id (`acme.c1`): tenant and bare id; a caller leg without it is looked up.
    const of = this.#callOfFact(f);
    const t = of?.t;
    const factCallId = f.callId !== undefined ? of?.callId : undefined;
    // A fact may overtake the log (another instance dialled this leg): read the call's stream first.
    if (factCallId && !this.#m(t).call(factCallId)) await this.#syncModel(this.#callStream(t, factCallId));
    if (f.role === 'agent' && f.offerId && factCallId) {
      const offer = this.#m(t).call(factCallId)?.state.offer;
      const agentId = offer?.offerId === f.offerId ? offer.agentId : this.#agentOfOffer(t, f.offerId);
      if (!agentId) return;
      if (f.kind === 'leg_ringing') {
        await this.#agentCommand(t, { type: 'RecordRinging', commandId: engineCommandId(f.offerId, 'ringing'), at: f.at, agentId, offerId: f.offerId });
        await this.#callCommand(t, { type: 'RecordAgentLegRinging', commandId: engineCommandId(f.offerId, 'leg-ringing'), at: f.at, callId: factCallId, offerId: f.offerId, channelUuid: f.legUuid });
      } else if (f.kind === 'leg_answered') {
        await this.#onAgentAnswered(t, factCallId, f.offerId, agentId, f.at);
      } else if (f.kind === 'leg_hangup') {
        await this.#onAgentLegHangup(t, factCallId, f.offerId, agentId, f.cause, f.at);
      }
      return;
    }
    if (f.kind === 'legs_bridged' && of?.callId) {
      // The switch bridged the caller to the agent of the open offer: a bridge sent by a process that died before it
      // took effect (or before it recorded the connect) is connected now; else the connect is there already.
      const call = this.#m(t).call(of.callId);
      const offer = call?.state.offer;
      const legs = [f.legUuid, f.otherLegUuid];
      if (call?.state.status === 'agent_answered' && offer && !call.state.callback && legs.includes(call.callerLegUuid ?? '') && legs.includes(agentLegUuidFor(offer.offerId))) {
        await this.#callCommand(t, { type: 'ConnectCall', commandId: engineCommandId(offer.offerId, 'connect'), at: f.at, callId: of.callId, offerId: offer.offerId });
      }
      return;
    }
    if (f.role === 'outbound' && factCallId && (f.kind === 'leg_answered' || f.kind === 'leg_hangup')) {
      const call = this.#m(t).calls.get(factCallId);
      const attemptId = call?.state.callback?.attemptId;
      if (call?.state.status === 'callback_dialing' && attemptId && call.callerLegUuid === f.legUuid) {
        await this.#onCallbackLeg(t, factCallId, attemptId, f.kind === 'leg_answered' ? null : f.cause, f.at);
        return;
      }
    }
    if (f.kind === 'leg_hangup') {
      const callId = of?.callId;
      const call = callId ? this.#m(t).calls.get(callId) : undefined;
      if (!callId || !call || call.callerLegUuid !== f.legUuid) return;
      // A callback's caller leg was released on purpose (and a dial-back leg is handled above): not a hangup of the call.
      if (call.state.status.startsWith('callback_') || call.state.callback) return;
      const offer = call.state.offer;
      if ((f.cause === RECONCILE_ENDED || f.cause === SWITCH_RESTARTED) && call.state.status === 'agent_answered' && offer) {
        // The caller left while nobody listened, after the agent answered and the bridge was sent (claimed) — by a
        // process that died before recording the connect. The switch bridged them: record the call as connected
        // (from the agent's answer) before it ends, rather than as a caller who gave up waiting.
        if (await mayHaveTakenEffect(this.#o.store, `bridge|${agentLegUuidFor(offer.offerId)}`)) {
          await this.#callCommand(t, { type: 'ConnectCall', commandId: engineCommandId(offer.offerId, 'connect'), at: offer.answeredAt ?? f.at, callId, offerId: offer.offerId });
        }
      }
      await this.#callCommand(t, { type: 'EndCall', commandId: engineCommandId(scopedId(t, callId), 'caller-hangup'), at: f.at, callId, cause: f.cause, hungUpBy: 'caller' });
    }
  }

  #agentOfOffer(t: Tenant, offerId: string): string | undefined {
    for (const [agentId, a] of this.#m(t).agents) if (a.state.call?.offerId === offerId) return agentId;
    return undefined;
  }

  /** The agent picked up: record it on both sides, bridge once, connect. */
  async #onAgentAnswered(t: Tenant, callId: string, offerId: string, agentId: string, at: number): Promise<void> {
    const answered = await this.#callCommand(t, { type: 'RecordAgentLegAnswered', commandId: engineCommandId(offerId, 'leg-answered'), at, callId, offerId });
    if ('refused' in answered && answered.refused !== 'AGENT_LEG_ALREADY_ANSWERED') {
      // The caller is gone (or the offer was withdrawn): hang up the agent and free them.
      await this.#agentCommand(t, { type: 'CancelOffer', commandId: engineCommandId(offerId, 'cancel-offer'), at, agentId, offerId, reason: 'caller_abandoned' }, 'onAgentAnswered');
      await this.#killAgentLeg(t, callId, offerId, 'caller-gone');
      return;
    }
    const talking = await this.#agentCommand(t, { type: 'RecordTalking', commandId: engineCommandId(offerId, 'talking'), at, agentId, offerId });
    if ('refused' in talking) {
      // The agent's offer was withdrawn meanwhile (logout, supervisor): the call goes back to its place.
      await this.#callCommand(t, { type: 'RecordAgentLegFailed', commandId: engineCommandId(offerId, 'leg-failed'), at, callId, offerId, cause: 'agent_unavailable' });
      await this.#killAgentLeg(t, callId, offerId, 'agent-withdrawn');
      return;
    }
    // Agent first: a callback offer's agent is on the line now, so the customer is dialled; any other call is bridged.
    if (this.#m(t).call(callId)?.state.callback) await this.#attemptCallback(t, callId, offerId, at);
    else await this.#connect(t, callId, offerId, agentId, at);
  }

  async #connect(t: Tenant, callId: string, offerId: string, agentId: string, at: number): Promise<void> {
    const call = this.#m(t).call(callId);
    if (!call?.switchId || !call.callerLegUuid) return;
    const legUuid = agentLegUuidFor(offerId);
    const key = `bridge|${legUuid}`;
    if (await claimSwitchCommand(this.#o.store, { key, command: 'bridge', switchId: call.switchId, at, issuer: this.#o.instanceId })) {
      try {
        await this.#o.switchPort.bridge({ switchId: call.switchId, commandId: engineCommandId(offerId, 'bridge'), aLegUuid: call.callerLegUuid, bLegUuid: legUuid });
      } catch (error) {
        // A leg is gone (the caller hung up meanwhile): the bridge never happened; say so next to its claim, so that
        // nobody later reads the claim as a bridge. The caller's hangup ends the call.
        if (isLedgerlineError(error, 'ESL_NO_SUCH_CHANNEL')) {
          await recordSwitchCommandRefused(this.#o.store, key, this.#o.clock.now(), error.message);
          return;
        }
        throw error;
      }
    } else if ((await this.#o.switchPort.channelStatus(call.switchId, legUuid)) !== 'bridged') {
      // Another instance (or an earlier run) claimed the bridge: the call is connected only once the switch shows
      // the legs bridged — never on the strength of a claim whose bridge may have failed (the caller just left).
      return;
    }
    const connected = await this.#callCommand(t, { type: 'ConnectCall', commandId: engineCommandId(offerId, 'connect'), at, callId, offerId });
    if ('refused' in connected && connected.refused !== 'CALL_ALREADY_CONNECTED') {
      // The caller hung up between the answer and the bridge: the CallEnded reaction ends the agent's call.
      await this.#reconcileAgent(t, agentId);
    }
  }

  /** The agent leg hung up: before the answer it is a miss; after the connect, the agent ended the call. */
  async #onAgentLegHangup(t: Tenant, callId: string, offerId: string, agentId: string, cause: string, at: number): Promise<void> {
    const call = this.#m(t).call(callId);
    if (!call) return;
    if (call.state.status === 'connected' && call.state.agentId === agentId) {
      await this.#callCommand(t, { type: 'EndCall', commandId: engineCommandId(scopedId(t, callId), 'agent-hangup', offerId), at, callId, cause, hungUpBy: 'agent' });
      return;
    }
    if (call.state.offer?.offerId !== offerId) return;
    const failure = agentLegFailureCause(cause);
    const agent = this.#m(t).agents.get(agentId)?.state;
    if (agent?.state === 'talking' && agent.call?.offerId === offerId) {
      // Answered, then gone before the customer was connected (a callback offer, while the customer is dialled): not
      // a miss; the agent's after-call work starts and the call goes back to its place.
      await this.#agentCommand(t, { type: 'StartWrapUp', commandId: engineCommandId(offerId, 'start-wrap-up'), at, agentId, offerId });
      const dialled = call.state.status === 'callback_dialing' ? call.state.callback?.attemptId : undefined;
      await this.#callCommand(t, { type: 'RecordAgentLegFailed', commandId: engineCommandId(offerId, 'leg-failed'), at, callId, offerId, cause: 'agent_unavailable' });
      // The customer being dialled for this agent is hung up: that attempt does not count (the callback is due now).
      if (dialled && call.switchId && call.callerLegUuid) {
        const legUuid = call.callerLegUuid;
        await this.#guard(
          () => this.#o.switchPort.kill({ switchId: call.switchId!, commandId: engineCommandId(dialled, 'kill-customer-leg'), legUuid, cause: 'ORIGINATOR_CANCEL' }),
          'kill customer leg (agent left)',
        );
      }
      return;
    }
    await this.#agentCommand(t, { type: 'RecordOfferMissed', commandId: engineCommandId(offerId, 'missed'), at, agentId, offerId, reason: missReason(failure) });
    await this.#callCommand(t, { type: 'RecordAgentLegFailed', commandId: engineCommandId(offerId, 'leg-failed'), at, callId, offerId, cause: failure });
  }

  async #onCallEnded(t: Tenant, callId: string, hungUpBy: string, connectedAgentId: string | null, cause: string): Promise<void> {
    const call = this.#m(t).call(callId);
    // A caller transferred out (to a number) lives on elsewhere on the switch: only our side of the call ended.
    if (call?.switchId && call.callerLegUuid && hungUpBy !== 'caller' && cause !== 'TRANSFERRED_EXTERNAL') {
      // A failed kill must not keep the agents from their wrap-up: report it and go on.
      await this.#o.switchPort
        .kill({ switchId: call.switchId, commandId: engineCommandId(scopedId(t, callId), 'kill-caller'), legUuid: call.callerLegUuid, cause: 'NORMAL_CLEARING' })
        .catch((e: unknown) => this.#o.onError?.(e, `kill caller leg of ended call ${callId}`));
    }
    const agentIds = new Set<string>();
    if (connectedAgentId) agentIds.add(connectedAgentId);
    for (const [agentId, a] of this.#m(t).agents) if (a.state.call?.callId === callId) agentIds.add(agentId);
    for (const agentId of agentIds) await this.#reconcileAgent(t, agentId);
  }

  async #onOverflowed(t: Tenant, callId: string, exit: { kind: string; mailbox?: string }): Promise<void> {
    const call = this.#m(t).call(callId);
    if (exit.kind !== 'voicemail' || !call?.switchId || !call.callerLegUuid) return;
    const to = (this.#o.voicemailExtension ?? ((m: string) => ({ exten: `voicemail-${m}` })))(exit.mailbox!);
    await this.#o.switchPort.transfer({ switchId: call.switchId, commandId: engineCommandId(scopedId(t, callId), 'voicemail'), legUuid: call.callerLegUuid, ...to });
  }

  // ---- callbacks: the caller keeps its place and is released; agent first, then the customer is dialled ---------

  async #onCallbackRequested(t: Tenant, callId: string, at: number): Promise<void> {
    const call = this.#m(t).call(callId);
    const callbackId = engineCommandId(scopedId(t, callId), 'callback', at);
    const scheduled = await this.#callCommand(t, { type: 'ScheduleCallback', commandId: engineCommandId(callbackId, 'schedule'), at, callId, callbackId, notBefore: at });
    if ('refused' in scheduled || !call?.switchId || !call.callerLegUuid) return;
    await this.#o.switchPort.kill({ switchId: call.switchId, commandId: engineCommandId(callbackId, 'release-caller'), legUuid: call.callerLegUuid, cause: 'NORMAL_CLEARING' });
  }

  /**
   * The agent answered a callback offer: record the attempt (its id and the customer leg's uuid derive from the offer,
   * so a retry or a restart names the same attempt); the CallbackAttempted reaction dials the customer.
   */
  async #attemptCallback(t: Tenant, callId: string, offerId: string, at: number): Promise<void> {
    const attemptId = callbackAttemptIdFor(offerId);
    await this.#callCommand(t, { type: 'AttemptCallback', commandId: engineCommandId(attemptId, 'attempt'), at, callId, attemptId, channelUuid: callbackLegUuidFor(attemptId) });
  }

  /** Dials the customer for an attempt unless it was claimed before; true when this call sent it. */
  async #dialBack(t: Tenant, callId: string, attemptId: string, number: string, legUuid: string): Promise<boolean> {
    const call = this.#m(t).call(callId);
    if (!call?.switchId) return false;
    if (!(await claimSwitchCommand(this.#o.store, { key: `originate|${legUuid}`, command: 'originate', switchId: call.switchId, at: this.#o.clock.now(), issuer: this.#o.instanceId }))) return false;
    try {
      await this.#o.switchPort.originate({
        switchId: call.switchId,
        commandId: engineCommandId(attemptId, 'originate'),
        legUuid,
        endpoint: (this.#o.customerEndpoint ?? ((n: string) => ({ kind: 'gateway', gateway: 'default', number: n })))(number),
        callId: scopedId(t, callId),
        role: 'outbound',
        ringTimeoutSeconds: 30,
        variables: { ledgerline_attempt_id: attemptId },
      });
    } catch (error) {
      this.#o.onError?.(error, `dial back ${legUuid}`);
      await this.#onCallbackLeg(t, callId, attemptId, 'DESTINATION_OUT_OF_ORDER', this.#o.clock.now());
    }
    return true;
  }

  /** After a restart, a callback being dialled: dial it if nobody did (claim), else ask the switch where the leg is. */
  async #resumeCallbackAttempt(t: Tenant, callId: string): Promise<void> {
    const call = this.#m(t).call(callId);
    const cb = call?.state.callback;
    if (!call?.switchId || !call.callerLegUuid || !cb?.attemptId) return;
    if (await this.#dialBack(t, callId, cb.attemptId, cb.number, call.callerLegUuid)) return;
    const status = await this.#o.switchPort.channelStatus(call.switchId, call.callerLegUuid);
    const at = this.#o.clock.now();
    if (status === 'answered' || status === 'bridged') await this.#onCallbackLeg(t, callId, cb.attemptId, null, at);
    // Dialled, and gone without a fact we saw: a failed attempt (never dialled again for this offer).
    else if (status === 'absent' || status === 'hungup') await this.#onCallbackLeg(t, callId, cb.attemptId, 'RECOVERY_ON_TIMER_EXPIRE', at);
  }

  /**
   * The dial-back leg answered (`cause` null: the waiting agent is connected to it) or failed: the agent is released
   * to wrap-up and the callback is due again after the queue's retry interval, or given up after maxRetries retries.
   */
  async #onCallbackLeg(t: Tenant, callId: string, attemptId: string, cause: string | null, at: number): Promise<void> {
    if (cause === null) {
      await this.#callCommand(t, { type: 'CompleteCallback', commandId: engineCommandId(attemptId, 'complete'), at, callId, attemptId });
      const now = this.#m(t).call(callId)?.state;
      if (now?.status === 'agent_answered' && !now.callback && now.offer) await this.#connect(t, callId, now.offer.offerId, now.offer.agentId, at);
      return;
    }
    const call = this.#m(t).call(callId);
    const rules = call?.state.queue ? this.#m(t).queueConfig(call.state.queue.queueId)?.callback : null;
    const attempts = call?.state.callback?.attempts ?? 1;
    const retry = attempts <= (rules?.maxRetries ?? 0);
    // The agent's release (wrap-up, leg killed) is the CallOfferCancelled reaction's: FailCallback closes the offer.
    await this.#callCommand(t, {
      type: 'FailCallback',
      commandId: engineCommandId(attemptId, 'fail'),
      at,
      callId,
      attemptId,
      cause: agentLegFailureCause(cause),
      retry,
      retryAt: retry ? at + (rules?.retryIntervalSeconds ?? 300) * 1000 : null,
    });
  }

  async #killAgentLeg(t: Tenant, callId: string, offerId: string, why: string): Promise<void> {
    const call = this.#m(t).call(callId);
    if (!call?.switchId) return;
    await this.#guard(
      () => this.#o.switchPort.kill({ switchId: call.switchId!, commandId: engineCommandId(offerId, 'kill-agent-leg'), legUuid: agentLegUuidFor(offerId), cause: 'ORIGINATOR_CANCEL' }),
      `kill agent leg (${why})`,
    );
  }

  // ---- commands --------------------------------------------------------------------------------------------------

  #ensureRingTimer(t: Tenant, agentId: string, offerId: string, expiresAt: number): Promise<void> {
    const dueAt = expiresAt + RING_TIMER_SLACK_MS;
    return this.#ensureTimer(t, `ring-${offerId}`, dueAt, 'ring-timeout', {
      category: 'agent',
      command: { type: 'RecordOfferMissed', commandId: engineCommandId(offerId, 'ring-timeout'), at: dueAt, agentId, offerId, reason: 'no_answer' },
    });
  }

  /** Timer ids derive from offer or attempt ids, which are unique across tenants; the dispatch names the tenant. */
  async #ensureTimer(t: Tenant, timerId: string, dueAt: number, purpose: string, dispatch: Omit<Parameters<typeof scheduleTimer>[1]['dispatch'], 'tenant'>): Promise<void> {
    if (this.#scheduledTimers.has(timerId)) return;
    await scheduleTimer(this.#o.store, { timerId, dueAt, purpose, dispatch: t === undefined ? dispatch : { ...dispatch, tenant: t } }, this.#o.clock.now());
    this.#scheduledTimers.add(timerId);
  }

  #callStream(t: Tenant, callId: string): string {
    return tenantStream('call', t, callId);
  }

  #agentStream(t: Tenant, agentId: string): string {
    return tenantStream('agent', t, agentId);
  }

  /** Runs an agent command; a refusal by the decider comes back as `{ refused: code }`, not thrown. */
  /** `why` (the engine step) goes into the events' causationId, so the log says which reaction wrote them. */
  #agentCommand(t: Tenant, input: AgentCommandInput, why?: string): Promise<CommandOutcome<unknown> | Refusal> {
    const command = parseAgentCommand({ actor: `system:${this.#o.instanceId}`, ...input });
    const stream = this.#agentStream(t, command.agentId);
    return this.#run(stream, () => this.#agg.run(agentDecider, stream, command, commandContext(t, why)));
  }

  #callCommand(t: Tenant, input: CallCommandInput, why?: string): Promise<CommandOutcome<unknown> | Refusal> {
    const command = parseCallCommand({ actor: `system:${this.#o.instanceId}`, ...input });
    const stream = this.#callStream(t, command.callId);
    return this.#run(stream, () => this.#agg.run(callDecider, stream, command, commandContext(t, why)));
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
    const t = parseTenantStream(stream).tenant;
    const fresh: TenantEvent[] = [];
    events.forEach((e, i) => {
      if (this.#m(t).apply(stream, first + BigInt(i), e)) fresh.push({ t, e });
    });
    if (this.#live) this.#ownEvents.push(...fresh);
  }

  /** Reads the stream's events the model lacks (up to `before`, exclusive, when given) and applies them. */
  async #syncModel(stream: string, before?: bigint): Promise<void> {
    const t = parseTenantStream(stream).tenant;
    const known = this.#m(t).revisionOf(stream);
    const from = known === undefined ? 0n : known + 1n;
    if (before !== undefined && before <= from) return;
    const fresh: TenantEvent[] = [];
    try {
      for await (const r of this.#o.store.readStream(stream, { fromRevision: from, ...(before !== undefined ? { maxCount: before - from } : {}) })) {
        const e = toDomainEvent(r);
        if (this.#m(t).apply(stream, r.revision, e)) fresh.push({ t, e });
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

/** Events whose only reaction is a routing pass (see #react). */
const ROUTE_ONLY = new Set(['CallQueued', 'CallPriorityChanged', 'CallbackScheduled', 'AgentReady', 'AgentSkillsChanged', 'AgentStateForced', 'AgentWrapUpEnded', 'AgentLoggedIn', 'AgentLoggedOut', 'AgentNotReady', 'AgentBrokeOut']);

/** Events #react writes or calls the switch for (every other event needs at most a routing pass). */
const REACTED = new Set(['AgentLegFailed', 'AgentOffered', 'AgentWrapUpStarted', 'AgentWrapUpExtended', 'AgentOfferMissed', 'AgentOfferCancelled', 'CallOfferCancelled', 'CallOfferedToAgent', 'CallEnded', 'CallbackRequested', 'CallbackFailed', 'CallbackAttempted', 'CallOverflowed', 'CallTransferred', 'ConsultStarted', 'ConsultAnswered', 'ConsultCancelled', 'ConsultCompleted', 'CallOriginated', 'CallConnected', 'ConferencePartyAdded', 'ConferencePartyRemoved']);

const OVERFLOW_REASON: Record<ExitReason, 'max_wait' | 'no_agents' | 'max_queue_length'> = {
  'max-wait': 'max_wait',
  'max-wait-no-agent': 'no_agents',
  'max-length': 'max_queue_length',
};

/** The agents on a call now: the one connected, conference parties who are agents, the agent being consulted. */
function agentsOnCall(s: CallState): Set<string> {
  const on = new Set<string>();
  if (s.status === 'connected' && s.agentId) on.add(s.agentId);
  for (const p of Object.values(s.parties)) if (p.kind === 'agent') on.add(p.agentId);
  if (s.consult?.target.kind === 'agent') on.add(s.consult.target.agentId);
  return on;
}

function defaultEndpoint(scopedAgentId: string): SwitchEndpoint {
  return { kind: 'user', user: scopedAgentId };
}

/** The metadata of an engine command: its tenant (so projections group without parsing names) and why it ran. */
function commandContext(t: Tenant, why: string | undefined): CommandContext {
  return { ...(t !== undefined ? { tenant: t } : {}), ...(why !== undefined ? { causationId: `engine:${why}` } : {}) };
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
