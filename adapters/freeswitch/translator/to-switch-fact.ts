// Stage 1: ESL event → SwitchFact. Pure and total: any event gives a fact (unknown ones an `ignored` fact), never a throw.
import { type EslEvent, header, intHeader, variable } from '../esl/esl-event.ts';
import type { ChannelSnapshot, FactOrigin, LegRole, SwitchFact } from './switch-facts.ts';

const ROLES: ReadonlySet<string> = new Set(['caller', 'agent', 'consult', 'supervisor', 'outbound']);

/** Where the event came from, when the event itself cannot tell (no Core-UUID or timestamp header). */
export interface FactSource {
  readonly switchId: string;
  /** The switch's Core-UUID as last seen on this connection (fallback for events without one). */
  readonly coreUuid?: string;
  /** Receive time in epoch ms (fallback for events without Event-Date-Timestamp). */
  readonly receivedAt: number;
}

/** Reads the identity of an event (who fired it, when, its sequence). */
export function factOrigin(event: EslEvent, source: FactSource): FactOrigin {
  const eventName = header(event, 'Event-Name') ?? 'UNKNOWN';
  const coreUuid = header(event, 'Core-UUID') ?? source.coreUuid ?? 'unknown-core';
  const sequence = intHeader(event, 'Event-Sequence');
  const timestampMicros = intHeader(event, 'Event-Date-Timestamp') ?? source.receivedAt * 1000;
  const id = header(event, 'Unique-ID') ?? header(event, 'Job-UUID') ?? '-';
  const eventKey = sequence !== undefined ? `seq:${sequence}` : `${id}/${eventName}/${timestampMicros}`;
  return { switchId: source.switchId, coreUuid, eventName, sequence, timestampMicros, at: Math.floor(timestampMicros / 1000), eventKey };
}

function channelSnapshot(event: EslEvent, uuid: string): ChannelSnapshot {
  const direction = header(event, 'Call-Direction') ?? header(event, 'Caller-Direction');
  const role = variable(event, 'ledgerline_role');
  return {
    uuid,
    direction: direction === 'inbound' || direction === 'outbound' ? direction : undefined,
    channelName: header(event, 'Channel-Name'),
    callerIdNumber: header(event, 'Caller-Caller-ID-Number'),
    callerIdName: header(event, 'Caller-Caller-ID-Name'),
    destinationNumber: header(event, 'Caller-Destination-Number'),
    answerState: header(event, 'Answer-State'),
    otherLegUuid: header(event, 'Other-Leg-Unique-ID'),
    ledgerline: {
      callId: variable(event, 'ledgerline_call_id'),
      offerId: variable(event, 'ledgerline_offer_id'),
      role: role !== undefined && ROLES.has(role) ? (role as LegRole) : undefined,
      partyId: variable(event, 'ledgerline_party_id'),
    },
  };
}

const CHANNEL_KINDS: Readonly<Record<string, 'channel_created' | 'channel_answered' | 'channel_parked' | 'channel_unparked' | 'channel_held' | 'channel_unheld'>> = {
  CHANNEL_CREATE: 'channel_created',
  CHANNEL_ANSWER: 'channel_answered',
  CHANNEL_PARK: 'channel_parked',
  CHANNEL_UNPARK: 'channel_unparked',
  CHANNEL_HOLD: 'channel_held',
  CHANNEL_UNHOLD: 'channel_unheld',
};

