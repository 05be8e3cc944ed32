// The adapter's SwitchFact (one per ESL event, everything the translator understands) narrowed to the port's
// SwitchFact (only what the engine acts on). Pure.
import type { ChannelSnapshot, SwitchFact as AdapterFact } from '../../adapters/freeswitch/translator/switch-facts.ts';
import type { SwitchFact } from '../ports/switch-port.ts';

/** Resolves the Event-UUIDs the port gave `play`/`collectDigits` back to the engine's ids. */
export interface MediaIds {
  playbackIdOf(eventUuid: string): string | undefined;
  collectIdOf(eventUuid: string): string | undefined;
}

/**
 * The fact id of an ESL event: its Core-UUID (one FreeSWITCH process lifetime) and the adapter's eventKey, so a
 * replayed event is the same fact, while two switches, or one switch after a restart (Event-Sequence starts again),
 * never share an id.
 */
export function factIdOf(f: AdapterFact): string {
  return `${f.coreUuid || f.switchId}/${f.eventKey}`;
}

/** Direction, dialled number and caller id of a leg, as far as the event told them. */
function legDetails(c: ChannelSnapshot): Pick<SwitchFact, 'direction' | 'did' | 'callerNumber' | 'callerName'> {
  return {
    ...(c.direction !== undefined ? { direction: c.direction } : {}),
    ...(c.destinationNumber !== undefined ? { did: c.destinationNumber } : {}),
    ...(c.callerIdNumber !== undefined ? { callerNumber: c.callerIdNumber } : {}),
    ...(c.callerIdName !== undefined ? { callerName: c.callerIdName } : {}),
  };
}

/** The port fact of an adapter fact, or undefined when the engine does not act on it. */
export function toPortFact(f: AdapterFact, media: MediaIds): SwitchFact | undefined {
  if (!('channel' in f)) return undefined;
  const v = f.channel.ledgerline;
  const base = {
    switchId: f.switchId,
    factId: factIdOf(f),
    at: f.at,
    legUuid: f.channel.uuid,
    ...(v.callId !== undefined ? { callId: v.callId } : {}),
    ...(v.offerId !== undefined ? { offerId: v.offerId } : {}),
    ...(v.role !== undefined ? { role: v.role } : {}),
  };
  switch (f.kind) {
    case 'channel_ringing':
      return { ...base, ...legDetails(f.channel), kind: 'leg_ringing' };
    case 'channel_answered':
      return { ...base, ...legDetails(f.channel), kind: 'leg_answered' };
    case 'channel_bridged':
      return { ...base, legUuid: f.aLegUuid, kind: 'legs_bridged', otherLegUuid: f.bLegUuid };
    case 'channel_unbridged':
      return { ...base, legUuid: f.aLegUuid, kind: 'legs_unbridged', ...(f.bLegUuid !== undefined ? { otherLegUuid: f.bLegUuid } : {}) };
    case 'channel_hangup_complete':
      return { ...base, kind: 'leg_hangup', cause: f.cause };
    case 'dtmf':
      return { ...base, kind: 'dtmf', digit: f.digit };
    case 'execute_complete': {
      if (f.applicationUuid === undefined) return undefined;
      if (f.application === 'playback') {
        const playbackId = media.playbackIdOf(f.applicationUuid);
        return playbackId === undefined ? undefined : { ...base, kind: 'playback_done', playbackId };
      }
      if (f.application === 'play_and_get_digits') {
        const collectId = media.collectIdOf(f.applicationUuid);
        return collectId === undefined ? undefined : { ...base, kind: 'digits_collected', collectId, digits: f.digits ?? null };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
