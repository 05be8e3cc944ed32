// Rebuilds a real dump's event with the simulator: the channel model is filled from the dump's own values, then the
// simulator's EventFactory and serializers produce the event. Equality with the dump proves header set, order,
// omission rules and encoding (the fidelity tests).
import { createVirtualClock } from '../clock/sim-clock.ts';
import type { Channel, CallerProfile, Codec } from '../channels/channel.ts';
import { noTimes } from '../channels/channel.ts';
import { CALL_STATES, CHANNEL_STATES, type CallState, type ChannelState } from '../channels/channel-states.ts';
import { EventFactory } from '../core/event-factory.ts';
import type { SwitchIdentity } from '../core/switch-identity.ts';
import type { FsEvent, FsHeader } from '../events/fs-event.ts';
import { fsUrlDecode } from '../wire/url-encode.ts';

/** `Name: value` lines → pairs (values decoded when `encoded`). */
export function readDump(text: string, encoded: boolean): FsHeader[] {
  return text.split('\n').filter((l) => l !== '').map((l): FsHeader => {
    const i = l.indexOf(': ');
    const value = l.slice(i + 2);
    return [l.slice(0, i), encoded ? (value === '_undef_' ? '' : fsUrlDecode(value)) : value];
  });
}

const COMMON = 13;
const TIME_FIELDS: Array<[keyof ReturnType<typeof noTimes>, string]> = [
  ['profileCreated', 'Profile-Created-Time'], ['created', 'Channel-Created-Time'], ['answered', 'Channel-Answered-Time'],
  ['progress', 'Channel-Progress-Time'], ['progressMedia', 'Channel-Progress-Media-Time'], ['hungup', 'Channel-Hangup-Time'],
  ['transferred', 'Channel-Transfer-Time'], ['resurrected', 'Channel-Resurrect-Time'], ['bridged', 'Channel-Bridged-Time'],
  ['lastHold', 'Channel-Last-Hold'], ['holdAccum', 'Channel-Hold-Accum'],
];

function profileFrom(get: (n: string) => string | undefined, prefix: string): CallerProfile {
  const s = (n: string): string => get(`${prefix}-${n}`) ?? '';
  const times = noTimes();
  for (const [k, n] of TIME_FIELDS) times[k] = Number(get(`${prefix}-${n}`) ?? 0);
  const index = get(`${prefix}-Profile-Index`);
  return {
    direction: s('Direction') as 'inbound' | 'outbound', logicalDirection: s('Logical-Direction') as 'inbound' | 'outbound',
    username: s('Username'), dialplan: s('Dialplan'), callerIdName: s('Caller-ID-Name'), callerIdNumber: s('Caller-ID-Number'),
    origCallerIdName: s('Orig-Caller-ID-Name'), origCallerIdNumber: s('Orig-Caller-ID-Number'), calleeIdName: s('Callee-ID-Name'),
    calleeIdNumber: s('Callee-ID-Number'), networkAddr: s('Network-Addr'), ani: s('ANI'), aniii: s('ANI-II'),
    destinationNumber: s('Destination-Number'), uuid: s('Unique-ID'), source: s('Source'), transferSource: s('Transfer-Source'),
    context: s('Context'), rdnis: s('RDNIS'), channelName: s('Channel-Name'), ...(index !== undefined ? { profileIndex: index } : {}),
    times, screenBit: s('Screen-Bit') === 'true', privacyHideName: s('Privacy-Hide-Name') === 'true', privacyHideNumber: s('Privacy-Hide-Number') === 'true',
  };
}

function codec(get: (n: string) => string | undefined, side: 'Read' | 'Write'): Codec | undefined {
  const name = get(`Channel-${side}-Codec-Name`);
  return name === undefined ? undefined : { name, rate: Number(get(`Channel-${side}-Codec-Rate`)), bitRate: Number(get(`Channel-${side}-Codec-Bit-Rate`)) };
}

