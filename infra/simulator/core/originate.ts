// originate: create the outbound leg(s), ring them per endpoint behaviour, report `+OK <uuid>` on answer or
// `-ERR <CAUSE>` (reference §3.2, §3.3). Groups separated by `|` are tried in turn; legs joined by `,` ring together.
import { setVariable } from '../channels/channel.ts';
import type { DialLeg, OriginateRequest } from './originate-request.ts';
import type { EndpointBehaviour } from './endpoints.ts';
import { parseInlineApps as inline } from './inline-dialplan.ts';
import type { SimChannel, SimSwitch } from './sim-switch.ts';

type LegOutcome = { ok: true; ch: SimChannel } | { ok: false; cause: string };

const varOf = (vars: Array<[string, string]>, name: string): string | undefined => vars.findLast(([k]) => k === name)?.[1];

/** Runs an originate; `onResult` gets the API body (`+OK <uuid>\n` / `-ERR <CAUSE>\n`) the moment it is known. */
export function originate(sw: SimSwitch, req: OriginateRequest, onResult: (body: string) => void): void {
  ringGroups(sw, req, undefined, (outcome) => {
    if (outcome.ok) {
      onResult(`+OK ${outcome.ch.uuid}\n`);
      connectDestination(sw, req, outcome.ch);
    } else onResult(`-ERR ${outcome.cause}\n`);
  });
}

/** Tries the dial groups in turn; reports the answered leg or the last failure. `cancel` hangs up legs still ringing. */
export function ringGroups(sw: SimSwitch, req: OriginateRequest, caller: SimChannel | undefined, onOutcome: (o: LegOutcome) => void): { cancel: (cause: string) => void } {
  let groupIndex = 0;
  let lastCause = 'NORMAL_UNSPECIFIED';
  let cancelled = false;
  let live: SimChannel[] = [];
  const tryGroup = (): void => {
    const group = req.groups[groupIndex++];
    if (!group || cancelled) {
      onOutcome({ ok: false, cause: cancelled ? 'ORIGINATOR_CANCEL' : lastCause });
      return;
    }
    live = ringGroup(sw, req, group, caller, (outcome) => {
      if (outcome.ok || cancelled) onOutcome(outcome);
      else {
        lastCause = outcome.cause;
        tryGroup();
      }
    });
  };
  tryGroup();
  return {
    cancel: (cause) => {
      cancelled = true;
      for (const ch of live) if (!ch.answered) sw.hangup(ch, cause);
    },
  };
}

export type { LegOutcome };

function ringGroup(sw: SimSwitch, req: OriginateRequest, legs: DialLeg[], caller: SimChannel | undefined, onOutcome: (o: LegOutcome) => void): SimChannel[] {
  let pending = legs.length;
  let settled = false;
  let lastCause = 'NORMAL_UNSPECIFIED';
  const live: SimChannel[] = [];
  for (const leg of legs) {
    const ch = ringLeg(sw, req, leg, caller, (o) => {
      if (settled) return;
      if (o.ok) {
        settled = true;
        for (const other of live) if (other !== o.ch) sw.hangup(other, 'LOSE_RACE');
        onOutcome(o);
        return;
      }
      lastCause = o.cause;
      if (--pending === 0) {
        settled = true;
        onOutcome({ ok: false, cause: lastCause });
      }
    });
    if (ch) live.push(ch);
    if (settled) break;
  }
  return live;
}

function resolveEndpoint(sw: SimSwitch, endpoint: string): { user: string; behaviour: EndpointBehaviour; host: string; profile: string } | { cause: string } {
  const user = /^user\/([^@]+)(?:@(.+))?$/.exec(endpoint);
  if (user) {
    const id = user[1]!;
    if (!sw.endpoints.users.has(id)) return { cause: 'SUBSCRIBER_ABSENT' };
    const inUse = sw.busyWhenInUse && [...sw.channels.values()].some((c) => !sw.isDown(c) && c.variables.get('dialed_user') === id);
    const behaviour = inUse ? { kind: 'busy' as const } : sw.endpoints.behaviourFor(id);
    if (behaviour.kind === 'unregistered') return { cause: 'USER_NOT_REGISTERED' };
    return { user: id, behaviour, host: `${sw.userAddress(id)}:5060`, profile: 'internal' };
  }
  const error = /^error\/(.+)$/.exec(endpoint);
  if (error) return { cause: error[1]!.toUpperCase() };
  const sofia = /^sofia\/(?:gateway\/([^/]+)|([^/]+))\/(?:sip:)?([^@]+)(?:@(.+))?$/.exec(endpoint);
  if (sofia) {
    const number = sofia[3]!;
    const host = sofia[4] ?? sofia[1] ?? '198.51.100.20';
    return { user: number, behaviour: sw.endpoints.behaviourForNumber(number), host, profile: sofia[1] ? 'external' : sofia[2]! };
  }
  const loopback = /^loopback\/(.+)$/.exec(endpoint);
  if (loopback) return { user: loopback[1]!, behaviour: { kind: 'answer', ringMs: 0 }, host: 'loopback', profile: 'loopback' };
  return { cause: 'CHAN_NOT_IMPLEMENTED' };
}

