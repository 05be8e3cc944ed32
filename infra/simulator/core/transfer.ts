// Blind transfer (reference §3.4, switch_ivr_session_transfer).
import { setVariable } from '../channels/channel.ts';
import { parseInlineApps } from './inline-dialplan.ts';
import type { SimChannel, SimSwitch } from './sim-switch.ts';

/** Blind transfer (switch_ivr_session_transfer): new caller profile, then routing and the extension's apps. */
export function transfer(sw: SimSwitch, ch: SimChannel, exten: string, dialplan = 'XML', context = 'default'): boolean {
  if (sw.isDown(ch)) return false;
  sw.leaveBridge(ch, 'moved');
  sw.takeControl(ch);
  sw.interruptApps(ch, 'break');
  const now = sw.now();
  const epoch = Math.floor(now / 1_000_000);
  const source = `${epoch}:${ch.uuid}:bl_xfer:${exten}/${context}/${dialplan}`;
  const old = ch.profile;
  old.times.transferred = now;
  ch.profile = {
    ...old,
    times: { ...old.times, profileCreated: now, transferred: 0 },
    destinationNumber: exten,
    dialplan,
    context,
    rdnis: old.destinationNumber,
    transferSource: source,
    profileIndex: String(Number(old.profileIndex ?? '1') + 1),
  };
  ch.hitDialplan = true;
  const history = ch.variables.get('transfer_history');
  setVariable(ch, 'transfer_history', history ? `${history.startsWith('ARRAY::') ? history : `ARRAY::${history}`}|:${source}` : source);
  setVariable(ch, 'transfer_source', source);
  sw.setRunning(ch, 'CS_ROUTING');
  const apps = dialplan === 'inline' ? parseInlineApps(exten) : sw.dialplan(exten, context, ch);
  if (!apps) {
    sw.hangup(ch, 'NO_ROUTE_DESTINATION');
    return true;
  }
  sw.setRunning(ch, 'CS_EXECUTE');
  sw.runApps(ch, apps);
  return true;
}
