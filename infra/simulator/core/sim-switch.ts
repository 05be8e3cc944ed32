// The simulated switch core: channels, their state machine, and the events each transition fires, in the order of
// the reference §3. Socket listeners subscribe to `fire`; the API layer (api/) and apps (core/apps.ts) drive it.
import type { SimClock, SimTimer } from '../clock/sim-clock.ts';
import { type Channel, type CallerProfile, type RunningApp, noTimes, setVariable } from '../channels/channel.ts';
import { type CallState, type ChannelState, callStateNumber, stateNumber } from '../channels/channel-states.ts';
import { q850Of } from '../channels/hangup-causes.ts';
import type { FsEvent, FsHeader } from '../events/fs-event.ts';
import { uptimeText as uptime } from '../events/fs-dates.ts';
import { setCdrVariables } from '../channels/cdr-variables.ts';
import { type AppHandler, appHandlers } from './apps.ts';
import { type DialplanApp } from './inline-dialplan.ts';
import * as bridging from './bridging.ts';
import * as holding from './holding.ts';
import * as recording from './recording.ts';
import * as transferring from './transfer.ts';
import type { SeededRandom } from '../random/seeded-random.ts';
import type { EndpointDirectory } from './endpoints.ts';
import { EventFactory, type EventSpec } from './event-factory.ts';
import { type MediaDuration, defaultMediaDuration, playbackFileType } from './media.ts';
import type { SwitchIdentity } from './switch-identity.ts';

export type { DialplanApp };

/** Resolves an extension to its apps; undefined = no route (NO_ROUTE_DESTINATION). */
export type Dialplan = (exten: string, context: string, ch: Channel) => DialplanApp[] | undefined;

/** Every extension answers and parks by default (reference §3.1): the ACD drives the call from there. */
export const defaultDialplan: Dialplan = () => [{ app: 'answer' }, { app: 'park' }];

/** Options for a caller arriving from the network (the A leg). */
export interface InboundCallOptions {
  uuid?: string;
  callerIdNumber?: string;
  callerIdName?: string;
  destinationNumber?: string;
  context?: string;
  /** SIP profile in the channel name (default `external`). */
  profile?: string;
  /** Host part of the channel name (default the switch IPv4). */
  host?: string;
  networkAddr?: string;
  /** Extra channel variables (appended after the SIP ones). */
  variables?: Record<string, string>;
  /** Dialplan apps to run; default: the dialplan for destinationNumber (answer, park unless configured). */
  apps?: DialplanApp[];
}

/** What a DTMF key press looks like. */
export interface DtmfOptions {
  durationSamples?: number;
  source?: 'RTP' | 'INBAND_AUDIO' | 'ENDPOINT' | 'APP' | 'UNKNOWN';
  interDigitMs?: number;
}

export interface SwitchOptions {
  clock: SimClock;
  random: SeededRandom;
  identity: SwitchIdentity;
  endpoints: EndpointDirectory;
  dialplan?: Dialplan;
  mediaDuration?: MediaDuration;
  firstSequence?: number;
  maxSessions?: number;
  sessionsPerSecond?: number;
}

type Sink = (event: FsEvent) => void;

const DOWN_STATES: ReadonlySet<ChannelState> = new Set(['CS_HANGUP', 'CS_REPORTING', 'CS_DESTROY']);

/** Channel with simulator bookkeeping. */
export interface SimChannel extends Channel {
  /** Bumped whenever control of the channel is taken (bridge, transfer, uuid_park) so a dialplan stops continuing. */
  flow: number;
  activeApps: Set<RunningApp>;
  dtmfListeners: Set<(digit: string) => void>;
  /** Called once when the channel is down (apps, conference, eavesdrop clean up). */
  onDown: Set<() => void>;
  /** Hold music playing to the partner because this channel holds. */
  holdMusic?: RunningApp;
  /** Set while the `bridge` app holds this (A) leg in a bridge: ends the app when the bridge ends. */
  bridgeEnd?: () => void;
  /**
   * Running state and call state when the hangup began: FreeSWITCH's core db (what `show channels` reads) ignores
   * CHANNEL_STATE to CS_HANGUP/CS_REPORTING and CALLSTATE HANGUP, so a hanging-up row keeps these until DESTROY.
   */
  beforeHangup?: { state: ChannelState; callState: CallState };
}