/** Creates and rings one leg; reports answer or failure once. Returns the channel, if one was created. */
function ringLeg(sw: SimSwitch, req: OriginateRequest, leg: DialLeg, caller: SimChannel | undefined, report: (o: LegOutcome) => void): SimChannel | undefined {
  const resolved = resolveEndpoint(sw, leg.endpoint);
  if ('cause' in resolved) {
    report({ ok: false, cause: resolved.cause });
    return undefined;
  }
  const vars = [...req.vars, ...leg.vars];
  const uuid = varOf(vars, 'origination_uuid') ?? sw.random.uuid();
  if (sw.channels.has(uuid)) {
    report({ ok: false, cause: 'NORMAL_TEMPORARY_FAILURE' });
    return undefined;
  }
  const cidName = varOf(vars, 'origination_caller_id_name') ?? req.cidName ?? caller?.profile.callerIdName ?? 'FreeSWITCH';
  const cidNum = varOf(vars, 'origination_caller_id_number') ?? req.cidNum ?? caller?.profile.callerIdNumber ?? '0000000000';
  const isUser = leg.endpoint.startsWith('user/');
  const name = resolved.profile === 'loopback' ? `loopback/${resolved.user}-a` : `sofia/${resolved.profile}/${isUser ? 'sip:' : ''}${resolved.user}@${resolved.host}`;
  const ch = sw.createChannel({
    uuid,
    name,
    direction: 'outbound',
    hitDialplan: false,
    profile: {
      logicalDirection: 'outbound', username: cidNum, dialplan: 'XML', callerIdName: cidName, callerIdNumber: cidNum,
      origCallerIdName: cidName, origCallerIdNumber: cidNum, calleeIdName: 'Outbound Call', calleeIdNumber: resolved.user,
      networkAddr: resolved.host.split(':')[0]!, ani: cidNum, aniii: '', destinationNumber: resolved.user, source: 'mod_sofia',
      transferSource: '', context: 'default', rdnis: '', profileIndex: '1', screenBit: true, privacyHideName: false,
      privacyHideNumber: false,
    },
  });
  const v = (k: string, val: string): void => setVariable(ch, k, val);
  v('direction', 'outbound');
  v('is_outbound', 'true');
  v('uuid', uuid);
  v('session_id', String(ch.sessionId));
  v('sip_profile_name', resolved.profile);
  v('sofia_profile_name', resolved.profile);
  v('channel_name', name);
  if (isUser) {
    // The user/ endpoint sets presence_id to user@domain (so DTMF and friends carry Channel-Presence-ID).
    v('dialed_user', resolved.user);
    v('dialed_domain', sw.identity.ipv4);
    v('presence_id', `${resolved.user}@${sw.identity.ipv4}`);
    ch.presenceId = `${resolved.user}@${sw.identity.ipv4}`;
  }
  v('sip_destination_url', `sip:${resolved.user}@${resolved.host}`);
  for (const [k, val] of vars) v(k, val);
  v('originate_early_media', 'false');

  sw.emit(ch, 'CHANNEL_OUTGOING');
  sw.setRunning(ch, 'CS_INIT');
  ch.state = 'CS_ROUTING';
  sw.emit(ch, 'CHANNEL_CREATE');
  sw.emit(ch, 'CHANNEL_ORIGINATE');
  sw.setRunning(ch, 'CS_ROUTING');
  sw.setRunning(ch, 'CS_CONSUME_MEDIA');

  let done = false;
  const succeed = (): void => {
    if (done) return;
    done = true;
    sw.markAnswered(ch);
    report({ ok: true, ch });
  };
  const fail = (cause: string): void => {
    if (done) return;
    done = true;
    sw.hangup(ch, cause);
    report({ ok: false, cause });
  };
  const timeoutSec = Number(varOf(leg.vars, 'leg_timeout') ?? varOf(vars, 'originate_timeout') ?? req.timeoutSec ?? 60);
  sw.after(ch, timeoutSec * 1000, () => fail('NO_ANSWER'));
  const b = resolved.behaviour;
  const ringMs = 'ringMs' in b && b.ringMs !== undefined ? b.ringMs : sw.endpoints.defaultRingMs;
  const ring = (): void => {
    sw.markRingReady(ch);
  };
  switch (b.kind) {
    case 'answer':
      if (ringMs > 0) sw.after(ch, Math.min(100, ringMs / 2), ring);
      sw.after(ch, ringMs, succeed);
      break;
    case 'busy':
      sw.after(ch, 50, () => fail('USER_BUSY'));
      break;
    case 'reject':
      sw.after(ch, Math.min(100, ringMs / 2), ring);
      sw.after(ch, ringMs, () => fail('CALL_REJECTED'));
      break;
    case 'fail':
      sw.after(ch, Math.min(100, ringMs / 2), ring);
      sw.after(ch, ringMs, () => fail(b.cause));
      break;
    case 'no-answer':
      sw.after(ch, 100, ring);
      break;
    case 'unregistered':
      fail('USER_NOT_REGISTERED');
      break;
  }
  // A caller hanging up the ringing leg from the outside (uuid_kill) also ends the originate.
  ch.onDown.add(() => {
    if (!done) {
      done = true;
      report({ ok: false, cause: ch.hangupCause ?? 'ORIGINATOR_CANCEL' });
    }
  });
  return ch;
}

/** After answer: `&app(args)` runs in CS_EXECUTE; an extension goes through routing and the dialplan. */
function connectDestination(sw: SimSwitch, req: OriginateRequest, ch: SimChannel): void {
  const dest = req.destination;
  if (dest.kind === 'app') {
    sw.setRunning(ch, 'CS_EXECUTE');
    sw.runApps(ch, [{ app: dest.app, data: dest.args }]);
    return;
  }
  ch.hitDialplan = true;
  ch.profile.destinationNumber = dest.exten;
  ch.profile.context = dest.context;
  ch.profile.dialplan = dest.dialplan;
  sw.setRunning(ch, 'CS_ROUTING');
  const apps = dest.dialplan === 'inline' ? inline(dest.exten) : sw.dialplan(dest.exten, dest.context, ch);
  if (!apps) {
    sw.hangup(ch, 'NO_ROUTE_DESTINATION');
    return;
  }
  sw.setRunning(ch, 'CS_EXECUTE');
  sw.runApps(ch, apps);
}
