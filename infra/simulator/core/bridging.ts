// Bridging (reference §3.2): uuid_bridge, the bridge itself, unbridge and what a leg does when its partner leaves.
import { setVariable, snapshotProfile } from '../channels/channel.ts';
import type { SimChannel, SimSwitch } from './sim-switch.ts';
import { stopHoldMusic } from './holding.ts';

/** uuid_bridge A B (reference §3.2). Fails when either leg is missing or down. */
export function bridge(sw: SimSwitch, a: SimChannel, b: SimChannel): boolean {
  if (a === b || sw.isDown(a) || sw.isDown(b)) return false;
  sw.leaveBridge(a, 'moved');
  sw.leaveBridge(b, 'moved');
  for (const x of [a, b]) sw.takeControl(x);
  for (const x of [a, b]) {
    sw.setRunning(x, 'CS_HIBERNATE');
    sw.setRunning(x, 'CS_RESET');
    sw.setRunning(x, 'CS_SOFT_EXECUTE');
  }
  setVariable(a, 'current_application_data', b.uuid);
  setVariable(a, 'current_application', 'uuid_bridge');
  sw.emit(a, 'CHANNEL_EXECUTE', { after: [['Application', 'uuid_bridge'], ['Application-Data', b.uuid], ['Application-UUID', sw.random.uuid()]] });
  setVariable(b, 'current_application_data', a.uuid);
  setVariable(b, 'current_application', 'uuid_bridge');
  sw.emit(b, 'CHANNEL_EXECUTE', { after: [['Application', 'uuid_bridge'], ['Application-Data', a.uuid], ['Application-UUID', sw.random.uuid()]] });
  for (const x of [a, b]) if (!x.answered) sw.markAnswered(x);
  sw.linkBridge(a, b);
  return true;
}

/** Joins two answered legs: bridge variables and times, other-leg profiles, CHANNEL_BRIDGE on A, B in CS_EXCHANGE_MEDIA. */
export function linkBridge(sw: SimSwitch, a: SimChannel, b: SimChannel, onEnd?: () => void, options: { originated?: boolean } = {}): void {
  // The other-leg profiles are copies taken before the bridge: the dumps show Other-Leg-Channel-Bridged-Time 0, and
  // an originated B leg's copy still says Logical-Direction inbound (both §2.8a and §2.8d).
  const originatee = snapshotProfile(b.profile, false);
  if (options.originated) originatee.logicalDirection = 'inbound';
  if (b.profile.calleeIdNumber) {
    a.profile.calleeIdName = b.profile.calleeIdName;
    a.profile.calleeIdNumber = b.profile.calleeIdNumber;
  }
  const originator = snapshotProfile(a.profile, true);
  const now = sw.now();
  a.profile.times.bridged = now;
  b.profile.times.bridged = now;
  a.peer = b.uuid;
  b.peer = a.uuid;
  a.bridgeRole = 'A';
  b.bridgeRole = 'B';
  a.bridgeEnd = onEnd;
  a.other = { type: 'originatee', profile: originatee };
  b.other = { type: 'originator', profile: originator };
  for (const [x, y] of [[a, b], [b, a]] as const) {
    setVariable(x, 'last_bridge_to', y.uuid);
    setVariable(x, 'bridge_channel', y.name);
    setVariable(x, 'bridge_uuid', y.uuid);
    setVariable(x, 'signal_bond', y.uuid);
  }
  sw.emit(a, 'CHANNEL_BRIDGE', { before: [['Bridge-A-Unique-ID', a.uuid], ['Bridge-B-Unique-ID', b.uuid]] });
  sw.setRunning(b, 'CS_EXCHANGE_MEDIA');
}

/**
 * Takes `ch` out of its bridge: CHANNEL_UNBRIDGE on the A leg, then the partner's after-bridge logic
 * (`moved`: ch goes elsewhere; the partner reacts now). Returns the partner left behind.
 */
export function leaveBridge(sw: SimSwitch, ch: SimChannel, why: 'moved' | 'hangup'): SimChannel | undefined {
  const peer = ch.peer ? sw.channels.get(ch.peer) : undefined;
  if (!peer) return undefined;
  const a = ch.bridgeRole === 'A' ? ch : peer;
  const b = a === ch ? peer : ch;
  ch.peer = undefined;
  peer.peer = undefined;
  for (const x of [a, b]) stopHoldMusic(sw, x);
  setVariable(a, 'last_bridge_role', 'originator');
  setVariable(b, 'last_bridge_role', 'originatee');
  const cause = ch.hangupCause ?? 'NORMAL_CLEARING';
  setVariable(peer, 'bridge_hangup_cause', cause);
  sw.emit(a, 'CHANNEL_UNBRIDGE', { before: [['Bridge-A-Unique-ID', a.uuid], ['Bridge-B-Unique-ID', b.uuid]] });
  if (why === 'moved') sw.afterBridge(peer);
  return peer;
}

/** Whether a leg goes on after its partner leaves (instead of hanging up). */
export function keepsGoingAfterBridge(sw: SimSwitch, ch: SimChannel): boolean {
  if (ch.variables.get('park_after_bridge') === 'true' || ch.variables.get('transfer_after_bridge')) return true;
  return !!ch.bridgeEnd && ch.variables.get('hangup_after_bridge') !== 'true';
}

/**
 * What a leg does when its partner leaves: park_after_bridge, transfer_after_bridge; a leg in the `bridge` app
 * ends the app and goes on with its dialplan (unless hangup_after_bridge=true); otherwise it hangs up.
 */
export function afterBridge(sw: SimSwitch, ch: SimChannel): void {
  if (sw.isDown(ch)) return;
  const endApp = ch.bridgeEnd;
  ch.bridgeEnd = undefined;
  if (endApp) {
    const special = ch.variables.get('hangup_after_bridge') === 'true' || !!ch.variables.get('transfer_after_bridge') || ch.variables.get('park_after_bridge') === 'true';
    // The bridge app returns (EXECUTE_COMPLETE); only a plain return lets the dialplan go on.
    if (special) ch.flow++;
    endApp();
    if (!special) return;
    if (ch.variables.get('hangup_after_bridge') === 'true') {
      sw.hangup(ch, 'NORMAL_CLEARING');
      return;
    }
  }
  if (ch.variables.get('park_after_bridge') === 'true') {
    sw.parkChannel(ch);
    return;
  }
  const transferTo = ch.variables.get('transfer_after_bridge');
  if (transferTo) {
    const [exten = '', dialplan = 'XML', context = ch.profile.context] = transferTo.split(':');
    sw.transfer(ch, exten, dialplan, context);
    return;
  }
  sw.hangup(ch, 'NORMAL_CLEARING');
}
