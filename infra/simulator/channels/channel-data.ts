// The channel block of an event (switch_channel_event_set_basic_data + extended data), in FreeSWITCH's order.
import type { FsHeader } from '../events/fs-event.ts';
import { type Channel, type CallerProfile, answerState } from './channel.ts';
import { stateNumber } from './channel-states.ts';

/** switch_caller_profile_event_set_data: `<prefix>-*` headers, empty strings omitted, times always present. */
export function profileHeaders(p: CallerProfile, prefix: string): FsHeader[] {
  const out: FsHeader[] = [];
  const str = (name: string, v: string): void => {
    if (v !== '') out.push([`${prefix}-${name}`, v]);
  };
  out.push([`${prefix}-Direction`, p.direction]);
  out.push([`${prefix}-Logical-Direction`, p.logicalDirection]);
  str('Username', p.username);
  str('Dialplan', p.dialplan);
  str('Caller-ID-Name', p.callerIdName);
  str('Caller-ID-Number', p.callerIdNumber);
  str('Orig-Caller-ID-Name', p.origCallerIdName);
  str('Orig-Caller-ID-Number', p.origCallerIdNumber);
  str('Callee-ID-Name', p.calleeIdName);
  str('Callee-ID-Number', p.calleeIdNumber);
  str('Network-Addr', p.networkAddr);
  str('ANI', p.ani);
  str('ANI-II', p.aniii);
  str('Destination-Number', p.destinationNumber);
  str('Unique-ID', p.uuid);
  str('Source', p.source);
  str('Transfer-Source', p.transferSource);
  str('Context', p.context);
  str('RDNIS', p.rdnis);
  str('Channel-Name', p.channelName);
  if (p.profileIndex !== undefined) str('Profile-Index', p.profileIndex);
  const t = p.times;
  out.push([`${prefix}-Profile-Created-Time`, String(t.profileCreated)]);
  out.push([`${prefix}-Channel-Created-Time`, String(t.created)]);
  out.push([`${prefix}-Channel-Answered-Time`, String(t.answered)]);
  out.push([`${prefix}-Channel-Progress-Time`, String(t.progress)]);
  out.push([`${prefix}-Channel-Progress-Media-Time`, String(t.progressMedia)]);
  out.push([`${prefix}-Channel-Hangup-Time`, String(t.hungup)]);
  out.push([`${prefix}-Channel-Transfer-Time`, String(t.transferred)]);
  out.push([`${prefix}-Channel-Resurrect-Time`, String(t.resurrected)]);
  out.push([`${prefix}-Channel-Bridged-Time`, String(t.bridged)]);
  out.push([`${prefix}-Channel-Last-Hold`, String(t.lastHold)]);
  out.push([`${prefix}-Channel-Hold-Accum`, String(t.holdAccum)]);
  out.push([`${prefix}-Screen-Bit`, String(p.screenBit)]);
  out.push([`${prefix}-Privacy-Hide-Name`, String(p.privacyHideName)]);
  out.push([`${prefix}-Privacy-Hide-Number`, String(p.privacyHideNumber)]);
  return out;
}

/** Basic channel data, then (when `withVariables`) every `variable_<name>` in order. */
export function channelDataHeaders(ch: Channel, withVariables: boolean): FsHeader[] {
  const out: FsHeader[] = [
    ['Channel-State', ch.runningState],
    ['Channel-Call-State', ch.callState],
    ['Channel-State-Number', String(stateNumber(ch.state))],
    ['Channel-Name', ch.name],
    ['Unique-ID', ch.uuid],
    ['Call-Direction', ch.direction],
    ['Presence-Call-Direction', ch.direction],
    ['Channel-HIT-Dialplan', String(ch.hitDialplan)],
  ];
  if (ch.presenceId) out.push(['Channel-Presence-ID', ch.presenceId]);
  if (ch.presenceData) out.push(['Channel-Presence-Data', ch.presenceData]);
  out.push(['Channel-Call-UUID', ch.callUuid ?? ch.uuid]);
  out.push(['Answer-State', answerState(ch)]);
  if (ch.hangupCause) out.push(['Hangup-Cause', ch.hangupCause]);
  if (ch.readCodec) {
    out.push(['Channel-Read-Codec-Name', ch.readCodec.name], ['Channel-Read-Codec-Rate', String(ch.readCodec.rate)], ['Channel-Read-Codec-Bit-Rate', String(ch.readCodec.bitRate)]);
  }
  if (ch.writeCodec) {
    out.push(['Channel-Write-Codec-Name', ch.writeCodec.name], ['Channel-Write-Codec-Rate', String(ch.writeCodec.rate)], ['Channel-Write-Codec-Bit-Rate', String(ch.writeCodec.bitRate)]);
  }
  out.push(...profileHeaders(ch.profile, 'Caller'));
  if (ch.other) {
    out.push(['Other-Type', ch.other.type]);
    out.push(...profileHeaders(ch.other.profile, 'Other-Leg'));
  }
  if (withVariables) for (const [name, value] of ch.variables) out.push([`variable_${name}`, value]);
  return out;
}
