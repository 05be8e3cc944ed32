// `show channels` / `show calls`, plain (CSV with a total line) or `as json` ({"row_count":N,"rows":[…]}).
import { localStamp } from '../events/fs-dates.ts';
import type { SimChannel, SimSwitch } from '../core/sim-switch.ts';

const COLUMNS = [
  'uuid', 'direction', 'created', 'created_epoch', 'name', 'state', 'cid_name', 'cid_num', 'ip_addr', 'dest',
  'application', 'application_data', 'dialplan', 'context', 'read_codec', 'read_rate', 'read_bit_rate', 'write_codec',
  'write_rate', 'write_bit_rate', 'secure', 'hostname', 'presence_id', 'presence_data', 'accountcode', 'callstate',
  'callee_name', 'callee_num', 'callee_direction', 'call_uuid', 'sent_callee_name', 'sent_callee_num',
  'initial_cid_name', 'initial_cid_num', 'initial_ip_addr', 'initial_dest', 'initial_dialplan', 'initial_context',
] as const;

function row(sw: SimSwitch, ch: SimChannel): Record<string, string> {
  const p = ch.profile;
  const created = p.times.created;
  return {
    uuid: ch.uuid, direction: ch.direction, created: localStamp(created, sw.identity.utcOffsetMinutes),
    created_epoch: String(Math.floor(created / 1_000_000)), name: ch.name, state: ch.beforeHangup?.state ?? ch.runningState,
    cid_name: p.callerIdName, cid_num: p.callerIdNumber, ip_addr: p.networkAddr, dest: p.destinationNumber,
    application: ch.variables.get('current_application') ?? '', application_data: ch.variables.get('current_application_data') ?? '',
    dialplan: p.dialplan, context: p.context, read_codec: ch.readCodec?.name ?? '', read_rate: ch.readCodec ? String(ch.readCodec.rate) : '',
    read_bit_rate: ch.readCodec ? String(ch.readCodec.bitRate) : '', write_codec: ch.writeCodec?.name ?? '',
    write_rate: ch.writeCodec ? String(ch.writeCodec.rate) : '', write_bit_rate: ch.writeCodec ? String(ch.writeCodec.bitRate) : '',
    secure: '', hostname: sw.identity.hostname, presence_id: ch.presenceId ?? '', presence_data: ch.presenceData ?? '',
    accountcode: ch.variables.get('accountcode') ?? '', callstate: ch.beforeHangup?.callState ?? ch.callState, callee_name: p.calleeIdName,
    callee_num: p.calleeIdNumber, callee_direction: p.calleeIdNumber ? 'SEND' : '', call_uuid: ch.callUuid ?? ch.uuid,
    sent_callee_name: '', sent_callee_num: '', initial_cid_name: p.origCallerIdName, initial_cid_num: p.origCallerIdNumber,
    initial_ip_addr: p.networkAddr, initial_dest: p.destinationNumber, initial_dialplan: p.dialplan, initial_context: p.context,
  };
}

/**
 * A channel is listed until CHANNEL_DESTROY, hanging-up ones included: FreeSWITCH's core db (switch_core_sqldb.c
 * core_event_handler) deletes the row on CHANNEL_DESTROY and skips the CS_HANGUP/CS_REPORTING state and HANGUP
 * call-state updates, so a hanging-up row shows the states it had when the hangup began.
 */
const listed = (sw: SimSwitch): SimChannel[] => [...sw.channels.values()];

/** `show channels [as json]`. */
export function showChannels(sw: SimSwitch, json: boolean): string {
  const rows = listed(sw).map((c) => row(sw, c));
  if (json) return rows.length === 0 ? '{"row_count":0}' : JSON.stringify({ row_count: rows.length, rows });
  const lines = [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => r[c]).join(','))];
  return `${lines.join('\n')}\n\n${rows.length} total.\n`;
}

/** `show calls [as json]`: bridged pairs (A leg columns plus b_uuid, b_name …) and unbridged channels. */
export function showCalls(sw: SimSwitch, json: boolean): string {
  const seen = new Set<string>();
  const rows: Array<Record<string, string>> = [];
  for (const ch of listed(sw)) {
    if (seen.has(ch.uuid)) continue;
    const peer = ch.peer ? sw.get(ch.peer) : undefined;
    const a = peer && ch.bridgeRole === 'B' ? peer : ch;
    const b = a === ch ? peer : ch;
    seen.add(a.uuid);
    if (b) seen.add(b.uuid);
    rows.push({ ...row(sw, a), call_created_epoch: String(Math.floor(a.profile.times.created / 1_000_000)), b_uuid: b?.uuid ?? '', b_direction: b?.direction ?? '', b_name: b?.name ?? '', b_state: b?.runningState ?? '', b_cid_name: b?.profile.callerIdName ?? '', b_cid_num: b?.profile.callerIdNumber ?? '', b_callstate: b?.callState ?? '' });
  }
  if (json) return rows.length === 0 ? '{"row_count":0}' : JSON.stringify({ row_count: rows.length, rows });
  const cols = rows[0] ? Object.keys(rows[0]) : [...COLUMNS];
  return `${[cols.join(','), ...rows.map((r) => cols.map((c) => r[c]).join(','))].join('\n')}\n\n${rows.length} total.\n`;
}
