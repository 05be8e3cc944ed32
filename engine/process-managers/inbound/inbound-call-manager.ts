// The inbound call process manager: a new caller leg on a DID becomes a call (ReceiveCall), is answered and runs
// the DID's published IVR flow version through the pure interpreter. Every Step's instructions become switch
// commands (play, collect digits, transfer, kill), look-ups go to the CustomerLookup port, terminal nodes become
// CompleteIvr and QueueCall / EndCall; every switch fact that answers the IVR is recorded on the call stream
// (RecordPromptPlayed, RecordIvrInput, RecordLookupResult) before the interpreter moves on.
//
// Idempotence: the session is folded from the call stream on every fact (ivr-session-fold.ts), facts carry the turn
// they answer (playback and collect ids), and command ids derive from the call and that turn, so a replayed fact is
// stale (ignored) and a retried command is a duplicate. Work runs in one lane per call: in order within a call,
// concurrently across calls.
//
// Tenancy: a DID maps to a flow of a tenant; the call lives in `call-<tenant>.<callId>` (bare `call-<callId>` for the
// default tenant), its flow in `ivrflow-<tenant>.<flowId>`, and every command carries metadata.tenant. The manager
// keys a call by its SCOPED id (the stream name without `call-`): command ids, media ids and timer ids derive from
// it, so two tenants never collide. A caller leg's later facts carry no call id: the call is found from the media id
// (playbacks, collectors) or from the leg (learnt when the call was created, or from CallArrived in the log).
import type { EventStore, Position, RecordedEvent, StreamSubscription } from '../../../adapters/event-store/port.ts';
import { parseCallCommand, type CallCommandInput } from '../../../domain/call/call-commands.ts';
import { callDecider } from '../../../domain/call/call-decider.ts';
import type { CallEvent } from '../../../domain/call/call-events.ts';
import type { CallState, CallStatus } from '../../../domain/call/call-state.ts';
import { LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import type { IvrFlow } from '../../../domain/ivr/flow-schema.ts';
import type { IvrInput } from '../../../domain/ivr/inputs.ts';
import type { PlayInstruction } from '../../../domain/ivr/instructions.ts';
import { advance, start, type Step } from '../../../domain/ivr/interpreter.ts';
import type { IvrOutcome } from '../../../domain/ivr/session.ts';
import { ivrFlowDecider, requirePublishedVersion, routableVersion } from '../../../domain/ivr-flow/ivr-flow-decider.ts';
import { parseScopedId, scopedId, tenantStream } from '../../../domain/shared/tenant-stream.ts';
import { BoundedMap } from '../../switch/bounded-map.ts';
import { RealClock, type Clock } from '../../clock.ts';
import { CachedAggregates } from '../../aggregates/cached-aggregates.ts';
import { toDomainEvent } from '../../command-handling/handle-command.ts';
import type { SwitchFact, SwitchPort } from '../../ports/switch-port.ts';
import type { CustomerLookup, LookupAnswer } from './customer-lookup.ts';
import { cancelTimer, scheduleTimer } from '../../timers/timer-service.ts';
import { callOfMediaId, inboundCallIdFor, inputStepKey, ivrTimerIdFor, IVR_TIMER_ACTOR, mediaIdFor, startStepKey, turnOfMediaId } from './inbound-ids.ts';
import { engineCommandId } from '../routing/routing-ids.ts';
import { foldIvrRun, inputOfEvent, ivrContextOf, type IvrRun } from './ivr-session-fold.ts';

/** What the port adds to a new leg's first facts (direction, dialled number, caller id). */
export type InboundLegDetails = Pick<SwitchFact, 'direction' | 'did' | 'callerNumber' | 'callerName'>;

/** A switch fact (kept as a name: tests and callers use it). */
export type InboundFact = SwitchFact;

/** Where a DID leads: a flow of a tenant (a plain flow id string: the default tenant's flow). */
export type DidTarget = string | { readonly tenant?: string; readonly flowId: string };

/** The DID → IVR flow mapping: a table, or a function (undefined: not ours). */
export type FlowForDid = Readonly<Record<string, DidTarget>> | ((did: string) => DidTarget | undefined);

/** How many caller legs the manager remembers the call of (oldest forgotten first). */
const MAX_LEGS = 100_000;

/** How many call streams the manager keeps folded in memory (a call in its IVR is seldom evicted). */
const MAX_CACHED_CALLS = 5_000;

export interface InboundCallManagerOptions {
  readonly store: EventStore;
  readonly switchPort: SwitchPort;
  readonly flowForDid: FlowForDid;
  readonly lookup: CustomerLookup;
  readonly clock?: Clock;
  /** Where a prompt is found: recorded prompts per language, text through TTS. */
  readonly promptPath?: (p: PlayInstruction) => string;
  /**
   * How long after a collector's own timeout (or a look-up's) the durable backstop timer records the timeout, ms
   * (default 30 000: the collector's timeout starts after its prompt, whose length the engine does not know).
   */
  readonly noInputGraceMs?: number;
  /** Called with every error the manager survived (a refused command, a switch command that failed). */
  readonly onError?: (error: unknown, context: { callId?: string; fact?: SwitchFact }) => void;
  /**
   * Which calls this instance runs the IVR of, by call stream (default: all). Several instances on one switch split
   * the calls: records are idempotent anyway, but prompts and collectors sent twice would be heard twice.
   */
  readonly ownsCall?: (callStream: string) => boolean;
}

/**
 * Where the inbound manager ends the call on the caller's hangup besides the IVR: only `queued`, the moment the
 * routing manager's model may not hold the call yet. From the offer on, the routing manager orders the caller's and
 * the agent's facts in one lane (a hangup racing a bridge must not overtake the connect).
 */
const CALLER_CAN_END: ReadonlySet<CallStatus> = new Set<CallStatus>(['queued']);

/**
 * Whether a fact about a caller leg can still need the inbound manager, given the call's state: IVR facts while the
 * call has not left its IVR, the caller's hangup until routing holds the call (queued and never offered). Call
 * states never go back into the IVR, and an offered call is the routing manager's.
 */
function concernsInbound(s: CallState, fact: SwitchFact): boolean {
  if (s.status === 'none' || s.status === 'arrived' || s.status === 'in_ivr') return true;
  return fact.kind === 'leg_hangup' && CALLER_CAN_END.has(s.status) && s.offerCount === 0;
}

/** The cause recorded for a caller found gone when an interrupted arrival is resumed (as the switch's reconcile says). */
const RESUMED_GONE = 'RECONCILE_ENDED';

const defaultPromptPath = (p: PlayInstruction): string => (p.prompt !== undefined ? `ivr/${p.language}/${p.prompt}.wav` : `say:${p.text ?? ''}`);

const OUTCOME: Record<IvrOutcome['kind'], 'queue' | 'transfer' | 'self_served' | 'hangup' | 'error'> = {
  queued: 'queue',
  transferred: 'transfer',
  voicemail: 'transfer',
  self_served: 'self_served',
  hangup: 'hangup',
  abandoned: 'hangup',
};

interface CallView {
  /** The call's SCOPED id (`acme.<id>`, or the bare id in the default tenant): the key every id derives from. */
  readonly callId: string;
  readonly tenant: string | undefined;
  /** The id the call's events and commands carry. */
  readonly bareId: string;
  readonly state: CallState;
  readonly events: readonly CallEvent[];
  /** The command id of each event (same index). */
  readonly commandIds: readonly (string | undefined)[];
  /** The caller leg, from CallArrived. */
  readonly switchId: string;
  readonly legUuid: string;
}

/** See the module comment. `start()` consumes the port's facts; `stop()` stops after the fact in hand. */
export class InboundCallManager {
  readonly #o: InboundCallManagerOptions;
  readonly #clock: Clock;
  readonly #promptPath: (p: PlayInstruction) => string;
  readonly #flows = new Map<string, IvrFlow>();
  /** The calls' streams folded with their histories: a command appends at the cached revision, a load reads forward. */
  readonly #calls: CachedAggregates;
  /** The IVR flows' streams (a new call reads only what was published since). */
  readonly #flowStreams: CachedAggregates;
  /** Per call (scoped id): the tail of its work. */
  readonly #lanes = new Map<string, Promise<void>>();
  #pending = 0;
  #stopped = false;
  #iterator: AsyncIterator<SwitchFact> | undefined;
  #subscription: StreamSubscription | undefined;
  /** `<switchId>|<legUuid>` of a caller leg → its call's scoped id. */
  readonly #legs = new BoundedMap<string, string>(MAX_LEGS);
  /** Facts fully handled (tests wait on it; nothing else should). */
  handled = 0;

  constructor(options: InboundCallManagerOptions) {
    this.#o = options;
    this.#clock = options.clock ?? new RealClock();
    this.#promptPath = options.promptPath ?? defaultPromptPath;
    this.#calls = new CachedAggregates(options.store, { maxStreams: MAX_CACHED_CALLS, keepHistory: true });
    this.#flowStreams = new CachedAggregates(options.store, { maxStreams: 1_000 });
  }

  /**
   * Starts consuming switch facts, and the call log: inputs our durable timers recorded are carried out when they
   * appear; the log as it stood at start is caught up so that every call still in its IVR gets its last step carried
   * out again (idempotent by command ids: the pending prompt or collector is re-issued with the same ids, a timer
   * that fired while no manager ran is acted on, a crash between an input and its step is repaired).
   */
  start(): void {
    let openFacts!: () => void;
    const factsOpen = new Promise<void>((r) => (openFacts = r));
    // Calls the log at start shows arrived but not in their IVR (a crash between ReceiveCall and StartIvr).
    const arrivedOnly = new Map<string, RecordedEvent>();
    let caughtUp = false;
    const onCaughtUp = (): void => {
      openFacts();
      if (caughtUp) return;
      caughtUp = true;
      for (const [callId, arrived] of arrivedOnly) void this.#enqueue(() => this.#resumeArrival(callId, arrived).catch((e: unknown) => this.#o.onError?.(e, { callId })), callId);
      arrivedOnly.clear();
    };
    void (async () => {
      try {
        const head = await this.#o.store.headPosition();
        if (this.#stopped) return;
        if (head === undefined) onCaughtUp();
        const sub = this.#o.store.subscribeToAll({
          fromPosition: 'start',
          filter: { streamNamePrefixes: ['call-'], eventTypePrefixes: ['CallArrived', ...STEP_EVENTS] },
          onCheckpoint: (p) => {
            if (head !== undefined && reached(p, head)) onCaughtUp();
          },
        });
        this.#subscription = sub;
        for await (const r of sub) {
          if (this.#stopped) break;
          const catchingUp = head !== undefined && atOrBefore(r.position, head);
          const callOf = r.streamId.slice('call-'.length);
          if (catchingUp && r.type === 'CallArrived' && (!this.#o.ownsCall || this.#o.ownsCall(r.streamId))) arrivedOnly.set(callOf, r);
          if (r.type === 'IvrStarted') arrivedOnly.delete(callOf);
          if (head === undefined || reached(r.position, head)) onCaughtUp();
          if (r.type === 'CallArrived') {
            // Learn which call a caller leg belongs to: its later facts carry no call id.
            const d = r.data as { switchId?: unknown; channelUuid?: unknown };
            if (typeof d.switchId === 'string' && typeof d.channelUuid === 'string') this.#legs.set(legKey(d.switchId, d.channelUuid), callOf);
            continue;
          }
          if (!catchingUp && r.metadata.actor !== IVR_TIMER_ACTOR) continue;
          if (typeof r.metadata.commandId !== 'string') continue;
          const callId = r.streamId.slice('call-'.length);
          const commandId = r.metadata.commandId;
          if (this.#o.ownsCall && !this.#o.ownsCall(r.streamId)) continue;
          void this.#enqueue(() => this.#resumeFrom(callId, commandId).catch((e: unknown) => this.#o.onError?.(e, { callId })), callId);
        }
      } catch (e) {
        openFacts();
        if (!this.#stopped) this.#o.onError?.(e, {});
      }
    })();
    void (async () => {
      // Facts wait for the log as it stood at start: a caller leg of a tenant's call is known from its CallArrived.
      await factsOpen;
      if (this.#stopped) return;
      this.#iterator = this.#o.switchPort.facts()[Symbol.asyncIterator]();
      while (!this.#stopped) {
        const r = await this.#iterator.next();
        if (r.done || this.#stopped) break;
        void this.handleFact(r.value);
      }
    })();
  }

  /** Stops consuming facts and waits for the work in hand. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#subscription?.unsubscribe();
    await this.#iterator?.return?.();
    await this.idle();
  }

  /** Resolves when every lane is empty. */
  async idle(): Promise<void> {
    while (this.#pending > 0) await Promise.all(this.#lanes.values());
  }

  /**
   * Handles one fact in its call's lane: in order with every other fact, look-up result and resumed step of that
   * call, concurrently with other calls (one slow append must not hold every caller's IVR up).
   */
  handleFact(fact: InboundFact): Promise<void> {
    const callId = this.#callOfFact(fact);
    // A new leg's later facts carry no did: pin the leg to its call now, before any of them is enqueued.
    if (fact.callId === undefined && fact.did !== undefined) this.#legs.set(legKey(fact.switchId, fact.legUuid), callId);
    if (this.#o.ownsCall && !this.#o.ownsCall(`call-${callId}`)) return Promise.resolve();
    return this.#enqueue(async () => {
      try {
        await this.#onFact(fact);
      } catch (e) {
        this.#o.onError?.(e, { fact });
      } finally {
        this.handled++;
      }
    }, callId);
  }

  #enqueue(work: () => Promise<void>, lane: string): Promise<void> {
    this.#pending++;
    const run = (this.#lanes.get(lane) ?? Promise.resolve()).then(work).finally(() => {
      this.#pending--;
      if (this.#lanes.get(lane) === tail) this.#lanes.delete(lane);
    });
    const tail = run.catch(() => undefined);
    this.#lanes.set(lane, tail);
    return run;
  }

  #targetOf(did: string): { tenant: string | undefined; flowId: string } | undefined {
    const m = this.#o.flowForDid;
    const target = typeof m === 'function' ? m(did) : Object.hasOwn(m, did) ? m[did] : undefined;
    if (target === undefined) return undefined;
    return typeof target === 'string' ? { tenant: undefined, flowId: target } : { tenant: target.tenant, flowId: target.flowId };
  }

  /** The scoped id of the call a caller-leg fact is about. */
  #callOfFact(fact: InboundFact): string {
    if (fact.callId !== undefined) return fact.callId;
    const media = fact.kind === 'playback_done' ? callOfMediaId(fact.playbackId) : fact.kind === 'digits_collected' ? callOfMediaId(fact.collectId) : undefined;
    if (media !== undefined) return media;
    const known = this.#legs.get(legKey(fact.switchId, fact.legUuid));
    if (known !== undefined) return known;
    const bare = inboundCallIdFor(fact.switchId, fact.legUuid);
    const target = fact.did !== undefined ? this.#targetOf(fact.did) : undefined;
    return scopedId(target?.tenant, bare);
  }

  async #onFact(fact: InboundFact): Promise<void> {
    if (fact.role !== undefined && fact.role !== 'caller') return;
    if (fact.callId === undefined && fact.direction === 'inbound' && fact.did !== undefined && (fact.kind === 'leg_ringing' || fact.kind === 'leg_answered')) {
      await this.#onNewLeg({ ...fact, did: fact.did });
      return;
    }
    const callId = this.#callOfFact(fact);
    // The cache may lag the log, never lead it: a call it shows past its IVR (or offered) is no longer ours.
    const cached = this.#calls.peek<CallState>(`call-${callId}`)?.state;
    if (cached !== undefined && !concernsInbound(cached, fact)) return;
    const call = await this.#loadCall(callId);
    if (call.state.status === 'none') return;
    if (fact.kind === 'leg_hangup') return this.#onCallerHangup(call, fact);
    if (call.state.status !== 'in_ivr') return;
    const input = this.#inputOfFact(fact);
    if (input) await this.#onInput(call, input, fact);
  }

  #inputOfFact(fact: SwitchFact): IvrInput | undefined {
    switch (fact.kind) {
      case 'playback_done': {
        const turn = turnOfMediaId(fact.playbackId);
        return turn === undefined ? undefined : { kind: 'prompt_done', at: fact.at, turn };
      }
      case 'digits_collected': {
        const turn = turnOfMediaId(fact.collectId);
        if (turn === undefined) return undefined;
        return fact.digits === null || fact.digits === '' ? { kind: 'timeout', at: fact.at, turn } : { kind: 'dtmf', at: fact.at, turn, digits: fact.digits };
      }
      case 'dtmf':
        // A key during an interruptible announcement (collectors report theirs as digits_collected).
        return { kind: 'dtmf', at: fact.at, digits: fact.digit };
      default:
        return undefined;
    }
  }

  async #onNewLeg(fact: SwitchFact & InboundLegDetails & { did: string }): Promise<void> {
    const target = this.#targetOf(fact.did);
    if (target === undefined) return;
    const { tenant, flowId } = target;
    const bareId = inboundCallIdFor(fact.switchId, fact.legUuid);
    const callId = scopedId(tenant, bareId);
    this.#legs.set(legKey(fact.switchId, fact.legUuid), callId);
    const existing = await this.#loadCall(callId);
    // Already handled (a replayed fact, or another instance): what followed is driven by later facts.
    if (existing.events.some((e) => e.type === 'IvrStarted')) return;
    if (existing.state.status === 'none') {
      await this.#call(tenant, {
        type: 'ReceiveCall',
        commandId: `${callId}|receive`,
        at: fact.at,
        actor: `switch:${fact.switchId}`,
        callId: bareId,
        did: fact.did,
        callerNumber: fact.callerNumber ?? 'anonymous',
        callerName: fact.callerName ?? null,
        switchId: fact.switchId,
        channelUuid: fact.legUuid,
      });
    }
    await this.#o.switchPort.answer({ switchId: fact.switchId, commandId: `${callId}|answer`, legUuid: fact.legUuid });
    const version = await this.#loadRoutableVersion(tenant, flowId);
    await this.#call(tenant, { type: 'StartIvr', commandId: `${callId}|start-ivr`, at: fact.at, callId: bareId, flowId, flowVersion: version.version });
    const call = await this.#loadCall(callId);
    const arrived = call.events.find((e) => e.type === 'CallArrived');
    if (arrived?.type !== 'CallArrived') return;
    const step = start(version.flow, ivrContextOf(bareId, arrived.data, fact.at));
    await this.#applyStep(call, startStepKey(callId), step, fact.at);
  }

  async #onInput(call: CallView, input: IvrInput, fact: SwitchFact): Promise<void> {
    const run = await this.#run(call);
    if (!run || run.step.session.phase === 'ended') return;
    const flow = this.#flows.get(flowKey(call.tenant, run.flowId, run.flowVersion))!;
    const before = run.step.session;
    // A bare key event (no turn) only matters to an interruptible announcement: a collector reports its own keys
    // as digits_collected, and the DTMF events the switch sends meanwhile must not count as a second input.
    if (input.kind === 'dtmf' && input.turn === undefined && before.phase !== 'playing') return;
    const step = advance(flow, before, input);
    if (step.ignored !== undefined) return;
    const key = inputStepKey(call.callId, before.turn);
    await this.#record(call, key, before.node, input, run.step);
    await cancelTimer(this.#o.store, ivrTimerIdFor(call.callId, before.turn), input.at, 'answered');
    await this.#applyStep(call, key, step, fact.at);
  }

  /**
   * Carries out the step an input recorded in the log made (or the start step of IvrStarted), unless later inputs
   * followed it (then that step was carried out already). Used for the inputs a durable timer recorded (with the
   * command id the manager would have used, so only one of the two lands) and when catching up at start.
   */
  async #resumeFrom(callId: string, commandId: string): Promise<void> {
    const call = await this.#loadCall(callId);
    if (call.state.status !== 'in_ivr') return;
    const idx = call.commandIds.indexOf(commandId);
    const event = call.events[idx];
    if (!event) return;
    const key = event.type === 'IvrStarted' ? startStepKey(callId) : commandId.endsWith('|input') ? commandId.slice(0, -'|input'.length) : undefined;
    if (key === undefined) return;
    if (call.commandIds.slice(idx + 1).some((c) => c === undefined || !c.startsWith(`${key}|`))) return;
    if (event.type === 'IvrStarted') {
      const run = await this.#run({ ...call, events: call.events.slice(0, idx + 1) });
      if (run) await this.#applyStep(call, key, run.step, event.data.at);
      return;
    }
    const run = await this.#run({ ...call, events: call.events.slice(0, idx) });
    const input = inputOfEvent(event);
    if (!run || !input || run.step.session.phase === 'ended') return;
    const flow = this.#flows.get(flowKey(call.tenant, run.flowId, run.flowVersion))!;
    const step = advance(flow, run.step.session, input);
    if (step.ignored === undefined) await this.#applyStep(call, key, step, input.at);
  }

  /**
   * A call the log shows arrived but never started its IVR (the process died in between): if the caller is still on
   * the switch, it is taken on from where it stopped (answer, IVR, with the same command ids); if not, it ends.
   */
  async #resumeArrival(callId: string, arrived: RecordedEvent): Promise<void> {
    const call = await this.#loadCall(callId);
    if (call.state.status !== 'arrived' || call.events.some((e) => e.type === 'IvrStarted')) return;
    const d = toDomainEvent(arrived) as Extract<CallEvent, { type: 'CallArrived' }>;
    const { switchId, channelUuid: legUuid } = d.data;
    const status = await this.#o.switchPort.channelStatus(switchId, legUuid);
    const at = Math.max(d.data.at, this.#clock.now());
    if (status === 'absent' || status === 'hungup') {
      await this.#onCallerHangup(call, { kind: 'leg_hangup', switchId, factId: `resume/${callId}/gone`, at, legUuid, cause: RESUMED_GONE });
      return;
    }
    await this.#onNewLeg({ kind: status === 'ringing' ? 'leg_ringing' : 'leg_answered', switchId, factId: `resume/${callId}`, at, legUuid, direction: 'inbound', did: d.data.did, callerNumber: d.data.callerNumber, ...(d.data.callerName !== null ? { callerName: d.data.callerName } : {}) });
  }

  /** Schedules the durable timer that records a timeout for the wait of `step` if the switch or the look-up never answers. */
  async #scheduleWaitTimer(call: CallView, step: Step, timeoutMs: number, at: number, lookup: string | undefined): Promise<void> {
    const dueAt = at + timeoutMs + (lookup === undefined ? (this.#o.noInputGraceMs ?? 30_000) : 0);
    const base = { commandId: `${inputStepKey(call.callId, step.turn)}|input`, at: dueAt, callId: call.bareId, actor: IVR_TIMER_ACTOR, nodeId: step.node };
    const command =
      lookup === undefined
        ? { ...base, type: 'RecordIvrInput', input: { kind: 'timeout' } }
        : { ...base, type: 'RecordLookupResult', lookup, result: { ok: false, reason: 'timeout', message: null } };
    await scheduleTimer(this.#o.store, { timerId: ivrTimerIdFor(call.callId, step.turn), dueAt, purpose: 'ivr-wait', dispatch: { category: 'call', ...(call.tenant !== undefined ? { tenant: call.tenant } : {}), command } }, at);
  }

  /** Records the input the interpreter accepted, as the event the fold reads back. */
  async #record(call: CallView, key: string, nodeId: string, input: IvrInput, previous: Step): Promise<void> {
    const base = { commandId: `${key}|input`, at: input.at, callId: call.bareId, actor: 'system:ivr' };
    switch (input.kind) {
      case 'prompt_done': {
        const play = previous.instructions.find((i): i is PlayInstruction => i.kind === 'play');
        await this.#call(call.tenant, { ...base, type: 'RecordPromptPlayed', nodeId, promptId: play?.prompt ?? 'text', bargedIn: false });
        return;
      }
      case 'dtmf':
        await this.#call(call.tenant, { ...base, type: 'RecordIvrInput', nodeId, input: { kind: 'dtmf', digits: input.digits } });
        return;
      case 'timeout':
        if (previous.session.phase === 'looking_up') {
          const name = previous.instructions.find((i) => i.kind === 'lookup')?.name ?? 'lookup';
          await this.#call(call.tenant, { ...base, type: 'RecordLookupResult', nodeId, lookup: name, result: { ok: false, reason: 'timeout', message: null } });
        } else {
          await this.#call(call.tenant, { ...base, type: 'RecordIvrInput', nodeId, input: { kind: 'timeout' } });
        }
        return;
      case 'lookup_result':
        await this.#call(call.tenant, {
          ...base,
          type: 'RecordLookupResult',
          nodeId,
          lookup: input.name,
          result: input.ok ? { ok: true, values: input.outputs ?? {} } : { ok: false, reason: 'error', message: null },
        });
        return;
      default:
        throw new LedgerlineError('IVR_UNEXPECTED_INPUT', `the inbound manager does not record ${input.kind} inputs`, { callId: call.callId });
    }
  }

  /** Records the nodes a step entered, then carries out its instructions. */
  async #applyStep(call: CallView, key: string, step: Step, at: number): Promise<void> {
    const callId = call.callId;
    const started = call.events.find((e) => e.type === 'IvrStarted');
    const flow = started?.type === 'IvrStarted' ? this.#flows.get(flowKey(call.tenant, started.data.flowId, started.data.flowVersion)) : undefined;
    for (const [i, nodeId] of step.entered.entries()) {
      const nodeType = flow?.nodes[nodeId]?.kind ?? 'unknown';
      await this.#call(call.tenant, { type: 'EnterIvrNode', commandId: `${key}|enter|${i}`, at, callId: call.bareId, actor: 'system:ivr', nodeId, nodeType });
    }
    const { switchId, legUuid } = call;
    const sw = this.#o.switchPort;
    const ins = step.instructions;
    for (let i = 0; i < ins.length; i++) {
      const x = ins[i]!;
      const commandId = `${key}|sw|${i}`;
      switch (x.kind) {
        case 'play': {
          const next = ins[i + 1];
          if (x.interruptible && next?.kind === 'collect_dtmf') break; // played by the collector (barge-in)
          await sw.play({ switchId, commandId, legUuid, path: this.#promptPath(x), playbackId: mediaIdFor(callId, step.turn, 'play', i) });
          break;
        }
        case 'collect_dtmf': {
          const prev = ins[i - 1];
          const promptPath = prev?.kind === 'play' && prev.interruptible ? this.#promptPath(prev) : 'silence_stream://250';
          await sw.collectDigits({
            switchId,
            commandId,
            legUuid,
            collectId: mediaIdFor(callId, step.turn, 'collect', i),
            promptPath,
            minDigits: x.min,
            maxDigits: x.max,
            timeoutMs: x.timeoutMs,
            ...(x.terminator !== undefined ? { terminators: x.terminator } : {}),
          });
          await this.#scheduleWaitTimer(call, step, x.timeoutMs, at, undefined);
          break;
        }
        case 'lookup':
          await this.#scheduleWaitTimer(call, step, x.timeoutMs, at, x.name);
          this.#runLookup(call, step.turn, x.name, x.inputs, at, x.timeoutMs);
          break;
        case 'listen_speech':
          throw new LedgerlineError('IVR_UNEXPECTED_INPUT', 'speech nodes are not supported by the inbound manager yet', { callId });
        case 'queue':
        case 'transfer':
        case 'voicemail':
        case 'hangup':
          break;
      }
    }
    if (step.outcome) await this.#complete(call, key, step.outcome, at);
  }

  async #complete(call: CallView, key: string, outcome: IvrOutcome, at: number): Promise<void> {
    const { switchId, legUuid } = call;
    await this.#call(call.tenant, { type: 'CompleteIvr', commandId: `${key}|complete`, at, callId: call.bareId, actor: 'system:ivr', outcome: OUTCOME[outcome.kind] });
    switch (outcome.kind) {
      case 'queued':
        // The flow's queue id is the tenant's own: the call stream names the tenant, so routing finds its queue.
        await this.#call(call.tenant, { type: 'QueueCall', commandId: `${key}|queue`, at, callId: call.bareId, actor: 'system:ivr', queueId: outcome.queueId, priority: outcome.priority, requiredSkills: [...outcome.skills] });
        return;
      case 'transferred':
        await this.#o.switchPort.transfer({ switchId, commandId: `${key}|transfer`, legUuid, exten: outcome.to });
        return;
      case 'voicemail':
        await this.#o.switchPort.transfer({ switchId, commandId: `${key}|transfer`, legUuid, exten: `voicemail-${outcome.mailbox}` });
        return;
      case 'self_served':
      case 'hangup':
      case 'abandoned':
        await this.#call(call.tenant, { type: 'EndCall', commandId: `${key}|end`, at, callId: call.bareId, actor: 'system:ivr', cause: 'NORMAL_CLEARING', hungUpBy: 'system' });
        await this.#o.switchPort.kill({ switchId, commandId: `${key}|kill`, legUuid, cause: 'NORMAL_CLEARING' });
        return;
    }
  }

  /** Runs a look-up off the mailbox; its answer (or its timeout) comes back through the mailbox as an input. */
  #runLookup(call: CallView, turn: number, name: string, inputs: Readonly<Record<string, unknown>>, startedAt: number, timeoutMs: number): void {
    let settled = false;
    const deliver = (input: IvrInput): void => {
      if (settled) return;
      settled = true;
      timer.cancel();
      void this.#enqueue(async () => {
        try {
          const fresh = await this.#loadCall(call.callId);
          if (fresh.state.status === 'in_ivr') await this.#onInput(fresh, input, { kind: 'leg_answered', switchId: fresh.switchId, factId: `${call.callId}|lookup|${turn}`, at: input.at, legUuid: fresh.legUuid });
        } catch (e) {
          this.#o.onError?.(e, { callId: call.callId });
        }
      }, call.callId);
    };
    const timer = this.#clock.at(startedAt + timeoutMs, () => deliver({ kind: 'timeout', at: startedAt + timeoutMs, turn }));
    this.#o.lookup
      .lookup(name, inputs as Parameters<CustomerLookup['lookup']>[1], call.tenant === undefined ? {} : { tenant: call.tenant })
      .catch((e: unknown): LookupAnswer => ({ ok: false, reason: 'error', message: e instanceof Error ? e.message : String(e) }))
      .then((a) => deliver({ kind: 'lookup_result', at: Math.max(startedAt, this.#clock.now()), turn, name, ok: a.ok, outputs: a.ok ? { ...a.values } : {} }));
  }

  async #onCallerHangup(call: CallView, fact: Extract<SwitchFact, { kind: 'leg_hangup' }>): Promise<void> {
    const base = { commandId: `${call.callId}|caller-hangup`, at: fact.at, callId: call.bareId, actor: `switch:${fact.switchId}` };
    if (call.state.status === 'in_ivr') await this.#call(call.tenant, { ...base, type: 'AbandonCall', cause: fact.cause });
    else if (call.state.status === 'arrived') await this.#call(call.tenant, { ...base, type: 'EndCall', cause: fact.cause, hungUpBy: 'caller' });
    else if (CALLER_CAN_END.has(call.state.status)) {
      // The routing manager reacts too, but its model may not hold a call queued a moment ago: both send the same
      // command id, so whichever comes second is a duplicate, and no hangup is ever lost.
      // Decided on the state at append time: if routing moved the call on meanwhile (an offer), it is routing's now.
      const command = parseCallCommand({ ...base, commandId: engineCommandId(call.callId, 'caller-hangup'), type: 'EndCall', cause: fact.cause, hungUpBy: 'caller' });
      const whileQueued = { ...callDecider, decide: (c: typeof command, st: CallState) => (CALLER_CAN_END.has(st.status) ? callDecider.decide(c, st) : []) };
      await this.#calls.run(whileQueued, tenantStream('call', call.tenant, command.callId), command, call.tenant === undefined ? {} : { tenant: call.tenant });
    }
  }

  async #run(call: CallView): Promise<IvrRun | undefined> {
    const started = call.events.find((e) => e.type === 'IvrStarted');
    if (started?.type !== 'IvrStarted') return undefined;
    await this.#loadVersion(call.tenant, started.data.flowId, started.data.flowVersion);
    return foldIvrRun(call.bareId, call.events, (f, v) => this.#flows.get(flowKey(call.tenant, f, v))!);
  }

  async #loadCall(callId: string): Promise<CallView> {
    // Reads only the events after the cached revision (other processes write to the call too: timers, routing).
    const stream = `call-${callId}`;
    const { state } = await this.#calls.get(callDecider, stream);
    const history = this.#calls.history(stream) ?? [];
    const events = history.map((h) => h.event as CallEvent);
    const commandIds = history.map((h) => h.commandId);
    const arrived = events.find((e) => e.type === 'CallArrived');
    const leg = arrived?.type === 'CallArrived' ? arrived.data : undefined;
    const { tenant, id } = parseScopedId(callId);
    if (leg) this.#legs.set(legKey(leg.switchId, leg.channelUuid), callId);
    return { callId, tenant, bareId: id, state, events, commandIds, switchId: leg?.switchId ?? '', legUuid: leg?.channelUuid ?? '' };
  }

  /** The flow the tenant routes now, from the tenant's own `ivrflow-<tenant>.<flowId>` stream. */
  async #loadRoutableVersion(tenant: string | undefined, flowId: string) {
    const { state } = await this.#flowStreams.get(ivrFlowDecider, tenantStream('ivrflow', tenant, flowId));
    const v = routableVersion(state, flowId);
    this.#flows.set(flowKey(tenant, flowId, v.version), v.flow);
    return v;
  }

  async #loadVersion(tenant: string | undefined, flowId: string, version: number): Promise<IvrFlow> {
    const cached = this.#flows.get(flowKey(tenant, flowId, version));
    if (cached) return cached;
    const { state } = await this.#flowStreams.get(ivrFlowDecider, tenantStream('ivrflow', tenant, flowId));
    const flow = requirePublishedVersion(state, flowId, version).flow;
    this.#flows.set(flowKey(tenant, flowId, version), flow);
    return flow;
  }

  /** Runs a call command on the tenant's call stream, with metadata.tenant. */
  async #call(tenant: string | undefined, input: CallCommandInput): Promise<void> {
    const command = parseCallCommand(input);
    await this.#calls.run(callDecider, tenantStream('call', tenant, command.callId), command, tenant === undefined ? {} : { tenant });
  }
}

/** A flow version of a tenant (flow ids are per tenant). */
const flowKey = (tenant: string | undefined, flowId: string, version: number): string => `${scopedId(tenant, flowId)}@${version}`;

const legKey = (switchId: string, legUuid: string): string => `${switchId}|${legUuid}`;

/** The call events an IVR step follows from. */
const STEP_EVENTS = ['IvrStarted', 'IvrPromptPlayed', 'IvrInputReceived', 'IvrLookupAnswered', 'IvrLookupFailed'] as const;

const reached = (p: Position, head: Position): boolean => p.commit > head.commit || (p.commit === head.commit && p.prepare >= head.prepare);

const atOrBefore = (p: Position, head: Position): boolean => p.commit < head.commit || (p.commit === head.commit && p.prepare <= head.prepare);