/** Translates one ESL event into its normalised fact. */
export function toSwitchFact(event: EslEvent, source: FactSource): SwitchFact {
  const origin = factOrigin(event, source);
  const name = origin.eventName;

  if (name === 'BACKGROUND_JOB') {
    const jobUuid = header(event, 'Job-UUID');
    if (jobUuid === undefined) return { ...origin, kind: 'ignored', reason: 'unknown_event' };
    return { ...origin, kind: 'background_job', jobUuid, command: header(event, 'Job-Command'), body: event.body };
  }
  if (name === 'HEARTBEAT') {
    return { ...origin, kind: 'heartbeat', sessionCount: intHeader(event, 'Session-Count'), uptimeMsec: intHeader(event, 'Uptime-msec') };
  }
  if (name === 'CUSTOM') {
    const subclass = header(event, 'Event-Subclass');
    const action = header(event, 'CC-Action');
    if (subclass !== 'callcenter::info' || action === undefined) return { ...origin, kind: 'ignored', reason: 'unknown_event' };
    const cc: Record<string, string> = {};
    for (const [k, v] of event.headers) if (k.startsWith('CC-') && v !== '' && v !== '_undef_') cc[k] = v;
    return {
      ...origin,
      kind: 'callcenter_info',
      action,
      queue: header(event, 'CC-Queue'),
      agent: header(event, 'CC-Agent'),
      memberSessionUuid: header(event, 'CC-Member-Session-UUID'),
      agentUuid: header(event, 'CC-Agent-UUID'),
      cause: header(event, 'CC-Hangup-Cause') ?? header(event, 'CC-Cause'),
      headers: cc,
    };
  }

  const uuid = header(event, 'Unique-ID');
  const isChannelEvent = name in CHANNEL_KINDS || CHANNEL_SPECIFIC.has(name);
  if (!isChannelEvent) return { ...origin, kind: 'ignored', reason: 'unknown_event' };
  if (uuid === undefined) return { ...origin, kind: 'ignored', reason: 'missing_unique_id' };
  const channel = channelSnapshot(event, uuid);
  const base = { ...origin, channel };

  const simple = CHANNEL_KINDS[name];
  if (simple !== undefined) return { ...base, kind: simple };
  switch (name) {
    case 'CHANNEL_PROGRESS':
      return { ...base, kind: 'channel_ringing', earlyMedia: false };
    case 'CHANNEL_PROGRESS_MEDIA':
      return { ...base, kind: 'channel_ringing', earlyMedia: true };
    case 'CHANNEL_BRIDGE':
      return { ...base, kind: 'channel_bridged', aLegUuid: header(event, 'Bridge-A-Unique-ID') ?? uuid, bLegUuid: header(event, 'Bridge-B-Unique-ID') ?? channel.otherLegUuid ?? '' };
    case 'CHANNEL_UNBRIDGE':
      return { ...base, kind: 'channel_unbridged', aLegUuid: header(event, 'Bridge-A-Unique-ID') ?? uuid, bLegUuid: header(event, 'Bridge-B-Unique-ID') ?? channel.otherLegUuid };
    case 'DTMF':
      return { ...base, kind: 'dtmf', digit: header(event, 'DTMF-Digit') ?? '', durationSamples: intHeader(event, 'DTMF-Duration'), source: header(event, 'DTMF-Source') };
    case 'RECORD_START':
      return { ...base, kind: 'record_started', path: header(event, 'Record-File-Path') };
    case 'RECORD_STOP':
      return { ...base, kind: 'record_stopped', path: header(event, 'Record-File-Path'), completionCause: header(event, 'Record-Completion-Cause') };
    case 'PLAYBACK_START':
      return { ...base, kind: 'playback_started', path: header(event, 'Playback-File-Path') };
    case 'PLAYBACK_STOP': {
      const status = header(event, 'Playback-Status');
      return { ...base, kind: 'playback_stopped', path: header(event, 'Playback-File-Path'), status: status === 'done' || status === 'break' ? status : undefined };
    }
    case 'CHANNEL_EXECUTE_COMPLETE': {
      const resultVar = digitVariableName(header(event, 'Application'), header(event, 'Application-Data'));
      return {
        ...base,
        kind: 'execute_complete',
        application: header(event, 'Application'),
        applicationData: header(event, 'Application-Data'),
        applicationUuid: header(event, 'Application-UUID'),
        response: header(event, 'Application-Response'),
        digits: resultVar !== undefined ? variable(event, resultVar) : undefined,
      };
    }
    case 'CHANNEL_DESTROY':
      return { ...base, kind: 'channel_destroyed', cause: header(event, 'Hangup-Cause') ?? variable(event, 'hangup_cause') ?? 'NORMAL_CLEARING' };
    case 'CHANNEL_HANGUP':
      return { ...base, kind: 'channel_hangup', cause: header(event, 'Hangup-Cause') ?? variable(event, 'hangup_cause') ?? 'NORMAL_CLEARING' };
    default: // CHANNEL_HANGUP_COMPLETE
      return {
        ...base,
        kind: 'channel_hangup_complete',
        cause: header(event, 'Hangup-Cause') ?? variable(event, 'hangup_cause') ?? 'NORMAL_CLEARING',
        billsec: intOrUndefined(variable(event, 'billsec')),
        durationSec: intOrUndefined(variable(event, 'duration')),
      };
  }
}

const CHANNEL_SPECIFIC: ReadonlySet<string> = new Set([
  'CHANNEL_PROGRESS', 'CHANNEL_PROGRESS_MEDIA', 'CHANNEL_BRIDGE', 'CHANNEL_UNBRIDGE', 'DTMF', 'RECORD_START', 'RECORD_STOP',
  'PLAYBACK_START', 'PLAYBACK_STOP', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY',
]);

/** The event names stage 1 turns into facts (what the connection subscribes to). */
export const TRANSLATED_EVENT_NAMES: readonly string[] = [
  'CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_PARK', 'CHANNEL_UNPARK', 'CHANNEL_HOLD', 'CHANNEL_UNHOLD',
  ...CHANNEL_SPECIFIC, 'BACKGROUND_JOB', 'HEARTBEAT',
];

function intOrUndefined(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** play_and_get_digits stores the digits in the variable named by its 8th argument (default `digits`... when given). */
function digitVariableName(app: string | undefined, data: string | undefined): string | undefined {
  if (app !== 'play_and_get_digits' && app !== 'read') return undefined;
  const argv = (data ?? '').trim().split(/\s+/);
  // play_and_get_digits <min> <max> <tries> <timeout> <terminators> <file> <invalid_file> <var_name> …; read <min> <max> <file> <var_name> …
  const name = app === 'read' ? argv[3] : argv[7];
  return name !== undefined && /^[A-Za-z0-9_]+$/.test(name) ? name : undefined;
}
