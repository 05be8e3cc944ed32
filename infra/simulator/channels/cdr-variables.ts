// switch_channel_set_timestamps: the CDR variables set when a channel reaches CS_HANGUP, in FreeSWITCH's order
// (reference §2.2 and the cgrates dump §2.8a). Seconds come from truncated epochs and milliseconds from truncated
// ms, exactly like the C code, so `duration` can exceed `mduration / 1000`.
import { localStamp } from '../events/fs-dates.ts';
import { type Channel, setVariable } from './channel.ts';

/** Sets the timestamp and duration variables on a channel that hung up at `hungupMicros`. */
export function setCdrVariables(ch: Channel, hungupMicros: number, utcOffsetMinutes: number): void {
  const t = ch.profile.times;
  const v = (k: string, val: string | number): void => setVariable(ch, k, String(val));
  const sec = (us: number): number => Math.floor(us / 1_000_000);
  const ms = (us: number): number => Math.floor(us / 1000);
  const created = t.created;
  const hungup = hungupMicros;
  v('digits_dialed', 'none');
  v('start_stamp', localStamp(created, utcOffsetMinutes));
  v('profile_start_stamp', localStamp(t.profileCreated, utcOffsetMinutes));
  if (t.answered) v('answer_stamp', localStamp(t.answered, utcOffsetMinutes));
  if (t.bridged) v('bridge_stamp', localStamp(t.bridged, utcOffsetMinutes));
  if (t.lastHold) v('hold_stamp', localStamp(t.lastHold, utcOffsetMinutes));
  if (t.progress) v('progress_stamp', localStamp(t.progress, utcOffsetMinutes));
  if (t.progressMedia) v('progress_media_stamp', localStamp(t.progressMedia, utcOffsetMinutes));
  v('end_stamp', localStamp(hungup, utcOffsetMinutes));
  v('start_epoch', sec(created));
  v('start_uepoch', created);
  v('profile_start_epoch', sec(t.profileCreated));
  v('profile_start_uepoch', t.profileCreated);
  v('answer_epoch', sec(t.answered));
  v('answer_uepoch', t.answered);
  v('bridge_epoch', sec(t.bridged));
  v('bridge_uepoch', t.bridged);
  v('last_hold_epoch', sec(t.lastHold));
  v('last_hold_uepoch', t.lastHold);
  v('hold_accum_seconds', sec(t.holdAccum));
  v('hold_accum_usec', t.holdAccum);
  v('hold_accum_ms', ms(t.holdAccum));
  v('resurrect_epoch', sec(t.resurrected));
  v('resurrect_uepoch', t.resurrected);
  v('progress_epoch', sec(t.progress));
  v('progress_uepoch', t.progress);
  v('progress_media_epoch', sec(t.progressMedia));
  v('progress_media_uepoch', t.progressMedia);
  v('end_epoch', sec(hungup));
  v('end_uepoch', hungup);
  if (ch.lastApp) {
    v('last_app', ch.lastApp.name);
    setVariable(ch, 'last_arg', ch.lastApp.data);
  }
  v('caller_id', `"${ch.profile.callerIdName}" <${ch.profile.callerIdNumber}>`);
  const dSec = (a: number, b: number): number => (a && b ? sec(a) - sec(b) : 0);
  const dMs = (a: number, b: number): number => (a && b ? ms(a) - ms(b) : 0);
  const dUs = (a: number, b: number): number => (a && b ? a - b : 0);
  const waitEnd = t.bridged || t.answered;
  const billEnd = t.answered ? hungup : 0;
  v('duration', sec(hungup) - sec(created));
  v('billsec', dSec(billEnd, t.answered));
  v('progresssec', dSec(t.progress, created));
  v('answersec', dSec(t.answered, created));
  v('waitsec', dSec(waitEnd, created));
  v('progress_mediasec', dSec(t.progressMedia, created));
  v('flow_billsec', sec(hungup) - sec(created));
  v('mduration', ms(hungup) - ms(created));
  v('billmsec', dMs(billEnd, t.answered));
  v('progressmsec', dMs(t.progress, created));
  v('answermsec', dMs(t.answered, created));
  v('waitmsec', dMs(waitEnd, created));
  v('progress_mediamsec', dMs(t.progressMedia, created));
  v('flow_billmsec', ms(hungup) - ms(created));
  v('uduration', hungup - created);
  v('billusec', dUs(billEnd, t.answered));
  v('progressusec', dUs(t.progress, created));
  v('answerusec', dUs(t.answered, created));
  v('waitusec', dUs(waitEnd, created));
  v('progress_mediausec', dUs(t.progressMedia, created));
  v('flow_billusec', hungup - created);
}