/** The simulated FreeSWITCH core. */
export class SimSwitch {
  readonly clock: SimClock;
  readonly random: SeededRandom;
  readonly identity: SwitchIdentity;
  readonly endpoints: EndpointDirectory;
  readonly events: EventFactory;
  readonly channels = new Map<string, SimChannel>();
  dialplan: Dialplan;
  mediaDuration: MediaDuration;
  readonly startedMicros: number;
  readonly maxSessions: number;
  readonly sessionsPerSecond: number;
  /**
   * Not FreeSWITCH behaviour (it rings a user as often as asked): when true, a `user/` endpoint that already has a
   * live leg answers USER_BUSY, which makes double-booking by the ACD visible in tests.
   */
  busyWhenInUse = false;
  sessionsSinceStartup = 0;
  peakSessions = 0;
  private readonly sinks = new Set<Sink>();
  /** Applications by lowercase name (the built-ins plus any registered, e.g. `socket` by the server). */
  private readonly apps = new Map<string, AppHandler>(appHandlers);
  private nextSessionId = 1;
  private readonly ipByUser = new Map<string, string>();

  constructor(options: SwitchOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.identity = options.identity;
    this.endpoints = options.endpoints;
    this.events = new EventFactory(options.identity, options.clock, options.firstSequence ?? 1);
    this.dialplan = options.dialplan ?? defaultDialplan;
    this.mediaDuration = options.mediaDuration ?? defaultMediaDuration;
    this.startedMicros = options.clock.nowMicros();
    this.maxSessions = options.maxSessions ?? 1000;
    this.sessionsPerSecond = options.sessionsPerSecond ?? 30;
  }

  /** Adds or replaces a dialplan application. */
  registerApp(name: string, handler: AppHandler): void {
    this.apps.set(name.toLowerCase(), handler);
  }

  // ---- event plumbing -------------------------------------------------------------------------------------------

