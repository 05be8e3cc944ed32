// The in-call control process manager: what agents and supervisors decided on a call (recorded on its stream by the
// HTTP API through the call decider) is carried out on the switch — hold, blind and attended transfer, three-way
// conference, recording (consent announcement first, PCI pause), supervisor listen/whisper/barge, click-to-call —
// and what the switch answers about the legs it dialled (roles consult, supervisor, outbound) is recorded back on
// the call stream with the domain's commands.
//
// Durability: it subscribes to `call-` streams from the start of the log and reacts to every event once per run;
// each switch command is claimed first (claimSwitchCommand, keyed by the causing event id and the step), so a
// restart that reacts to the same events again, or a second instance, never sends a command twice. Commands it
// records use ids derived from the causing fact or event, and go to the causing event's own stream.
//
// Ordering: every call has a lane; its events and the facts about its legs run one at a time, in order, each
// reaction given the call's view as it stood at its event (and the latest view, to skip what the call outgrew).
import type { EventStore, Position, RecordedEvent, StreamSubscription } from '../../../adapters/event-store/port.ts';
import { parseCallCommand, type CallCommandInput } from '../../../domain/call/call-commands.ts';
import { callDecider } from '../../../domain/call/call-decider.ts';
import type { CallEvent } from '../../../domain/call/call-events.ts';
import type { Party } from '../../../domain/call/call-schemas.ts';
import { isLedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { parseTenantStream } from '../../../domain/shared/tenant-stream.ts';
import type { Clock, ClockTimer } from '../../clock.ts';
import { handleCommand, toDomainEvent } from '../../command-handling/handle-command.ts';
import type { SwitchEndpoint, SwitchFact, SwitchPort } from '../../ports/switch-port.ts';
import { claimSwitchCommand, isSwitchCommandClaimed, SwitchCommandIssued, switchCommandStream } from '../../switch-commands/switch-command-claims.ts';
import { RECONCILE_ENDED } from '../../switch/reconcile-facts.ts';
import { claimKey, conferenceRoomOf, consentPlaybackId, consultLegUuid, controlCommandId, partyLegUuid } from './call-control-ids.ts';
import { emptyCallView, evolveCallView, isOver, type CallView } from './call-view.ts';

export interface CallControlManagerOptions {
  readonly store: EventStore;
  readonly switchPort: SwitchPort;
  readonly clock: Clock;
  /** This instance's name, recorded on the switch commands it claims. */
  readonly instanceId: string;
  /** How an agent is dialled, from the agent's SCOPED id (default: the directory user of that name, as routing does). */
  readonly agentEndpoint?: (scopedAgentId: string, agent: { readonly tenant: string | undefined; readonly agentId: string }) => SwitchEndpoint;
  /** How a supervisor is dialled (default: the directory user named like the scoped supervisor id). */
  readonly supervisorEndpoint?: (scopedSupervisorId: string) => SwitchEndpoint;
  /** How an external number or a click-to-call customer is dialled (default: the `default` gateway). */
  readonly numberEndpoint?: (number: string) => SwitchEndpoint;
  /** Where a blind transfer to a number sends the caller leg (default: the number itself in context `default`). */
  readonly externalTransfer?: (number: string) => { exten: string; context?: string };
  /** The consent announcement played to the caller before a recording starts (default `ivr/recording-consent.wav`). */
  readonly consentPromptPath?: string;
  /** Where a recording is written (default `recordings/<scoped call id>/<recordingId>.wav`). */
  readonly recordingPath?: (scopedCallId: string, recordingId: string) => string;
  /** What the caller hears while the agent consults (default local_stream://moh). */
  readonly holdMusicPath?: string;
  /** Ring time of the legs this manager dials, seconds (default 30). */
  readonly ringTimeoutSeconds?: number;
  /** Errors of reactions (the manager keeps serving). */
  readonly onError?: (error: unknown, context: string) => void;
}

/** The hangup cause recorded for a leg an earlier run dialled and the switch no longer has. */
const RESUME_GONE_CAUSE = RECONCILE_ENDED;

/** How long past its ring time a leg the switch does not have may still be coming (an originate in flight), seconds. */
const ABSENT_GRACE_SECONDS = 10;

/** Refusals that only mean "already done" or "the call moved on": not errors. */
const EXPECTED_REFUSALS = new Set([
  'AGENT_LEG_ALREADY_ANSWERED',
  'CALL_ALREADY_ENDED',
  'CALL_ALREADY_CONNECTED',
  'CONSULT_NOT_ACTIVE',
  'CONSULT_MISMATCH',
  'CONFERENCE_PARTY_NOT_FOUND',
  'SUPERVISOR_NOT_PRESENT',
  'CALL_NOT_CONNECTED',
]);

/** A playback this manager waits for: the consent announcement of one recording. */
interface PendingConsent {
  readonly streamId: string;
  readonly recordingId: string;
  readonly eventId: string;
}

/** See the module comment. */
export class CallControlManager {
  readonly #o: CallControlManagerOptions;
  readonly #views = new Map<string, CallView>();
  readonly #lanes = new Map<string, Promise<void>>();
  readonly #consents = new Map<string, PendingConsent>();
  /** Completions of consults whose leg had not answered yet, by consult leg: run on its answer. */
  readonly #rechecks = new Set<ClockTimer>();
  readonly #deferred = new Map<string, { readonly streamId: string; readonly run: () => Promise<void> }>();
  #pending = 0;
  #stopped = false;
  #subscription: StreamSubscription | undefined;
  #iterator: AsyncIterator<SwitchFact> | undefined;
  #scanned: Position | undefined;
  /** Reactions and facts handled (tests may wait on it). */
  handled = 0;

  constructor(options: CallControlManagerOptions) {
    this.#o = options;
  }

  /** Subscribes to the call log from the start and consumes the port's facts. */
  start(): void {
    const sub = this.#o.store.subscribeToAll({
      fromPosition: 'start',
      filter: { streamNamePrefixes: ['call-'] },
      onCheckpoint: (p) => {
        this.#scanned = p;
      },
    });
    this.#subscription = sub;
    void (async () => {
      try {
        for await (const r of sub) {
          if (this.#stopped) break;
          this.#scanned = r.position;
          await this.#onRecorded(r);
        }
      } catch (e) {
        if (!this.#stopped) this.#o.onError?.(e, 'call log subscription');
      }
    })();
    void (async () => {
      this.#iterator = this.#o.switchPort.facts()[Symbol.asyncIterator]();
      while (!this.#stopped) {
        const r = await this.#iterator.next();
        if (r.done || this.#stopped) break;
        this.#onFact(r.value);
      }
    })();
  }

  /** Stops the subscription and the facts, then waits for the work in hand. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#rechecks) t.cancel();
    this.#rechecks.clear();
    await this.#subscription?.unsubscribe();
    await this.#iterator?.return?.();
    await this.#drain();
  }

  /** Resolves once the log up to its head (as of the call) is read and every lane is empty. */
  async idle(): Promise<void> {
    for (;;) {
      const head = await this.#o.store.headPosition();
      while (!this.#stopped && head !== undefined && (this.#scanned === undefined || before(this.#scanned, head))) {
        await new Promise((r) => setTimeout(r, 5));
      }
      await this.#drain();
      const after = await this.#o.store.headPosition();
      if (this.#stopped || after === undefined || (head !== undefined && !before(head, after))) return;
    }
  }

  /** The call's view (tests read it). */
  view(streamId: string): CallView | undefined {
    return this.#views.get(streamId);
  }

  async #drain(): Promise<void> {
    while (this.#pending > 0) await Promise.all([...this.#lanes.values()]);
  }

  #enqueue(streamId: string, what: string, work: () => Promise<void>): void {
    this.#pending++;
    const run = (this.#lanes.get(streamId) ?? Promise.resolve())
      .then(work)
      .catch((e: unknown) => this.#o.onError?.(e, `${what} on ${streamId}`))
      .finally(() => {
        this.#pending--;
        this.handled++;
        if (this.#lanes.get(streamId) !== run) return;
        this.#lanes.delete(streamId);
        // A dispositioned call is final: its view is dropped once nothing about it is in hand.
        if (this.#views.get(streamId)?.state.status === 'dispositioned') this.#views.delete(streamId);
      });
    this.#lanes.set(streamId, run);
  }

  // ---- the log ----------------------------------------------------------------------------------------------------

  /** Applies an event new to the view (a gap is read from the store first) and queues its reaction. */
  async #onRecorded(r: RecordedEvent): Promise<void> {
    const v = this.#views.get(r.streamId) ?? emptyCallView(r.streamId);
    if (r.revision <= v.revision) return;
    if (r.revision > v.revision + 1n) {
      await this.#catchUpStream(r.streamId);
      if (r.revision <= (this.#views.get(r.streamId)?.revision ?? -1n)) return;
    }
    this.#apply(r);
  }

  async #catchUpStream(streamId: string): Promise<void> {
    const from = (this.#views.get(streamId)?.revision ?? -1n) + 1n;
    try {
      for await (const r of this.#o.store.readStream(streamId, { fromRevision: from })) this.#apply(r);
    } catch (e) {
      if (!isLedgerlineError(e, 'STREAM_NOT_FOUND')) throw e;
    }
  }

  #apply(r: RecordedEvent): void {
    const before = this.#views.get(r.streamId) ?? emptyCallView(r.streamId);
    if (r.revision !== before.revision + 1n) return;
    let e: CallEvent;
    try {
      e = toDomainEvent(r) as CallEvent;
    } catch (error) {
      this.#o.onError?.(error, `unreadable event ${r.type} in ${r.streamId}`);
      this.#views.set(r.streamId, { ...before, revision: r.revision });
      return;
    }
    const after = evolveCallView(before, e, r.id, r.revision);
    this.#views.set(r.streamId, after);
    this.#enqueue(r.streamId, e.type, () => this.#react({ e, id: r.id }, before, after));
  }

  // ---- reactions to what was decided ------------------------------------------------------------------------------

  async #react(ev: Cause, before: CallView, at: CallView): Promise<void> {
    const { e } = ev;
    const now = this.#current(at.streamId);
    const sw = at.switchId;
    if (!sw) return;
    switch (e.type) {
      case 'CallHeld':
        if (isOver(now) || !at.agentLegUuid) return;
        await this.#send(ev, 'hold', sw, (commandId) => this.#o.switchPort.hold({ switchId: sw, commandId, legUuid: at.agentLegUuid! }));
        return;
      case 'CallResumed':
        if (isOver(now) || !before.agentLegUuid) return;
        await this.#send(ev, 'unhold', sw, (commandId) => this.#o.switchPort.unhold({ switchId: sw, commandId, legUuid: before.agentLegUuid! }));
        return;
      case 'CallTransferred':
        return this.#onTransferred(ev, e, before, sw);
      case 'ConsultStarted': {
        if (isOver(now) || (now.state.consult?.consultId !== e.data.consultId && !this.#completed(now, e.data.consultId))) return;
        const legUuid = consultLegUuid(at.scopedId, e.data.consultId);
        const sent = await this.#send(ev, 'originate-consult', sw, (commandId) =>
          this.#o.switchPort.originate({
            switchId: sw,
            commandId,
            legUuid,
            endpoint: this.#endpointOf(e.data.target, at),
            callId: at.scopedId,
            role: 'consult',
            ringTimeoutSeconds: this.#ring(),
            variables: { ledgerline_consult_id: e.data.consultId },
          }),
        );
        // Dialled by an earlier run: its answer (or failure) may have come while no manager listened.
        const c = this.#current(at.streamId).state.consult;
        if (!sent && c?.consultId === e.data.consultId && c.answeredAt === null) await this.#resumeLeg(at.streamId, legUuid, 'consult', claimKey(ev.id, 'originate-consult'));
        return;
      }
      case 'ConsultCompleted':
        return this.#onConsultCompleted(ev, e, before, at, sw);
      case 'ConsultCancelled':
        return this.#onConsultCancelled(ev, e, before, sw);
      case 'ConferencePartyAdded': {
        if (isOver(now) || !now.partyLegs[e.data.partyId] || !at.agentLegUuid) return;
        await this.#intoConference(ev, at, sw);
        await this.#send(ev, 'originate-party', sw, (commandId) =>
          this.#o.switchPort.originateIntoConference({
            switchId: sw,
            commandId,
            legUuid: partyLegUuid(at.scopedId, e.data.partyId),
            endpoint: this.#endpointOf(e.data.party, at),
            callId: at.scopedId,
            role: 'consult',
            partyId: e.data.partyId,
            room: conferenceRoomOf(at.scopedId),
            ringTimeoutSeconds: this.#ring(),
          }),
        );
        return;
      }
      case 'ConferencePartyRemoved': {
        const leg = before.partyLegs[e.data.partyId];
        if (leg && e.data.reason !== 'hung_up') await this.#kill(ev, 'kill-party', sw, leg, 'NORMAL_CLEARING');
        return;
      }
      case 'SupervisorJoined': {
        const leg = at.supervisorLegs[e.data.supervisorId];
        if (isOver(now) || !leg || now.supervisorLegs[e.data.supervisorId] !== leg || !at.agentLegUuid) return;
        await this.#send(ev, 'originate-supervisor', sw, (commandId) =>
          this.#o.switchPort.originateSupervisor({
            switchId: sw,
            commandId,
            legUuid: leg,
            endpoint: (this.#o.supervisorEndpoint ?? ((s: string) => ({ kind: 'user', user: s })))(scopedOf(at, e.data.supervisorId)),
            callId: at.scopedId,
            supervisorId: e.data.supervisorId,
            targetLegUuid: at.agentLegUuid!,
            mode: e.data.mode,
            ringTimeoutSeconds: this.#ring(),
          }),
        );
        return;
      }
      case 'SupervisorLeft': {
        const leg = before.supervisorLegs[e.data.supervisorId];
        if (leg) await this.#kill(ev, 'kill-supervisor', sw, leg, 'NORMAL_CLEARING');
        return;
      }
      case 'RecordingStarted':
        return this.#onRecordingStarted(ev, e.data.recordingId, at, sw);
      case 'RecordingPaused':
      case 'RecordingResumed': {
        if (isOver(now) || !at.callerLegUuid || !(await this.#recordingRunning(at))) return;
        const masked = e.type === 'RecordingPaused';
        await this.#send(ev, masked ? 'mask' : 'unmask', sw, (commandId) =>
          this.#o.switchPort.maskRecording({ switchId: sw, commandId, legUuid: at.callerLegUuid!, path: this.#recordingPath(at, e.data.recordingId), masked }),
        );
        return;
      }
      case 'RecordingStopped': {
        // The caller left (call ended, callback): the switch closed the file with the leg.
        if (e.data.reason !== 'requested' || !at.callerLegUuid || !(await this.#recordingRunning(at))) return;
        await this.#send(ev, 'record-stop', sw, (commandId) =>
          this.#o.switchPort.stopRecording({ switchId: sw, commandId, legUuid: at.callerLegUuid!, path: this.#recordingPath(at, e.data.recordingId) }),
        );
        return;
      }
      case 'CallOriginated': {
        const agentLeg = at.outboundAgentLegUuid;
        if (!agentLeg || e.data.agentId === null || isOver(now) || now.state.status !== 'arrived') return;
        const sent = await this.#send(ev, 'originate-agent', sw, (commandId) =>
          this.#o.switchPort.originate({
            switchId: sw,
            commandId,
            legUuid: agentLeg,
            endpoint: this.#agentEndpoint(e.data.agentId!, at),
            callId: at.scopedId,
            role: 'outbound',
            ringTimeoutSeconds: this.#ring(),
            callerIdNumber: e.data.destinationNumber,
            variables: { ledgerline_party: 'agent' },
          }),
        );
        if (!sent) {
          // Dialled by an earlier run: the phones' answers may have come while no manager listened.
          await this.#resumeLeg(at.streamId, agentLeg, 'outbound', claimKey(ev.id, 'originate-agent'));
          const customerLeg = at.callerLegUuid;
          const customerKey = customerLeg ? claimKey(customerLeg, 'originate-customer') : undefined;
          if (customerLeg && customerKey && (await isSwitchCommandClaimed(this.#o.store, customerKey))) await this.#resumeLeg(at.streamId, customerLeg, 'outbound', customerKey);
        }
        return;
      }
      case 'CallEnded': {
        // Legs only this manager knows: the click-to-call agent phone, a consult leg that took the call over.
        for (const [leg, d] of this.#deferred) if (d.streamId === at.streamId) this.#deferred.delete(leg);
        for (const [id, c] of this.#consents) if (c.streamId === at.streamId) this.#consents.delete(id);
        const agentLeg = before.ownsAgentLeg ? before.agentLegUuid : before.outboundAgentLegUuid;
        // Also when the agent ended it from the desktop (the phone may still be up); a leg already gone is no error.
        if (agentLeg) {
          await this.#kill(ev, 'kill-agent', sw, agentLeg, 'NORMAL_CLEARING');
        }
        return;
      }
      default:
        return;
    }
  }

  async #onTransferred(ev: Cause, e: Extract<CallEvent, { type: 'CallTransferred' }>, before: CallView, sw: string): Promise<void> {
    const caller = before.callerLegUuid;
    if (!caller) return;
    const t = e.data.target;
    if (t.kind === 'external') {
      const to = (this.#o.externalTransfer ?? ((n: string) => ({ exten: n })))(t.number);
      await this.#send(ev, 'transfer-caller', sw, (commandId) => this.#o.switchPort.transfer({ switchId: sw, commandId, legUuid: caller, ...to }));
      return;
    }
    // Back to a queue or to another agent: the caller waits parked (routing bridges the next agent); the agent leaves.
    await this.#send(ev, 'park-caller', sw, (commandId) => this.#o.switchPort.park({ switchId: sw, commandId, legUuid: caller }));
    if (before.agentLegUuid) await this.#kill(ev, 'kill-agent', sw, before.agentLegUuid, 'BLIND_TRANSFER');
  }

  async #onConsultCompleted(ev: Cause, e: Extract<CallEvent, { type: 'ConsultCompleted' }>, before: CallView, at: CallView, sw: string): Promise<void> {
    const caller = before.callerLegUuid;
    const agentLeg = before.agentLegUuid;
    if (!caller || !agentLeg) return;
    const consultLeg = consultLegUuid(at.scopedId, e.data.consultId);
    // Completed before the consulted party answered (the decider allows it): what needs their leg waits for its answer.
    const answered = (before.state.consult?.answeredAt ?? null) !== null || (await this.#legAnswered(sw, consultLeg));
    if (e.data.mode === 'conference') {
      const room = conferenceRoomOf(at.scopedId);
      if (!answered) {
        // The agent is still bridged to the caller: both move; the consulted party joins on answering.
        await this.#intoConference(ev, before, sw);
        this.#defer(at.streamId, consultLeg, () =>
          this.#send(ev, 'conference-consult', sw, (commandId) => this.#o.switchPort.moveToConference({ switchId: sw, commandId, legUuid: consultLeg, room, both: false })).then(() => undefined),
        );
        return;
      }
      // The agent and the consulted party are bridged: both move; then the parked caller joins them.
      await this.#intoConference(ev, before, sw);
      await this.#send(ev, 'conference-caller', sw, (commandId) => this.#o.switchPort.moveToConference({ switchId: sw, commandId, legUuid: caller, room, both: false }));
      return;
    }
    const handOver = async (): Promise<void> => {
      await this.#send(ev, 'bridge-caller-consult', sw, (commandId) => this.#o.switchPort.bridge({ switchId: sw, commandId, aLegUuid: caller, bLegUuid: consultLeg }));
      await this.#kill(ev, 'kill-agent', sw, agentLeg, 'ATTENDED_TRANSFER');
    };
    if (answered) await handOver();
    else this.#defer(at.streamId, consultLeg, handOver);
  }

  #defer(streamId: string, consultLeg: string, run: () => Promise<void>): void {
    this.#deferred.set(consultLeg, { streamId, run });
  }

  /** Whether a leg is up and answered, as the switch says (for a consult whose answer the log does not show). */
  async #legAnswered(switchId: string, legUuid: string): Promise<boolean> {
    const status = await this.#o.switchPort.channelStatus(switchId, legUuid);
    return status === 'answered' || status === 'bridged';
  }

  async #onConsultCancelled(ev: Cause, e: Extract<CallEvent, { type: 'ConsultCancelled' }>, before: CallView, sw: string): Promise<void> {
    const consultLeg = consultLegUuid(before.scopedId, e.data.consultId);
    const r = e.data.reason;
    if ((r === 'requested' || r === 'target_unavailable') && before.callerLegUuid && before.agentLegUuid) {
      // Only a consult that took the agent away (bridged to the consult leg) needs the caller bridged back.
      if (await isSwitchCommandClaimed(this.#o.store, claimKey(consultLeg, 'bridge-consult'))) {
        const caller = before.callerLegUuid;
        const agentLeg = before.agentLegUuid;
        await this.#send(ev, 'bridge-caller-agent', sw, (commandId) => this.#o.switchPort.bridge({ switchId: sw, commandId, aLegUuid: caller, bLegUuid: agentLeg }));
      }
    }
    await this.#kill(ev, 'kill-consult', sw, consultLeg, 'NORMAL_CLEARING');
  }

  /** Moves the agent and whoever is bridged to it into the call's room, once per agent leg (later parties join it). */
  async #intoConference(ev: Cause, v: CallView, sw: string): Promise<void> {
    const agentLeg = v.agentLegUuid!;
    const key = claimKey(agentLeg, 'conference');
    if (!(await claimSwitchCommand(this.#o.store, { key, command: 'moveToConference', switchId: sw, at: this.#o.clock.now(), issuer: this.#o.instanceId }))) return;
    await this.#o.switchPort.moveToConference({ switchId: sw, commandId: controlCommandId(ev.id, 'conference'), legUuid: agentLeg, room: conferenceRoomOf(v.scopedId), both: true });
  }

  async #onRecordingStarted(ev: Cause, recordingId: string, at: CallView, sw: string): Promise<void> {
    const now = this.#current(at.streamId);
    if (isOver(now) || now.state.recording?.recordingId !== recordingId || !at.callerLegUuid) return;
    const caller = at.callerLegUuid;
    this.#consents.set(consentPlaybackId(ev.id, 1), { streamId: at.streamId, recordingId, eventId: ev.id });
    const started = await isSwitchCommandClaimed(this.#o.store, claimKey(ev.id, 'record-start'));
    if (started) return;
    // Consent first: the recording starts when the announcement's playback_done arrives. A restart that finds the
    // announcement sent but no recording started cannot know whether it was heard: it plays it once more.
    let attempt = 1;
    if (await isSwitchCommandClaimed(this.#o.store, claimKey(ev.id, 'consent'))) attempt = 2;
    const playbackId = consentPlaybackId(ev.id, attempt);
    this.#consents.set(playbackId, { streamId: at.streamId, recordingId, eventId: ev.id });
    await this.#send(ev, attempt === 1 ? 'consent' : 'consent-again', sw, (commandId) =>
      this.#o.switchPort.play({ switchId: sw, commandId, legUuid: caller, path: this.#o.consentPromptPath ?? 'ivr/recording-consent.wav', playbackId }),
    );
  }

  /** The consent announcement finished: start the recording (masked at once if it was paused meanwhile). */
  async #onConsentPlayed(c: PendingConsent): Promise<void> {
    const v = this.#current(c.streamId);
    if (isOver(v) || v.state.recording?.recordingId !== c.recordingId || !v.switchId || !v.callerLegUuid) return;
    const sw = v.switchId;
    const caller = v.callerLegUuid;
    const path = this.#recordingPath(v, c.recordingId);
    const cause = { id: c.eventId };
    const sent = await this.#send(cause, 'record-start', sw, (commandId) => this.#o.switchPort.startRecording({ switchId: sw, commandId, legUuid: caller, path }));
    if (sent && v.state.recording.paused) {
      await this.#send(cause, 'record-start-masked', sw, (commandId) => this.#o.switchPort.maskRecording({ switchId: sw, commandId, legUuid: caller, path, masked: true }));
    }
  }

  /** True when the call's recording was started on the switch (its start claimed) by some run. */
  async #recordingRunning(v: CallView): Promise<boolean> {
    return v.recordingEventId !== null && isSwitchCommandClaimed(this.#o.store, claimKey(v.recordingEventId, 'record-start'));
  }

  // ---- switch facts about our legs --------------------------------------------------------------------------------

  #onFact(f: SwitchFact): void {
    if (f.kind === 'playback_done') {
      const c = this.#consents.get(f.playbackId);
      this.#consents.delete(f.playbackId);
      if (c) this.#enqueue(c.streamId, 'consent played', () => this.#onConsentPlayed(c));
      return;
    }
    if (f.role !== 'consult' && f.role !== 'supervisor' && f.role !== 'outbound') return;
    if (!f.callId || (f.kind !== 'leg_answered' && f.kind !== 'leg_hangup')) return;
    const streamId = `call-${f.callId}`;
    this.#enqueue(streamId, `${f.kind} ${f.role}`, async () => {
      if (!this.#views.has(streamId)) await this.#catchUpStream(streamId);
      const v = this.#views.get(streamId);
      if (!v?.switchId || isOver(v)) return;
      if (f.role === 'consult') await this.#onConsultLegFact(f, v, v.switchId);
      else if (f.role === 'supervisor') await this.#onSupervisorLegFact(f, v);
      else await this.#onOutboundLegFact(f, v, v.switchId);
    });
  }

  async #onConsultLegFact(f: SwitchFact, v: CallView, sw: string): Promise<void> {
    const deferred = this.#deferred.get(f.legUuid);
    if (deferred && f.kind === 'leg_answered') {
      this.#deferred.delete(f.legUuid);
      await deferred.run();
      return;
    }
    const consult = v.state.consult;
    const consultLeg = consult ? consultLegUuid(v.scopedId, consult.consultId) : undefined;
    if (consult && consultLeg === f.legUuid) {
      if (f.kind === 'leg_answered') {
        if (!v.callerLegUuid || !v.agentLegUuid) return;
        const caller = v.callerLegUuid;
        const agentLeg = v.agentLegUuid;
        if (await claimSwitchCommand(this.#o.store, { key: claimKey(consultLeg, 'bridge-consult'), command: 'bridgeConsult', switchId: sw, at: f.at, issuer: this.#o.instanceId })) {
          await this.#o.switchPort.bridgeConsult({
            switchId: sw,
            commandId: controlCommandId(consultLeg, 'bridge-consult'),
            callerLegUuid: caller,
            agentLegUuid: agentLeg,
            consultLegUuid: consultLeg,
            ...(this.#o.holdMusicPath !== undefined ? { holdMusicPath: this.#o.holdMusicPath } : {}),
          });
        }
        if (consult.answeredAt === null) await this.#callCommand(v, consultLeg, 'consult-answered', { type: 'RecordConsultAnswered', at: f.at, consultId: consult.consultId });
      } else if (f.kind === 'leg_hangup') {
        const answered = consult.answeredAt !== null || (await isSwitchCommandClaimed(this.#o.store, claimKey(consultLeg, 'bridge-consult')));
        await this.#callCommand(v, f.factId, 'consult-ended', { type: 'CancelConsult', at: f.at, consultId: consult.consultId, reason: answered ? 'requested' : 'target_unavailable' });
      }
      return;
    }
    if (f.kind !== 'leg_hangup') return;
    // A consult leg that took the call over is the handling agent's leg now.
    if (v.agentLegUuid === f.legUuid && v.state.status === 'connected') {
      await this.#callCommand(v, f.factId, 'agent-hangup', { type: 'EndCall', at: f.at, cause: f.cause, hungUpBy: 'agent' });
      return;
    }
    const partyId = Object.keys(v.partyLegs).find((p) => v.partyLegs[p] === f.legUuid);
    if (partyId !== undefined) await this.#callCommand(v, f.factId, 'party-hangup', { type: 'RemoveConferenceParty', at: f.at, partyId, reason: 'hung_up' });
  }

  async #onSupervisorLegFact(f: SwitchFact, v: CallView): Promise<void> {
    if (f.kind !== 'leg_hangup') return;
    const supervisorId = Object.keys(v.supervisorLegs).find((s) => v.supervisorLegs[s] === f.legUuid);
    if (supervisorId !== undefined) await this.#callCommand(v, f.factId, 'supervisor-hangup', { type: 'LeaveSupervisor', at: f.at, supervisorId });
  }

  /** Click-to-call: the agent's phone answers → dial the customer; the customer answers → bridge and connect. */
  async #onOutboundLegFact(f: SwitchFact, v: CallView, sw: string): Promise<void> {
    const agentLeg = v.outboundAgentLegUuid;
    const customerLeg = v.callerLegUuid;
    if (!agentLeg || !customerLeg || v.state.direction !== 'outbound') return;
    const dialling = v.state.status === 'arrived';
    if (f.legUuid === agentLeg && f.kind === 'leg_answered' && dialling) {
      const originated = v.state;
      if (!(await claimSwitchCommand(this.#o.store, { key: claimKey(customerLeg, 'originate-customer'), command: 'originate', switchId: sw, at: f.at, issuer: this.#o.instanceId }))) return;
      await this.#o.switchPort.originate({
        switchId: sw,
        commandId: controlCommandId(customerLeg, 'originate-customer'),
        legUuid: customerLeg,
        endpoint: (this.#o.numberEndpoint ?? defaultNumberEndpoint)(originated.customerNumber!),
        callId: v.scopedId,
        role: 'outbound',
        ringTimeoutSeconds: this.#ring(),
        ...(v.outboundCallerIdNumber !== null ? { callerIdNumber: v.outboundCallerIdNumber } : {}),
        variables: { ledgerline_party: 'customer' },
      });
    } else if (f.legUuid === customerLeg && f.kind === 'leg_answered' && dialling) {
      if (await claimSwitchCommand(this.#o.store, { key: claimKey(customerLeg, 'bridge'), command: 'bridge', switchId: sw, at: f.at, issuer: this.#o.instanceId })) {
        await this.#o.switchPort.bridge({ switchId: sw, commandId: controlCommandId(customerLeg, 'bridge'), aLegUuid: customerLeg, bLegUuid: agentLeg });
      }
      await this.#callCommand(v, customerLeg, 'connect', { type: 'ConnectCall', at: f.at, offerId: null });
    } else if (f.kind === 'leg_hangup' && f.legUuid === agentLeg && (dialling || v.agentLegUuid === agentLeg)) {
      // The customer leg (the call's caller leg) is ended by routing's reaction to a CallEnded not by the caller.
      await this.#callCommand(v, customerLeg, 'agent-hangup', { type: 'EndCall', at: f.at, cause: f.cause, hungUpBy: 'agent' });
    } else if (f.kind === 'leg_hangup' && f.legUuid === customerLeg && dialling) {
      // Before the connect the customer never answered; after it, the caller leg's hangup is routing's to record.
      // The agent's phone is ended by the reaction to CallEnded.
      await this.#callCommand(v, customerLeg, 'customer-failed', { type: 'EndCall', at: f.at, cause: f.cause, hungUpBy: 'remote' });
    }
  }

  /**
   * Asks the switch where a leg dialled by an earlier run (or by another instance) is, and handles that as the fact
   * that was missed. A leg the switch does not have may still be on its way (another instance's originate in flight):
   * it counts as gone only once its claim is older than the ring time and a grace; until then it is checked again.
   */
  async #resumeLeg(streamId: string, legUuid: string, role: 'consult' | 'outbound', originateKey: string): Promise<void> {
    const v = this.#current(streamId);
    if (!v.switchId || isOver(v) || this.#stopped) return;
    const status = await this.#o.switchPort.channelStatus(v.switchId, legUuid);
    if (status === 'ringing') return; // its answer or hangup is still to come
    if (status === 'absent') {
      const due = ((await claimedAt(this.#o.store, originateKey)) ?? 0) + (this.#ring() + ABSENT_GRACE_SECONDS) * 1000;
      if (this.#o.clock.now() < due) {
        const timer = this.#o.clock.at(due, () => {
          this.#rechecks.delete(timer);
          this.#enqueue(streamId, 'recheck leg', () => this.#resumeLeg(streamId, legUuid, role, originateKey));
        });
        this.#rechecks.add(timer);
        return;
      }
    }
    const base = { switchId: v.switchId, factId: `resume/${legUuid}/${status}`, at: this.#o.clock.now(), legUuid, callId: v.scopedId, role };
    const f: SwitchFact = status === 'answered' || status === 'bridged' ? { ...base, kind: 'leg_answered' } : { ...base, kind: 'leg_hangup', cause: RESUME_GONE_CAUSE };
    if (role === 'consult') await this.#onConsultLegFact(f, v, v.switchId);
    else await this.#onOutboundLegFact(f, v, v.switchId);
  }

  // ---- helpers ----------------------------------------------------------------------------------------------------

  /** Claims step `step` of the reaction to `cause`, then sends it; false when it was claimed before. */
  async #send(cause: { readonly id: string }, step: string, switchId: string, send: (commandId: string) => Promise<void>): Promise<boolean> {
    const key = claimKey(cause.id, step);
    if (!(await claimSwitchCommand(this.#o.store, { key, command: step, switchId, at: this.#o.clock.now(), issuer: this.#o.instanceId }))) return false;
    await send(controlCommandId(cause.id, step));
    return true;
  }

  /** A claimed kill; a leg already gone is no error. */
  async #kill(cause: { readonly id: string }, step: string, switchId: string, legUuid: string, hangupCause: string): Promise<void> {
    await this.#send(cause, step, switchId, (commandId) => this.#killLeg(switchId, legUuid, commandId, hangupCause));
  }

  async #killLeg(switchId: string, legUuid: string, commandId: string, cause: string): Promise<void> {
    try {
      await this.#o.switchPort.kill({ switchId, commandId, legUuid, cause });
    } catch (e) {
      if (!isLedgerlineError(e, 'ESL_NO_SUCH_CHANNEL')) throw e;
    }
  }

  /** Runs a call command on the call's own stream (its tenant carried on), id derived from the cause and step. */
  async #callCommand(v: CallView, causeId: string, step: string, input: DistributiveOmit<CallCommandInput, 'commandId' | 'callId'>): Promise<void> {
    const callId = v.state.callId ?? v.scopedId;
    const command = parseCallCommand({ ...input, commandId: controlCommandId(causeId, step), callId, actor: `system:call-control:${this.#o.instanceId}` });
    const tenant = parseTenantStream(v.streamId).tenant;
    try {
      await handleCommand(this.#o.store, callDecider, v.streamId, command, { ...(tenant !== undefined ? { tenant } : {}), causationId: causeId });
    } catch (e) {
      if (isLedgerlineError(e) && EXPECTED_REFUSALS.has(e.code)) return;
      throw e;
    }
  }

  #current(streamId: string): CallView {
    return this.#views.get(streamId) ?? emptyCallView(streamId);
  }

  #completed(v: CallView, consultId: string): boolean {
    return v.agentLegUuid === consultLegUuid(v.scopedId, consultId) || v.partyLegs[consultId] !== undefined;
  }

  #endpointOf(p: Party, v: CallView): SwitchEndpoint {
    return p.kind === 'agent' ? this.#agentEndpoint(p.agentId, v) : (this.#o.numberEndpoint ?? defaultNumberEndpoint)(p.number);
  }

  #agentEndpoint(agentId: string, v: CallView): SwitchEndpoint {
    return (this.#o.agentEndpoint ?? ((s: string) => ({ kind: 'user', user: s })))(scopedOf(v, agentId), { tenant: parseTenantStream(v.streamId).tenant, agentId });
  }

  #recordingPath(v: CallView, recordingId: string): string {
    return (this.#o.recordingPath ?? ((c: string, r: string) => `recordings/${c}/${r}.wav`))(v.scopedId, recordingId);
  }

  #ring(): number {
    return this.#o.ringTimeoutSeconds ?? 30;
  }
}

/** The event a reaction answers: its id (claims and command ids derive from it). */
interface Cause {
  readonly id: string;
  readonly e: CallEvent;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function defaultNumberEndpoint(number: string): SwitchEndpoint {
  return { kind: 'gateway', gateway: 'default', number };
}

/** A person's scoped id in the call's tenant (`acme.a1`; `a1` in the default tenant). */
function scopedOf(v: CallView, id: string): string {
  const tenant = parseTenantStream(v.streamId).tenant;
  return tenant === undefined ? id : `${tenant}.${id}`;
}

/** When `key` was claimed (the claimer's clock), or undefined when it was not. */
async function claimedAt(store: EventStore, key: string): Promise<number | undefined> {
  try {
    for await (const e of store.readStream(switchCommandStream(key), { maxCount: 1 })) {
      const at = (e.data as { at?: unknown }).at;
      return e.type === SwitchCommandIssued.type && typeof at === 'number' ? at : undefined;
    }
  } catch (e) {
    if (!isLedgerlineError(e, 'STREAM_NOT_FOUND')) throw e;
  }
  return undefined;
}

/** a < b in the log's order. */
function before(a: Position, b: Position): boolean {
  return a.commit < b.commit || (a.commit === b.commit && a.prepare < b.prepare);
}
