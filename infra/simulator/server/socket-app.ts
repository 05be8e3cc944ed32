// The `socket` dialplan application (outbound mode, reference §1.10): FreeSWITCH connects to the application, which
// controls the channel over that connection. `async` parks the channel; when the socket closes, the dialplan goes on
// only after `resume` (or with socket_resume=true), otherwise the call hangs up.
import { connect } from 'node:net';
import type { AppHandler } from '../core/apps.ts';
import type { SimSwitch } from '../core/sim-switch.ts';
import type { FaultPlan } from '../faults/fault-plan.ts';
import { Listener, type ListenerLimits } from './listener.ts';
import { parseSocketTarget } from './outbound-connect.ts';

/** Builds the socket app; `track` registers the listener with the simulator (for close and counts). */
export function socketApp(options: { limits: ListenerLimits; faults: FaultPlan; nextId: () => number; track: (l: Listener) => () => void }): AppHandler {
  return (sw: SimSwitch, ch, data, done, app) => {
    const target = parseSocketTarget(data);
    if (!target) {
      done();
      return;
    }
    let over = false;
    const finish = (): void => {
      if (over) return;
      over = true;
      if (ch.parked?.appUuid === app.uuid) {
        ch.parked = undefined;
        sw.emit(ch, 'CHANNEL_UNPARK');
      }
      done();
    };
    const socket = connect({ host: target.host, port: target.port });
    socket.setKeepAlive(true, 30_000);
    socket.once('error', () => {
      if (!listener) finish();
    });
    let listener: Listener | undefined;
    socket.once('connect', () => {
      let untrack = (): void => undefined;
      listener = new Listener(options.nextId(), socket, sw, {
        password: '',
        limits: options.limits,
        faults: options.faults,
        outbound: { uuid: ch.uuid, ...target.mode },
        onClose: () => {
          untrack();
          if (over || sw.isDown(ch)) return;
          const resume = listener?.resumeRequested || ch.variables.get('socket_resume') === 'true';
          finish();
          if (!resume) sw.hangup(ch, 'NORMAL_CLEARING');
        },
      });
      untrack = options.track(listener);
    });
    if (target.mode.async) {
      ch.parked = { appUuid: app.uuid };
      sw.emit(ch, 'CHANNEL_PARK');
    }
    app.interrupt = finish;
  };
}