/** The channel a dump describes (from its basic data, Caller-/Other-Leg- profiles and variables). */
export function channelFromDump(dump: FsHeader[]): Channel {
  const get = (n: string): string | undefined => dump.find(([k]) => k === n)?.[1];
  const dataStart = dump.findIndex(([n]) => n === 'Channel-State');
  const stateNumber = Number(get('Channel-State-Number'));
  const answer = get('Answer-State');
  const ch: Channel = {
    uuid: get('Unique-ID')!, name: get('Channel-Name')!, direction: get('Call-Direction') as 'inbound' | 'outbound',
    state: CHANNEL_STATES[stateNumber] as ChannelState, runningState: get('Channel-State') as ChannelState,
    callState: get('Channel-Call-State') as CallState, answered: answer === 'answered', earlyMedia: answer === 'early', ringReady: false,
    hitDialplan: get('Channel-HIT-Dialplan') === 'true', presenceId: get('Channel-Presence-ID'), presenceData: get('Channel-Presence-Data'),
    callUuid: get('Channel-Call-UUID'), hangupCause: dump.slice(dataStart).find(([n]) => n === 'Hangup-Cause')?.[1],
    readCodec: codec(get, 'Read'), writeCodec: codec(get, 'Write'), profile: profileFrom(get, 'Caller'),
    other: get('Other-Type') ? { type: get('Other-Type') as 'originator' | 'originatee', profile: profileFrom(get, 'Other-Leg') } : undefined,
    variables: new Map(dump.filter(([n]) => n.startsWith('variable_')).map(([n, v]) => [n.slice('variable_'.length), v])),
    held: false, recordings: new Map(), dtmfQueue: [], timers: new Set(), sessionId: 0,
  };
  if (!CALL_STATES.includes(ch.callState)) throw new Error(`bad call state ${ch.callState}`);
  return ch;
}

/** The factory a dump's common block implies (identity, clock at its timestamp, its sequence number). */
export function factoryFromDump(dump: FsHeader[], localOffsetMinutes: number): EventFactory {
  const get = (n: string): string | undefined => dump.find(([k]) => k === n)?.[1];
  const identity: SwitchIdentity = {
    coreUuid: get('Core-UUID')!, hostname: get('FreeSWITCH-Hostname')!, switchname: get('FreeSWITCH-Switchname')!,
    ipv4: get('FreeSWITCH-IPv4')!, ipv6: get('FreeSWITCH-IPv6')!, utcOffsetMinutes: localOffsetMinutes, version: '',
  };
  return new EventFactory(identity, createVirtualClock(Number(get('Event-Date-Timestamp'))), Number(get('Event-Sequence')));
}

/** The simulator's version of a dumped channel event, built from the dump's data. */
export function rebuildChannelEvent(dump: FsHeader[], localOffsetMinutes: number): FsEvent {
  const get = (n: string): string | undefined => dump.find(([k]) => k === n)?.[1];
  const hasSubclass = dump[COMMON]?.[0] === 'Event-Subclass';
  const dataStart = dump.findIndex(([n]) => n === 'Channel-State');
  const lastData = dump.reduce((acc, [n], i) => (n.startsWith('variable_') || n.startsWith('Other-Leg-') || n.startsWith('Caller-') ? i : acc), dataStart);
  const before = dump.slice(COMMON + (hasSubclass ? 1 : 0), dataStart);
  const after = dump.slice(lastData + 1);
  const ch = channelFromDump(dump);
  return factoryFromDump(dump, localOffsetMinutes).channel(ch, get('Event-Name')!, {
    subclass: get('Event-Subclass'),
    before,
    after,
    withVariables: dump.some(([n]) => n.startsWith('variable_')),
    origin: { file: get('Event-Calling-File')!, func: get('Event-Calling-Function')!, line: Number(get('Event-Calling-Line-Number')) },
  });
}

/** Minutes east of UTC implied by a dump's Event-Date-Local vs its timestamp. */
export function localOffsetOf(dump: FsHeader[]): number {
  const local = dump.find(([n]) => n === 'Event-Date-Local')![1];
  const ts = Number(dump.find(([n]) => n === 'Event-Date-Timestamp')![1]);
  const asUtc = Date.parse(local.replace(' ', 'T') + 'Z');
  return Math.round((asUtc - Math.floor(ts / 1_000_000) * 1000) / 60_000);
}
