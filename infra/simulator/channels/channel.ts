// One call leg as FreeSWITCH models it: states, caller profile (with µs times), other-leg profile, ordered variables.
import type { CallState, ChannelState } from './channel-states.ts';

/** Caller-profile times in µs since the epoch; 0 means never. */
export interface ProfileTimes {
  profileCreated: number;
  created: number;
  answered: number;
  progress: number;
  progressMedia: number;
  hungup: number;
  transferred: number;
  resurrected: number;
  bridged: number;
  lastHold: number;
  holdAccum: number;
}

/** switch_caller_profile_t, the fields that reach events. Empty strings are omitted on the wire. */
export interface CallerProfile {
  direction: 'inbound' | 'outbound';
  logicalDirection: 'inbound' | 'outbound';
  username: string;
  dialplan: string;
  callerIdName: string;
  callerIdNumber: string;
  origCallerIdName: string;
  origCallerIdNumber: string;
  calleeIdName: string;
  calleeIdNumber: string;
  networkAddr: string;
  ani: string;
  aniii: string;
  destinationNumber: string;
  uuid: string;
  source: string;
  transferSource: string;
  context: string;
  rdnis: string;
  channelName: string;
  /** Absent on other-leg snapshots. */
  profileIndex?: string;
  times: ProfileTimes;
  screenBit: boolean;
  privacyHideName: boolean;
  privacyHideNumber: boolean;
}

export interface Codec {
  name: string;
  rate: number;
  bitRate: number;
}

/** A running application on the channel (dialplan or sendmsg). */
export interface RunningApp {
  name: string;
  data: string;
  uuid: string;
  /** Ends the app early (park interrupted, playback broken, …); `response` goes in Application-Response. */
  interrupt?: (reason: 'hangup' | 'break' | 'unpark') => void;
}

/** Mutable state of one leg. */
export interface Channel {
  uuid: string;
  name: string;
  direction: 'inbound' | 'outbound';
  /** Target state (Channel-State-Number). */
  state: ChannelState;
  /** Running state (Channel-State). */
  runningState: ChannelState;
  callState: CallState;
  answered: boolean;
  earlyMedia: boolean;
  ringReady: boolean;
  hitDialplan: boolean;
  presenceId?: string;
  presenceData?: string;
  callUuid?: string;
  hangupCause?: string;
  readCodec?: Codec;
  writeCodec?: Codec;
  profile: CallerProfile;
  other?: { type: 'originator' | 'originatee'; profile: CallerProfile };
  /** Channel variables in FreeSWITCH's order: re-setting a variable moves it to the end. */
  variables: Map<string, string>;
  /** Bridge partner, if bridged. */
  peer?: string;
  /** A = originator of the bridge (gets CHANNEL_BRIDGE/UNBRIDGE). */
  bridgeRole?: 'A' | 'B';
  /** Parked, and by which app (undefined app = uuid_park / park_after_bridge, i.e. CS_PARK). */
  parked?: { appUuid?: string };
  app?: RunningApp;
  held: boolean;
  /** Active recordings by path. */
  recordings: Map<string, { started: boolean; masked: boolean }>;
  /** Digits received and not yet consumed by an app. */
  dtmfQueue: string[];
  /** Timers to cancel when the channel goes down. */
  timers: Set<{ id: number }>;
  sessionId: number;
  lastApp?: { name: string; data: string };
}

/** Sets a channel variable as switch_channel_set_variable does: delete, then append; an empty value unsets. */
export function setVariable(ch: Channel, name: string, value: string | undefined): void {
  ch.variables.delete(name);
  if (value !== undefined && value !== '') ch.variables.set(name, value);
}

/** Answer-State as switch_channel_event_set_basic_data derives it. */
export function answerState(ch: Channel): 'hangup' | 'answered' | 'early' | 'ringing' {
  const down = ch.state === 'CS_HANGUP' || ch.state === 'CS_REPORTING' || ch.state === 'CS_DESTROY';
  if (down) return 'hangup';
  if (ch.answered) return 'answered';
  if (ch.earlyMedia) return 'early';
  return 'ringing';
}

/** Zeroed profile times. */
export const noTimes = (): ProfileTimes => ({
  profileCreated: 0, created: 0, answered: 0, progress: 0, progressMedia: 0, hungup: 0, transferred: 0,
  resurrected: 0, bridged: 0, lastHold: 0, holdAccum: 0,
});

/** A copy of a profile as the other leg sees it: no Profile-Index; the originator's times are not carried. */
export function snapshotProfile(p: CallerProfile, zeroTimes: boolean): CallerProfile {
  const { profileIndex: _drop, ...rest } = p;
  return { ...rest, times: zeroTimes ? noTimes() : { ...p.times } };
}