  /** Receives every event fired, in Event-Sequence order. Returns an unsubscribe function. */
  subscribe(sink: Sink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  fire(event: FsEvent): void {
    for (const sink of [...this.sinks]) sink(event);
  }

  /** Fires a channel event. */
  emit(ch: Channel, name: string, spec: EventSpec = {}): void {
    this.fire(this.events.channel(ch, name, spec));
  }

  now(): number {
    return this.clock.nowMicros();
  }

  /** A timer tied to a channel: cancelled when the channel goes down. */
  after(ch: SimChannel, ms: number, fn: () => void): SimTimer {
    const timer = this.clock.setTimer(ms, () => {
      ch.timers.delete(timer);
      if (!this.isDown(ch)) fn();
    });
    ch.timers.add(timer);
    return timer;
  }

  cancel(ch: SimChannel, timer: SimTimer): void {
    ch.timers.delete(timer);
    this.clock.clearTimer(timer);
  }

  isDown(ch: Channel): boolean {
    return DOWN_STATES.has(ch.state);
  }

  get(uuid: string): SimChannel | undefined {
    return this.channels.get(uuid);
  }

  // ---- channel creation -----------------------------------------------------------------------------------------

  /** Allocates a channel in CS_NEW (no events yet). */
  createChannel(init: { uuid: string; name: string; direction: 'inbound' | 'outbound'; profile: Omit<CallerProfile, 'times' | 'uuid' | 'channelName' | 'direction'>; hitDialplan: boolean }): SimChannel {
    const now = this.now();
    const times = noTimes();
    times.created = now;
    times.profileCreated = now;
    const ch: SimChannel = {
      uuid: init.uuid,
      name: init.name,
      direction: init.direction,
      state: 'CS_NEW',
      runningState: 'CS_NEW',
      callState: 'DOWN',
      answered: false,
      earlyMedia: false,
      ringReady: false,
      hitDialplan: init.hitDialplan,
      profile: { ...init.profile, direction: init.direction, uuid: init.uuid, channelName: init.name, times },
      variables: new Map(),
      held: false,
      recordings: new Map(),
      dtmfQueue: [],
      timers: new Set(),
      sessionId: this.nextSessionId++,
      flow: 0,
      activeApps: new Set(),
      dtmfListeners: new Set(),
      onDown: new Set(),
    };
    this.channels.set(ch.uuid, ch);
    this.sessionsSinceStartup++;
    this.peakSessions = Math.max(this.peakSessions, this.channels.size);
    return ch;
  }

  /** An IP per agent phone, stable for a run. */
  userAddress(user: string): string {
    let ip = this.ipByUser.get(user);
    if (!ip) {
      const n = Number.parseInt(user, 10);
      ip = `192.168.1.${Number.isFinite(n) ? 10 + (n % 200) : 10 + this.ipByUser.size}`;
      this.ipByUser.set(user, ip);
    }
    return ip;
  }

  /** A caller arrives: CHANNEL_STATE/CREATE/CALLSTATE…, then its dialplan (default answer + park). Returns the uuid. */
  inboundCall(options: InboundCallOptions = {}): string {
    const uuid = options.uuid ?? this.random.uuid();
    if (this.channels.has(uuid)) throw new Error(`duplicate channel uuid ${uuid}`);
    const cidNum = options.callerIdNumber ?? '+15550100';
    const cidName = options.callerIdName ?? cidNum;
    const dest = options.destinationNumber ?? '5000';
    const context = options.context ?? 'public';
    const host = options.host ?? this.identity.ipv4;
    const networkAddr = options.networkAddr ?? '203.0.113.10';
    const name = `sofia/${options.profile ?? 'external'}/${cidNum}@${host}`;
    const ch = this.createChannel({
      uuid,
      name,
      direction: 'inbound',
      hitDialplan: true,
      profile: {
        logicalDirection: 'inbound', username: cidNum, dialplan: 'XML', callerIdName: cidName, callerIdNumber: cidNum,
        origCallerIdName: cidName, origCallerIdNumber: cidNum, calleeIdName: '', calleeIdNumber: '', networkAddr,
        ani: cidNum, aniii: '', destinationNumber: dest, source: 'mod_sofia', transferSource: '', context, rdnis: '',
        profileIndex: '1', screenBit: true, privacyHideName: false, privacyHideNumber: false,
      },
    });
    const v = (k: string, val: string): void => setVariable(ch, k, val);
    v('direction', 'inbound');
    v('uuid', uuid);
    v('session_id', String(ch.sessionId));
    v('sip_from_user', cidNum);
    v('sip_from_uri', `${cidNum}@${networkAddr}`);
    v('sip_from_host', networkAddr);
    v('channel_name', name);
    v('sip_call_id', `${this.random.uuid()}@${networkAddr}`);
    v('sip_local_network_addr', host);
    v('sip_network_ip', networkAddr);
    v('sip_network_port', '5060');
    v('sip_received_ip', networkAddr);
    v('sip_received_port', '5060');
    v('sip_via_protocol', 'udp');
    if (cidName !== cidNum) v('sip_from_display', cidName);
    v('sip_full_from', `${cidName === cidNum ? '' : `"${cidName}" `}<sip:${cidNum}@${networkAddr}>;tag=${this.random.uuid().slice(0, 8)}`);
    v('sip_full_to', `<sip:${dest}@${host}>`);
    v('sip_req_user', dest);
    v('sip_req_uri', `${dest}@${host}`);
    v('sip_req_host', host);
    v('sip_to_user', dest);
    v('sip_to_uri', `${dest}@${host}`);
    v('sip_to_host', host);
    v('sip_contact_user', cidNum);
    v('sip_contact_port', '5060');
    v('sip_contact_uri', `${cidNum}@${networkAddr}:5060`);
    v('sip_contact_host', networkAddr);
    v('sip_via_host', networkAddr);
    v('sip_via_port', '5060');
    v('max_forwards', '69');
    for (const [k, val] of Object.entries(options.variables ?? {})) v(k, val);

    this.setRunning(ch, 'CS_INIT');
    // The endpoint's init handler already asked for CS_ROUTING: CHANNEL_CREATE shows CS_INIT with number 2.
    ch.state = 'CS_ROUTING';
    this.emit(ch, 'CHANNEL_CREATE');
    ch.readCodec = { name: 'PCMU', rate: 8000, bitRate: 64000 };
    ch.writeCodec = { name: 'PCMU', rate: 8000, bitRate: 64000 };
    v('rtp_use_codec_name', 'PCMU');
    v('rtp_use_codec_rate', '8000');
    v('rtp_use_codec_ptime', '20');
    v('read_codec', 'PCMU');
    v('read_rate', '8000');
    v('write_codec', 'PCMU');
    v('write_rate', '8000');
    v('dtmf_type', 'rfc2833');
    v('endpoint_disposition', 'RECEIVED');
    v('call_uuid', uuid);
    this.setRunning(ch, 'CS_ROUTING');
    const apps = options.apps ?? this.dialplan(dest, context, ch);
    if (!apps) {
      this.hangup(ch, 'NO_ROUTE_DESTINATION');
      return uuid;
    }
    this.setRunning(ch, 'CS_EXECUTE');
    this.runApps(ch, apps);
    return uuid;
  }

  // ---- state machine --------------------------------------------------------------------------------------------

  /** Running-state change: callstate side effects first (inbound ringing, UNHELD→ACTIVE), then CHANNEL_STATE. */
  setRunning(ch: SimChannel, state: ChannelState): void {
    ch.state = state;
    ch.runningState = state;
    if (ch.callState === 'UNHELD' && !DOWN_STATES.has(state)) this.setCallState(ch, 'ACTIVE');
    if (ch.direction === 'inbound' && state === 'CS_ROUTING' && ch.callState === 'DOWN') this.setCallState(ch, 'RINGING');
    this.emit(ch, 'CHANNEL_STATE');
  }

  /** CHANNEL_CALLSTATE with Original-Channel-Call-State and the new state's number before the channel data. */
  setCallState(ch: SimChannel, next: CallState): void {
    const original = ch.callState;
    if (original === next) return;
    ch.callState = next;
    this.emit(ch, 'CHANNEL_CALLSTATE', { before: [['Original-Channel-Call-State', original], ['Channel-Call-State-Number', String(callStateNumber(next))]] });
  }

  /** 180 Ringing: CHANNEL_PROGRESS, then CALLSTATE RINGING. */
  markRingReady(ch: SimChannel): void {
    if (ch.ringReady || ch.answered || this.isDown(ch)) return;
    ch.ringReady = true;
    ch.profile.times.progress = this.now();
    this.emit(ch, 'CHANNEL_PROGRESS');
    if (ch.callState === 'DOWN' || ch.callState === 'DIALING') this.setCallState(ch, 'RINGING');
  }

  /** 183 with SDP: CHANNEL_PROGRESS_MEDIA, then CALLSTATE EARLY. */
  markPreAnswered(ch: SimChannel): void {
    if (ch.earlyMedia || ch.answered || this.isDown(ch)) return;
    ch.earlyMedia = true;
    ch.profile.times.progressMedia = this.now();
    this.emit(ch, 'CHANNEL_PROGRESS_MEDIA');
    this.setCallState(ch, 'EARLY');
  }

  /** 200 OK: CHANNEL_ANSWER (still showing the previous call state), then CALLSTATE ACTIVE. */
  markAnswered(ch: SimChannel): void {
    if (ch.answered || this.isDown(ch)) return;
    ch.answered = true;
    ch.profile.times.answered = this.now();
    if (!ch.readCodec) {
      ch.readCodec = { name: 'PCMU', rate: 8000, bitRate: 64000 };
      ch.writeCodec = { name: 'PCMU', rate: 8000, bitRate: 64000 };
    }
    setVariable(ch, 'endpoint_disposition', 'ANSWER');
    this.emit(ch, 'CHANNEL_ANSWER');
    this.setCallState(ch, 'ACTIVE');
  }

  // ---- applications ---------------------------------------------------------------------------------------------

  /** Runs dialplan apps in sequence; the dialplan running out hangs the call up (NORMAL_CLEARING). */
  runApps(ch: SimChannel, apps: readonly DialplanApp[], index = 0, flow = ch.flow): void {
    if (this.isDown(ch) || ch.flow !== flow) return;
    const step = apps[index];
    if (!step) {
      this.hangup(ch, 'NORMAL_CLEARING');
      return;
    }
    this.execute(ch, step.app, step.data ?? '', this.random.uuid(), () => this.runApps(ch, apps, index + 1, flow));
  }

  /**
   * Executes one application: CHANNEL_EXECUTE, the app's own events, CHANNEL_EXECUTE_COMPLETE with the same
   * Application-UUID (the sendmsg Event-UUID when given). `then` runs after completion if the channel is still up.
   */
  execute(ch: SimChannel, name: string, data: string, appUuid: string, then?: () => void): void {
    if (this.isDown(ch)) return;
    const handler = this.apps.get(name.toLowerCase());
    setVariable(ch, 'current_application_data', data);
    setVariable(ch, 'current_application', name);
    const app: RunningApp = { name, data, uuid: appUuid };
    this.emit(ch, 'CHANNEL_EXECUTE', { after: [['Application', name], ['Application-Data', data], ['Application-UUID', appUuid]] });
    ch.activeApps.add(app);
    let finished = false;
    const done = (response?: string): void => {
      if (finished) return;
      finished = true;
      ch.activeApps.delete(app);
      ch.lastApp = { name, data };
      this.emit(ch, 'CHANNEL_EXECUTE_COMPLETE', {
        after: [['Application', name], ['Application-Data', data], ['Application-Response', response || '_none_'], ['Application-UUID', appUuid]],
      });
      if (then && !this.isDown(ch)) then();
    };
    if (!handler) {
      // FreeSWITCH logs "Invalid Application" and hangs up with INVALID_URL-like failure; the simulator completes it.
      done('_none_');
      return;
    }
    handler(this, ch, data, done, app);
  }

  /** Interrupts the running apps (hangup, or another command taking control). */
  interruptApps(ch: SimChannel, reason: 'hangup' | 'break' | 'unpark'): void {
    for (const app of [...ch.activeApps].reverse()) app.interrupt?.(reason);
  }

  /** Plays a file: PLAYBACK_START, then PLAYBACK_STOP (done after the media's duration, or break when stopped). */
  play(ch: SimChannel, file: string, onEnd: (status: 'done' | 'break') => void): { stop: () => void } {
    const type = playbackFileType(file);
    this.emit(ch, 'PLAYBACK_START', { after: [['Playback-File-Path', file], ...(type ? [['Playback-File-Type', type] as FsHeader] : [])] });
    let over = false;
    const finish = (status: 'done' | 'break'): void => {
      if (over) return;
      over = true;
      if (timer) this.cancel(ch, timer);
      this.emit(ch, 'PLAYBACK_STOP', { after: [['Playback-File-Path', file], ...(type ? [['Playback-File-Type', type] as FsHeader] : []), ['Playback-Status', status]] });
      onEnd(status);
    };
    const ms = this.mediaDuration(file);
    const timer = Number.isFinite(ms) ? this.after(ch, ms, () => finish('done')) : undefined;
    return { stop: () => finish('break') };
  }

  /** The caller (or phone) presses keys: one DTMF event per digit, spaced by interDigitMs. */
  sendDtmf(uuid: string, digits: string, options: DtmfOptions = {}): boolean {
    const ch = this.channels.get(uuid);
    if (!ch || this.isDown(ch)) return false;
    const spacing = options.interDigitMs ?? 300;
    [...digits].forEach((d, i) => {
      const deliver = (): void => this.deliverDigit(ch, d, options);
      if (i === 0) deliver();
      else this.after(ch, spacing * i, deliver);
    });
    return true;
  }

  private deliverDigit(ch: SimChannel, digit: string, options: DtmfOptions): void {
    if (this.isDown(ch)) return;
    this.emit(ch, 'DTMF', {
      after: [['DTMF-Digit', digit], ['DTMF-Duration', String(options.durationSamples ?? 2000)], ['DTMF-Source', options.source ?? 'RTP']],
    });
    for (const listener of [...ch.dtmfListeners]) listener(digit);
  }

  // ---- park -----------------------------------------------------------------------------------------------------

  /** uuid_park / park_after_bridge: CS_PARK state, CHANNEL_PARK (no CHANNEL_EXECUTE). */
  parkChannel(ch: SimChannel): void {
    if (this.isDown(ch)) return;
    this.takeControl(ch);
    this.setRunning(ch, 'CS_PARK');
    ch.parked = {};
    this.emit(ch, 'CHANNEL_PARK');
  }

  /** Ends a park (app park or CS_PARK): CHANNEL_UNPARK, then the park app's EXECUTE_COMPLETE if it was an app. */
  unpark(ch: SimChannel): void {
    if (!ch.parked) return;
    const appUuid = ch.parked.appUuid;
    if (appUuid) {
      const app = [...ch.activeApps].find((a) => a.uuid === appUuid);
      app?.interrupt?.('unpark');
    } else {
      ch.parked = undefined;
      this.emit(ch, 'CHANNEL_UNPARK');
    }
  }

  /** Something else takes over the channel: parked apps end, dialplan continuation is cancelled. */
  takeControl(ch: SimChannel): void {
    ch.flow++;
    this.unpark(ch);
    const endApp = ch.bridgeEnd;
    ch.bridgeEnd = undefined;
    endApp?.();
  }

  /** uuid_bridge A B (reference §3.2). Fails when either leg is missing or down. */
  bridge(a: SimChannel, b: SimChannel): boolean {
    return bridging.bridge(this, a, b);
  }

  /** Joins two answered legs (CHANNEL_BRIDGE on A); `onEnd` ends the A leg's bridge app when the bridge ends. */
  linkBridge(a: SimChannel, b: SimChannel, onEnd?: () => void, options: { originated?: boolean } = {}): void {
    bridging.linkBridge(this, a, b, onEnd, options);
  }

  /** Takes `ch` out of its bridge (UNBRIDGE on the A leg); with `moved`, the partner reacts now. */
  leaveBridge(ch: SimChannel, why: 'moved' | 'hangup'): SimChannel | undefined {
    return bridging.leaveBridge(this, ch, why);
  }

  /** Whether a leg goes on after its partner leaves. */
  keepsGoingAfterBridge(ch: SimChannel): boolean {
    return bridging.keepsGoingAfterBridge(this, ch);
  }

  /** What a leg does when its partner leaves. */
  afterBridge(ch: SimChannel): void {
    bridging.afterBridge(this, ch);
  }

  /** Blind transfer: new caller profile, routing, the extension's apps. */
  transfer(ch: SimChannel, exten: string, dialplan = 'XML', context = 'default'): boolean {
    return transferring.transfer(this, ch, exten, dialplan, context);
  }

  /** uuid_hold: CHANNEL_HOLD on the holder, music to its partner. */
  hold(ch: SimChannel): void {
    holding.hold(this, ch);
  }

  /** uuid_hold off. */
  unhold(ch: SimChannel): void {
    holding.unhold(this, ch);
  }

  /** The phone puts the call on hold or resumes it. */
  phoneHold(uuid: string, on: boolean): boolean {
    return holding.phoneHold(this, uuid, on);
  }

  /** uuid_record start / record_session. */
  startRecording(ch: SimChannel, path: string, limitSec?: number): boolean {
    return recording.startRecording(this, ch, path, limitSec);
  }

  /** Stops one recording (RECORD_STOP if it had started). */
  stopRecording(ch: SimChannel, path: string, completion?: string): boolean {
    return recording.stopRecording(this, ch, path, completion);
  }

  // ---- hangup ---------------------------------------------------------------------------------------------------

  /**
   * Hangs a leg up (BYE from the far end, uuid_kill, originate failure): CHANNEL_HANGUP, UNBRIDGE on the A leg and
   * the partner's reaction, the apps' completion (UNPARK, EXECUTE_COMPLETE), then the tail: CS_HANGUP, RECORD_STOP,
   * CALLSTATE HANGUP, CS_REPORTING, HANGUP_COMPLETE, DESTROY.
   */
  hangup(ch: SimChannel, cause = 'NORMAL_CLEARING'): boolean {
    if (!this.beginHangup(ch, cause)) return false;
    const peer = ch.peer ? this.channels.get(ch.peer) : undefined;
    let peerFollows = false;
    if (peer) {
      this.leaveBridge(ch, 'hangup');
      if (!this.keepsGoingAfterBridge(peer)) peerFollows = this.beginHangup(peer, 'NORMAL_CLEARING');
    }
    this.finishHangup(ch);
    if (peer) {
      if (peerFollows) this.finishHangup(peer);
      else this.afterBridge(peer);
    }
    return true;
  }

  /** CHANNEL_HANGUP: state CS_HANGUP requested, cause set, running state unchanged. */
  beginHangup(ch: SimChannel, cause: string): boolean {
    if (this.isDown(ch)) return false;
    ch.beforeHangup = { state: ch.runningState, callState: ch.callState };
    ch.state = 'CS_HANGUP';
    ch.hangupCause = cause;
    ch.profile.times.hungup = this.now();
    setVariable(ch, 'hangup_cause', cause);
    setVariable(ch, 'hangup_cause_q850', String(q850Of(cause)));
    for (const t of [...ch.timers]) this.cancel(ch, t);
    this.emit(ch, 'CHANNEL_HANGUP');
    return true;
  }

  private finishHangup(ch: SimChannel): void {
    this.interruptApps(ch, 'hangup');
    if (ch.parked) {
      ch.parked = undefined;
      this.emit(ch, 'CHANNEL_UNPARK');
    }
    ch.dtmfListeners.clear();
    for (const fn of [...ch.onDown]) fn();
    ch.onDown.clear();
    this.setRunning(ch, 'CS_HANGUP');
    for (const path of [...ch.recordings.keys()]) this.stopRecording(ch, path);
    this.setTimestamps(ch);
    this.setCallState(ch, 'HANGUP');
    this.setRunning(ch, 'CS_REPORTING');
    this.emit(ch, 'CHANNEL_HANGUP_COMPLETE', { before: [['Hangup-Cause', ch.hangupCause ?? 'NORMAL_CLEARING']] });
    ch.state = 'CS_DESTROY';
    this.emit(ch, 'CHANNEL_DESTROY');
    this.channels.delete(ch.uuid);
  }

  /** switch_channel_set_timestamps, at CS_HANGUP. */
  private setTimestamps(ch: SimChannel): void {
    setCdrVariables(ch, ch.profile.times.hungup || this.now(), this.identity.utcOffsetMinutes);
  }

  // ---- system ---------------------------------------------------------------------------------------------------

  /** HEARTBEAT (every 20 s on the simulator's clock). */
  heartbeat(): void {
    const up = this.now() - this.startedMicros;
    this.fire(this.events.plain('HEARTBEAT', {
      after: [
        ['Event-Info', 'System Ready'],
        ['Up-Time', uptime(up)],
        ['FreeSWITCH-Version', this.identity.version],
        ['Uptime-msec', String(Math.floor(up / 1000))],
        ['Session-Count', String(this.channels.size)],
        ['Max-Sessions', String(this.maxSessions)],
        ['Session-Per-Sec', String(this.sessionsPerSecond)],
        ['Session-Per-Sec-Last', '0'],
        ['Session-Per-Sec-Max', '0'],
        ['Session-Per-Sec-FiveMin', '0'],
        ['Session-Since-Startup', String(this.sessionsSinceStartup)],
        ['Session-Peak-Max', String(this.peakSessions)],
        ['Session-Peak-FiveMin', String(this.peakSessions)],
        ['Idle-CPU', '99.000000'],
      ],
    }));
  }

  /** Channel state number helper for tests. */
  stateNumberOf(uuid: string): number | undefined {
    const ch = this.channels.get(uuid);
    return ch ? stateNumber(ch.state) : undefined;
  }
}
