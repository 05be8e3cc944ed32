// The engine's SwitchPort over FreeSWITCH: one SwitchConnection per configured switch (the adapter's SwitchManager),
// commands through the gateway's call-control functions with Job-UUIDs derived from the port command's commandId,
// and the adapter's facts narrowed to the port's, buffered with a bound.
import { LedgerlineError, isLedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { uuidV5 } from '../../domain/ids/deterministic-id.ts';
import type { ReconcileReport } from '../../adapters/freeswitch/connection/reconcile.ts';
import { parseShowChannels } from '../../adapters/freeswitch/connection/reconcile.ts';
import type { SwitchConnection } from '../../adapters/freeswitch/connection/switch-connection.ts';
import { type SwitchAddress, SwitchManager, type SwitchManagerOptions } from '../../adapters/freeswitch/connection/switch-manager.ts';
import * as gw from '../../adapters/freeswitch/gateway/call-control.ts';
import { type EslLogger, silentLogger } from '../../adapters/freeswitch/esl/esl-logger.ts';
import type { SwitchFact as AdapterFact } from '../../adapters/freeswitch/translator/switch-facts.ts';
import type {
  ChannelStatus,
  OriginateIntoConferenceRequest,
  OriginateLegRequest,
  OriginateSupervisorRequest,
  SwitchCommandBase,
  SwitchFact,
  SwitchPort,
} from '../ports/switch-port.ts';
import { BoundedMap } from './bounded-map.ts';
import { FactBuffer } from './fact-buffer.ts';
import { adoptedCallerFacts, reconcileFacts } from './reconcile-facts.ts';
import { type MediaIds, toPortFact } from './to-port-fact.ts';

export interface EslSwitchPortOptions {
  readonly switches: readonly SwitchAddress[];
  readonly password: string;
  /** Channel uuids the engine believes live on a switch (every leg of its open calls), for the reconcile. */
  readonly openChannels: (switchId: string) => Iterable<string> | Promise<Iterable<string>>;
  /** Facts waiting for the engine before backpressure starts (default 10 000). */
  readonly bufferCapacity?: number;
  /** What to do with live channels the engine did not know (default: logged only; the port has no fact for them). */
  readonly onAdopted?: (report: ReconcileReport) => void;
  /**
   * Every adapter fact as the translator made it, before narrowing (for the translator's stage 2 —
   * `factToCallCommands` for caller legs — on the same connections). Called synchronously; what it throws is logged.
   */
  readonly onAdapterFact?: (fact: AdapterFact) => void;
  readonly commandTimeoutMs?: number;
  readonly logger?: EslLogger;
  /** Anything else for the connections (backoff, heartbeat, random, …). */
  readonly connection?: Omit<SwitchManagerOptions, 'switches' | 'password' | 'openCalls' | 'onFact' | 'onReconcile' | 'logger' | 'commandTimeoutMs'>;
}

/** What a failed originate's synthetic hangup fact names. */
type OriginateFailure = Pick<OriginateLegRequest, 'switchId' | 'commandId' | 'legUuid' | 'callId' | 'role' | 'offerId'>;

/** The Event-UUID given to a sendmsg app, from the engine's id (so a retried play reuses it). */
const mediaEventUuid = (kind: string, id: string): string => uuidV5(`esl-media|${kind}|${id}`);

/** SwitchPort over the FreeSWITCH ESL adapter. */
export class EslSwitchPort implements SwitchPort {
  readonly manager: SwitchManager;
  readonly #buffer: FactBuffer;
  readonly #logger: EslLogger;
  readonly #options: EslSwitchPortOptions;
  /** Originates in flight: legUuid → whether its hangup fact was seen. */
  readonly #originating = new Map<string, { hangupSeen: boolean }>();
  /** Legs whose hangup we saw recently (channelStatus tells `hungup` rather than `absent`). */
  readonly #hungUp = new BoundedMap<string, true>(50_000);
  readonly #playbacks = new BoundedMap<string, string>(50_000);
  readonly #collects = new BoundedMap<string, string>(50_000);
  /** Fact ids recently handed over: an ESL event delivered twice is passed on once. */
  readonly #recentFactIds = new BoundedMap<string, true>(20_000);
  readonly #media: MediaIds = {
    playbackIdOf: (e) => this.#playbacks.get(e),
    collectIdOf: (e) => this.#collects.get(e),
  };
  #iterating = false;

  constructor(options: EslSwitchPortOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#buffer = new FactBuffer({
      capacity: options.bufferCapacity ?? 10_000,
      onOverflow: (switchId) => this.#logger.warn({ switchId }, 'switch port: fact buffer full; dropping facts until the engine catches up'),
      // Hangups lost while dropping come back through a reconcile (legs the engine believes live that are gone).
      onRecovered: (switchId) => {
        this.#logger.info({ switchId }, 'switch port: fact buffer drained; reconciling');
        this.manager
          .connection(switchId)
          .reconcile()
          .catch((err: unknown) => this.#logger.warn({ switchId, err: String(err) }, 'switch port: reconcile after overflow failed (the next connect reconciles)'));
      },
    });
    this.manager = new SwitchManager({
      ...options.connection,
      switches: options.switches,
      password: options.password,
      commandTimeoutMs: options.commandTimeoutMs,
      logger: this.#logger,
      openCalls: { openChannels: (switchId) => options.openChannels(switchId) },
      onFact: (f) => this.#onAdapterFact(f),
      onReconcile: (r) => this.#onReconcile(r),
    });
  }

  /** Connects to every switch; resolves when all are ready or `timeoutMs` passed (the others keep retrying). */
  start(timeoutMs = 10_000): Promise<{ ready: string[]; notReady: string[] }> {
    return this.manager.start(timeoutMs);
  }

  /** Disconnects; the facts stream ends once drained. */
  close(): void {
    this.manager.stop();
    this.#buffer.close();
  }

  /** Originates sent whose job has not settled yet. */
  get originatesInFlight(): number {
    return this.#originating.size;
  }

  /** Facts dropped by backpressure since start. */
  get droppedFacts(): number {
    return this.#buffer.dropped;
  }

  facts(): AsyncIterable<SwitchFact> {
    return {
      [Symbol.asyncIterator]: () => {
        if (this.#iterating) throw new Error('EslSwitchPort.facts() has one consumer at a time');
        this.#iterating = true;
        return {
          next: () => this.#buffer.next(),
          return: () => {
            this.#iterating = false;
            return Promise.resolve({ value: undefined, done: true });
          },
        };
      },
    };
  }

  // ---- facts ------------------------------------------------------------------------------------------------------

  #onAdapterFact(f: AdapterFact): void {
    try {
      this.#options.onAdapterFact?.(f);
    } catch (err) {
      this.#logger.error({ switchId: f.switchId, kind: f.kind, err: String(err) }, 'switch port: onAdapterFact threw');
    }
    const fact = toPortFact(f, this.#media);
    if (!fact) return;
    if (this.#recentFactIds.has(fact.factId)) return;
    // Only what was handed over counts as seen: a dropped hangup is made up for by the originate's outcome or the
    // reconcile after the overflow.
    if (!this.#buffer.push(fact)) return;
    this.#recentFactIds.set(fact.factId, true);
    if (fact.kind === 'leg_hangup') this.#sawHangup(fact.legUuid);
    if (fact.kind === 'playback_done') this.#playbacks.delete(uuidOfApp(f));
    if (fact.kind === 'digits_collected') this.#collects.delete(uuidOfApp(f));
  }

  #sawHangup(legUuid: string): void {
    this.#hungUp.set(legUuid, true);
    const o = this.#originating.get(legUuid);
    if (o) o.hangupSeen = true;
  }

  #onReconcile(report: ReconcileReport): void {
    for (const fact of reconcileFacts(report)) {
      // Its hangup was already handed over (the engine may not have processed it yet): no second one.
      if (this.#hungUp.has(fact.legUuid)) continue;
      this.#buffer.push(fact, true);
      this.#sawHangup(fact.legUuid);
    }
    for (const fact of adoptedCallerFacts(report)) {
      if (this.#recentFactIds.has(fact.factId)) continue;
      if (this.#buffer.push(fact, true)) this.#recentFactIds.set(fact.factId, true);
    }
    if (report.adopted.length > 0) {
      this.#logger.info({ switchId: report.switchId, adopted: report.adopted.map((c) => c.uuid) }, 'switch port: live channels the engine did not know');
      this.#options.onAdopted?.(report);
    }
  }

  // ---- commands ---------------------------------------------------------------------------------------------------

  #conn(switchId: string): SwitchConnection {
    return this.manager.connection(switchId);
  }

  async originate(r: OriginateLegRequest): Promise<void> {
    await this.#launchOriginate(r, (conn) =>
      gw.originateLeg(conn, {
        commandId: r.commandId,
        legUuid: r.legUuid,
        endpoint: r.endpoint,
        callId: r.callId,
        role: r.role,
        ringTimeoutSec: r.ringTimeoutSeconds,
        ...(r.offerId !== undefined ? { offerId: r.offerId } : {}),
        ...(r.callerIdNumber !== undefined ? { callerIdNumber: r.callerIdNumber } : {}),
        ...(r.callerIdName !== undefined ? { callerIdName: r.callerIdName } : {}),
        ...(r.variables !== undefined ? { variables: r.variables } : {}),
      }),
    );
  }

  /** `originate … &conference(<room>)`, in the background like `originate`. */
  async originateIntoConference(r: OriginateIntoConferenceRequest): Promise<void> {
    await this.#launchOriginate(r, (conn) =>
      gw.addConferenceParty(conn, {
        commandId: r.commandId,
        legUuid: r.legUuid,
        endpoint: r.endpoint,
        callId: r.callId,
        partyId: r.partyId,
        room: r.room,
        ringTimeoutSec: r.ringTimeoutSeconds,
        ...(r.callerIdNumber !== undefined ? { callerIdNumber: r.callerIdNumber } : {}),
        ...(r.callerIdName !== undefined ? { callerIdName: r.callerIdName } : {}),
        ...(r.variables !== undefined ? { variables: r.variables } : {}),
      }),
    );
  }

  /** `originate … &eavesdrop(<target>)` with the mode's eavesdrop variables, in the background like `originate`. */
  async originateSupervisor(r: OriginateSupervisorRequest): Promise<void> {
    await this.#launchOriginate({ ...r, role: 'supervisor' }, (conn) =>
      gw.originateLeg(conn, {
        commandId: r.commandId,
        legUuid: r.legUuid,
        endpoint: r.endpoint,
        callId: r.callId,
        role: 'supervisor',
        partyId: r.supervisorId,
        ringTimeoutSec: r.ringTimeoutSeconds,
        then: { app: 'eavesdrop', targetUuid: r.targetLegUuid },
        variables: { ledgerline_supervisor_mode: r.mode },
      }),
    );
  }

  /**
   * Sends an originate without waiting for the answer (the outcome comes as facts); a failure the switch reports
   * later becomes a `leg_hangup` fact unless the leg's own hangup was seen.
   */
  async #launchOriginate(r: OriginateFailure, send: (conn: SwitchConnection) => Promise<unknown>): Promise<void> {
    const conn = this.#conn(r.switchId);
    if (this.#originating.has(r.legUuid)) return; // already dialling this very leg: the outcome comes as facts
    const state = { hangupSeen: false };
    this.#originating.set(r.legUuid, state);
    let early: unknown;
    let settledEarly = false;
    const job = send(conn)
      .then(
        () => undefined,
        (err: unknown) => {
          if (!settledEarly) {
            early = err;
            return;
          }
          this.#originateFailed(r, state, err);
        },
      )
      .finally(() => {
        if (settledEarly || early === undefined) this.#originating.delete(r.legUuid);
      });
    // Errors found before anything is sent (bad values, no connection) settle within a macrotask: they are the
    // caller's to handle. Anything later is the switch's answer and arrives as facts.
    await new Promise((resolve) => setImmediate(resolve));
    settledEarly = true;
    if (early !== undefined) {
      this.#originating.delete(r.legUuid);
      throw early;
    }
    void job;
  }

  #originateFailed(r: OriginateFailure, state: { hangupSeen: boolean }, err: unknown): void {
    if (state.hangupSeen) return;
    const cause = isLedgerlineError(err, 'ESL_ORIGINATE_FAILED') && typeof err.details['cause'] === 'string' ? err.details['cause'] : undefined;
    if (cause === undefined) {
      // Timed out or disconnected: the leg may still be up. The reconcile (after a reconnect) or the engine's ring
      // timeout settles it; a fact guessed here could contradict the switch.
      this.#logger.warn({ switchId: r.switchId, legUuid: r.legUuid, err: String(err) }, 'switch port: originate outcome unknown');
      return;
    }
    this.#sawHangup(r.legUuid);
    this.#buffer.push(
      {
        kind: 'leg_hangup',
        switchId: r.switchId,
        factId: `originate-failed/${r.commandId}`,
        at: Date.now(),
        legUuid: r.legUuid,
        callId: r.callId,
        role: r.role,
        ...(r.offerId !== undefined ? { offerId: r.offerId } : {}),
        cause,
      },
      true,
    );
  }

  async bridge(r: SwitchCommandBase & { readonly aLegUuid: string; readonly bLegUuid: string }): Promise<void> {
    await gw.bridge(this.#conn(r.switchId), r.aLegUuid, r.bLegUuid, { commandId: r.commandId });
  }

  async kill(r: SwitchCommandBase & { readonly legUuid: string; readonly cause: string }): Promise<void> {
    try {
      await gw.hangup(this.#conn(r.switchId), r.legUuid, r.cause, { commandId: r.commandId });
    } catch (err) {
      // The leg is already gone (its own hangup raced ours): what the kill was for holds.
      if (isLedgerlineError(err) && err.code === 'ESL_NO_SUCH_CHANNEL') return;
      throw err;
    }
  }

  async stopMedia(r: SwitchCommandBase & { readonly legUuid: string }): Promise<void> {
    await gw.stopMedia(this.#conn(r.switchId), r.legUuid, true, { commandId: r.commandId });
  }

  async answer(r: SwitchCommandBase & { readonly legUuid: string }): Promise<void> {
    await gw.answer(this.#conn(r.switchId), r.legUuid, { commandId: r.commandId });
  }

  async park(r: SwitchCommandBase & { readonly legUuid: string }): Promise<void> {
    await gw.park(this.#conn(r.switchId), r.legUuid, { commandId: r.commandId });
  }

  /** `uuid_hold` on the leg: its partner hears music (hold the agent's leg to hold the customer). */
  async hold(r: SwitchCommandBase & { readonly legUuid: string }): Promise<void> {
    await gw.holdCustomer(this.#conn(r.switchId), r.legUuid, { commandId: r.commandId });
  }

  async unhold(r: SwitchCommandBase & { readonly legUuid: string }): Promise<void> {
    await gw.resumeCustomer(this.#conn(r.switchId), r.legUuid, { commandId: r.commandId });
  }

  async transfer(r: SwitchCommandBase & { readonly legUuid: string; readonly exten: string; readonly context?: string }): Promise<void> {
    await gw.blindTransfer(this.#conn(r.switchId), r.legUuid, { exten: r.exten, ...(r.context !== undefined ? { context: r.context } : {}) }, { commandId: r.commandId });
  }

  async play(r: SwitchCommandBase & { readonly legUuid: string; readonly path: string; readonly playbackId: string }): Promise<void> {
    const eventUuid = mediaEventUuid('playback', r.playbackId);
    this.#playbacks.set(eventUuid, r.playbackId);
    await gw.playPrompt(this.#conn(r.switchId), r.legUuid, r.path, eventUuid, { commandId: r.commandId });
  }

  async collectDigits(
    r: SwitchCommandBase & {
      readonly legUuid: string;
      readonly collectId: string;
      readonly promptPath: string;
      readonly minDigits: number;
      readonly maxDigits: number;
      readonly timeoutMs: number;
      readonly terminators?: string;
    },
  ): Promise<void> {
    const eventUuid = mediaEventUuid('collect', r.collectId);
    this.#collects.set(eventUuid, r.collectId);
    await gw.collectDigits(
      this.#conn(r.switchId),
      r.legUuid,
      { min: r.minDigits, max: r.maxDigits, tries: 1, timeoutMs: r.timeoutMs, prompt: r.promptPath, ...(r.terminators !== undefined ? { terminators: r.terminators } : {}) },
      eventUuid,
      { commandId: r.commandId },
    );
  }

  async startRecording(r: SwitchCommandBase & { readonly legUuid: string; readonly path: string }): Promise<void> {
    await gw.startRecording(this.#conn(r.switchId), r.legUuid, r.path, undefined, { commandId: r.commandId });
  }

  async stopRecording(r: SwitchCommandBase & { readonly legUuid: string; readonly path: string }): Promise<void> {
    await gw.stopRecording(this.#conn(r.switchId), r.legUuid, r.path, { commandId: r.commandId });
  }

  async maskRecording(r: SwitchCommandBase & { readonly legUuid: string; readonly path: string; readonly masked: boolean }): Promise<void> {
    const conn = this.#conn(r.switchId);
    if (r.masked) await gw.maskRecording(conn, r.legUuid, r.path, { commandId: r.commandId });
    else await gw.unmaskRecording(conn, r.legUuid, r.path, { commandId: r.commandId });
  }

  async bridgeConsult(
    r: SwitchCommandBase & { readonly callerLegUuid: string; readonly agentLegUuid: string; readonly consultLegUuid: string; readonly holdMusicPath?: string },
  ): Promise<void> {
    const conn = this.#conn(r.switchId);
    // The caller stays parked when the agent's bridge moves to the consult leg (else FreeSWITCH would hang it up).
    await gw.setVariable(conn, r.callerLegUuid, 'park_after_bridge', 'true', { commandId: `${r.commandId}/park_after_bridge` });
    await gw.bridge(conn, r.agentLegUuid, r.consultLegUuid, { commandId: `${r.commandId}/bridge_agent_consult` });
    await gw.broadcast(conn, r.callerLegUuid, r.holdMusicPath ?? 'local_stream://moh', 'aleg', { commandId: `${r.commandId}/moh` });
  }

  async moveToConference(r: SwitchCommandBase & { readonly legUuid: string; readonly room: string; readonly both: boolean }): Promise<void> {
    await gw.moveToConference(this.#conn(r.switchId), r.legUuid, r.room, r.both, { commandId: r.commandId });
  }

  async broadcast(r: SwitchCommandBase & { readonly legUuid: string; readonly path: string; readonly legs?: 'aleg' | 'bleg' | 'both' }): Promise<void> {
    await gw.broadcast(this.#conn(r.switchId), r.legUuid, r.path, r.legs ?? 'aleg', { commandId: r.commandId });
  }

  /** From `show channels as json` (the reconcile's snapshot) and the leg's `bridge_uuid`. */
  async channelStatus(switchId: string, legUuid: string): Promise<ChannelStatus> {
    const conn = this.#conn(switchId);
    const rows = parseShowChannels(await conn.api('show channels as json'));
    const row = rows.find((c) => c.uuid === legUuid);
    if (!row) return this.#hungUp.has(legUuid) ? 'hungup' : 'absent';
    if (this.#hungUp.has(legUuid) || row.callState === 'HANGUP') return 'hungup';
    if (row.callState !== 'ACTIVE' && row.callState !== 'HELD') return 'ringing';
    const partner = await gw.getVariable(conn, legUuid, 'bridge_uuid').catch((err: unknown) => {
      if (isLedgerlineError(err, 'ESL_NO_SUCH_CHANNEL')) return undefined;
      throw err;
    });
    return partner !== undefined && rows.some((c) => c.uuid === partner) ? 'bridged' : 'answered';
  }
}

function uuidOfApp(f: AdapterFact): string {
  if (f.kind !== 'execute_complete' || f.applicationUuid === undefined) throw new LedgerlineError('ESL_INVALID_ARGUMENT', 'not an app completion', { kind: f.kind });
  return f.applicationUuid;
}
