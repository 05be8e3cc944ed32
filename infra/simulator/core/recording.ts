// Recording (uuid_record, record_session): RECORD_START on the first written frame, RECORD_STOP on stop or hangup.
import type { FsHeader } from '../events/fs-event.ts';
import type { SimChannel, SimSwitch } from './sim-switch.ts';

/** uuid_record start / record_session: RECORD_START when the first frame is written (20 ms later); auto-stop after limitSec. */
export function startRecording(sw: SimSwitch, ch: SimChannel, path: string, limitSec?: number): boolean {
  if (sw.isDown(ch) || ch.recordings.has(path)) return false;
  const rec = { started: false, masked: false };
  ch.recordings.set(path, rec);
  sw.after(ch, 20, () => {
    if (ch.recordings.get(path) !== rec) return;
    rec.started = true;
    sw.emit(ch, 'RECORD_START', { after: [['Record-File-Path', path]] });
  });
  if (limitSec && limitSec > 0) sw.after(ch, limitSec * 1000, () => sw.stopRecording(ch, path, 'time-limit'));
  return true;
}

/** Stops one recording (RECORD_STOP, if it had started). */
export function stopRecording(sw: SimSwitch, ch: SimChannel, path: string, completion?: string): boolean {
  const rec = ch.recordings.get(path);
  if (!rec) return false;
  ch.recordings.delete(path);
  if (rec.started) {
    sw.emit(ch, 'RECORD_STOP', { after: [['Record-File-Path', path], ...(completion ? [['Record-Completion-Cause', completion] as FsHeader] : [])] });
  }
  return true;
}
