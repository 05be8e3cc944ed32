// Hold (reference §3.6): uuid_hold with music to the partner, and phone-initiated hold.
import type { SimChannel, SimSwitch } from './sim-switch.ts';

/** uuid_hold: CHANNEL_HOLD on the holder, hold music (a looping playback) to its partner. */
export function hold(sw: SimSwitch, ch: SimChannel): void {
  if (sw.isDown(ch) || ch.held) return;
  ch.held = true;
  ch.profile.times.lastHold = sw.now();
  sw.emit(ch, 'CHANNEL_HOLD');
  const peer = ch.peer ? sw.channels.get(ch.peer) : undefined;
  if (peer) {
    const music = ch.variables.get('hold_music') ?? peer.variables.get('hold_music') ?? 'local_stream://moh';
    const appUuid = sw.random.uuid();
    sw.execute(peer, 'playback', music, appUuid);
    ch.holdMusic = [...peer.activeApps].find((a) => a.uuid === appUuid);
  }
}

/** uuid_hold off: the partner's music stops (PLAYBACK_STOP break), CHANNEL_UNHOLD on the holder. */
export function unhold(sw: SimSwitch, ch: SimChannel): void {
  if (sw.isDown(ch) || !ch.held) return;
  stopHoldMusic(sw, ch);
  ch.held = false;
  ch.profile.times.holdAccum += sw.now() - ch.profile.times.lastHold;
  sw.emit(ch, 'CHANNEL_UNHOLD');
}

export function stopHoldMusic(sw: SimSwitch, ch: SimChannel): void {
  const music = ch.holdMusic;
  ch.holdMusic = undefined;
  music?.interrupt?.('break');
}

/** The phone itself puts the call on hold (re-INVITE sendonly): CALLSTATE HELD then CHANNEL_HOLD; resume: UNHELD then CHANNEL_UNHOLD. */
export function phoneHold(sw: SimSwitch, uuid: string, on: boolean): boolean {
  const ch = sw.channels.get(uuid);
  if (!ch || sw.isDown(ch) || ch.held === on) return false;
  ch.held = on;
  if (on) {
    ch.profile.times.lastHold = sw.now();
    sw.setCallState(ch, 'HELD');
    sw.emit(ch, 'CHANNEL_HOLD');
  } else {
    ch.profile.times.holdAccum += sw.now() - ch.profile.times.lastHold;
    sw.setCallState(ch, 'UNHELD');
    sw.emit(ch, 'CHANNEL_UNHOLD');
  }
  return true;
}
