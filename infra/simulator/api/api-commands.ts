// The API commands (mod_commands subset) with FreeSWITCH's exact reply strings (reference §4).
import { normalizeCause } from '../channels/hangup-causes.ts';
import { setVariable } from '../channels/channel.ts';
import { conferenceList, conferenceRemove } from '../core/conference.ts';
import { originate } from '../core/originate.ts';
import { ORIGINATE_USAGE, parseOriginate } from '../core/originate-request.ts';
import type { SimChannel, SimSwitch } from '../core/sim-switch.ts';
import { uptimeText } from '../events/fs-dates.ts';
import { serializePlain } from '../wire/serialize-event.ts';
import { showCalls, showChannels } from './show-channels.ts';

/** Delivers the command's output; may be called later (originate waits for the answer). */
export type Respond = (body: string) => void;

type ApiHandler = (sw: SimSwitch, arg: string, respond: Respond) => void;

const NO_CHANNEL = '-ERR No such channel!\n';
const words = (arg: string): string[] => arg.trim().split(/\s+/).filter((w) => w !== '');

function live(sw: SimSwitch, uuid: string | undefined): SimChannel | undefined {
  if (!uuid) return undefined;
  const ch = sw.get(uuid);
  return ch && !sw.isDown(ch) ? ch : undefined;
}

const status: ApiHandler = (sw, _arg, respond) => {
  const up = sw.now() - sw.startedMicros;
  const n = sw.channels.size;
  respond(
    `UP ${uptimeText(up)}\n` +
    `FreeSWITCH (Version ${sw.identity.version.replace(/~/g, ' ')}) is ready\n` +
    `${sw.sessionsSinceStartup} session(s) since startup\n` +
    `${n} session(s) - peak ${sw.peakSessions}, last 5min ${sw.peakSessions} \n` +
    `0 session(s) per Sec out of max ${sw.sessionsPerSecond}, peak 0, last 5min 0 \n` +
    `${sw.maxSessions} session(s) max\n` +
    'min idle cpu 0.00/99.00\n' +
    'Current Stack Size/Max 240K/8192K\n',
  );
};

const originateCmd: ApiHandler = (sw, arg, respond) => {
  const req = parseOriginate(arg);
  if (!req) {
    respond(`-USAGE: ${ORIGINATE_USAGE}\n`);
    return;
  }
  originate(sw, req, respond);
};

const uuidBridge: ApiHandler = (sw, arg, respond) => {
  const [a, b] = words(arg);
  if (!a || !b) {
    respond('-USAGE: <uuid> <other_uuid>\n');
    return;
  }
  const ca = live(sw, a);
  const cb = live(sw, b);
  if (!ca || !cb || !sw.bridge(ca, cb)) {
    respond('-ERR Invalid uuid\n');
    return;
  }
  respond(`+OK ${b}\n`);
};

const uuidTransfer: ApiHandler = (sw, arg, respond) => {
  const argv = words(arg);
  if (argv.length < 2) {
    respond('-USAGE: <uuid> [-bleg|-both] <dest-exten> [<dialplan>] [<context>]\n');
    return;
  }
  const ch = live(sw, argv[0]);
  if (!ch) {
    respond(NO_CHANNEL);
    return;
  }
  let rest = argv.slice(1);
  let which: 'aleg' | 'bleg' | 'both' = 'aleg';
  if (rest[0] === '-bleg' || rest[0] === '-both') {
    which = rest[0] === '-bleg' ? 'bleg' : 'both';
    rest = rest.slice(1);
  }
  // An inline destination is quoted and may contain spaces: rejoin up to the dialplan word.
  let dest = rest[0] ?? '';
  let i = 1;
  if (dest.startsWith("'") && !dest.endsWith("'")) {
    while (i < rest.length && !dest.endsWith("'")) dest += ' ' + rest[i++];
  }
  const dialplan = rest[i] ?? 'XML';
  const context = rest[i + 1] ?? 'default';
  const peer = ch.peer ? live(sw, ch.peer) : undefined;
  const targets = which === 'aleg' ? [ch] : which === 'bleg' ? (peer ? [peer] : []) : [ch, ...(peer ? [peer] : [])];
  if (targets.length === 0) {
    respond('-ERR\n');
    return;
  }
  if (which === 'both' && peer) {
    // Both legs leave the bridge together: neither reacts to the other's departure.
    ch.peer = undefined;
    peer.peer = undefined;
    const a = ch.bridgeRole === 'A' ? ch : peer;
    const b = a === ch ? peer : ch;
    sw.emit(a, 'CHANNEL_UNBRIDGE', { before: [['Bridge-A-Unique-ID', a.uuid], ['Bridge-B-Unique-ID', b.uuid]] });
  }
  for (const t of targets) sw.transfer(t, dest.replace(/^'(.*)'$/s, '$1'), dialplan, context);
  respond('+OK\n');
};

const uuidKill: ApiHandler = (sw, arg, respond) => {
  const [uuid, causeArg] = words(arg);
  if (!uuid) {
    respond('-USAGE: <uuid> [cause]\n');
    return;
  }
  const ch = live(sw, uuid);
  if (!ch) {
    respond(NO_CHANNEL);
    return;
  }
  const cause = causeArg ? (normalizeCause(causeArg) ?? 'NORMAL_CLEARING') : 'NORMAL_CLEARING';
  respond('+OK\n');
  sw.hangup(ch, cause);
};

const uuidHold: ApiHandler = (sw, arg, respond) => {
  const argv = words(arg);
  let mode: 'on' | 'off' | 'toggle' = 'on';
  if (argv[0] === 'off' || argv[0] === 'toggle') {
    mode = argv[0];
    argv.shift();
  }
  const uuid = argv[0];
  if (!uuid) {
    respond('-USAGE: [off|toggle] <uuid> [<display>]\n');
    return;
  }
  const ch = live(sw, uuid);
  if (!ch) {
    respond('-ERR Operation failed\n');
    return;
  }
  const on = mode === 'on' || (mode === 'toggle' && !ch.held);
  respond('+OK Success\n');
  if (on) sw.hold(ch);
  else sw.unhold(ch);
};

const uuidBreak: ApiHandler = (sw, arg, respond) => {
  const [uuid] = words(arg);
  const ch = live(sw, uuid);
  if (!ch) {
    respond(NO_CHANNEL);
    return;
  }
  respond('+OK\n');
  for (const app of [...ch.activeApps]) if (app.name === 'playback') app.interrupt?.('break');
};

const uuidRecord: ApiHandler = (sw, arg, respond) => {
  const [uuid, action, path, limit] = words(arg);
  if (!uuid || !action || !path) {
    respond('-USAGE: <uuid> [start|stop|mask|unmask] <path> [<limit>] [<recording_vars>]\n');
    return;
  }
  const ch = live(sw, uuid);
  if (!ch) {
    respond('-ERR Cannot locate session!\n');
    return;
  }
  switch (action) {
    case 'start':
      respond(sw.startRecording(ch, path, limit ? Number(limit) : undefined) ? '+OK Success\n' : '-ERR Cannot record session!\n');
      return;
    case 'stop': {
      const ok = path === 'all' ? [...ch.recordings.keys()].map((p) => sw.stopRecording(ch, p)).length > 0 : sw.stopRecording(ch, path);
      respond(ok ? '+OK Success\n' : '-ERR Cannot stop record session!\n');
      return;
    }
    case 'mask':
    case 'unmask': {
      const rec = ch.recordings.get(path);
      if (!rec) {
        respond(`-ERR Cannot ${action} recording session!\n`);
        return;
      }
      rec.masked = action === 'mask';
      respond('+OK Success\n');
      return;
    }
    default:
      respond('-USAGE: <uuid> [start|stop|mask|unmask] <path> [<limit>] [<recording_vars>]\n');
  }
};

const uuidBroadcast: ApiHandler = (sw, arg, respond) => {
  const [uuid, path, legArg] = words(arg);
  if (!uuid || !path) {
    respond('-USAGE: <uuid> <path> [aleg|bleg|holdb|both]\n');
    return;
  }
  const ch = live(sw, uuid);
  if (!ch) {
    respond('-ERR invalid uuid\n');
    return;
  }
  const leg = legArg ?? 'aleg';
  const peer = ch.peer ? live(sw, ch.peer) : undefined;
  const targets = leg === 'both' ? [ch, ...(peer ? [peer] : [])] : leg === 'bleg' || leg === 'holdb' ? (peer ? [peer] : []) : [ch];
  respond('+OK Message sent\n');
  for (const t of targets) {
    const appSep = path.indexOf('::');
    if (appSep > 0) sw.execute(t, path.slice(0, appSep).split('!')[0]!, path.slice(appSep + 2), sw.random.uuid());
    else sw.execute(t, 'playback', path, sw.random.uuid());
  }
};

const uuidSetvar: ApiHandler = (sw, arg, respond) => {
  const m = /^\s*(\S+)\s+(\S+)(?:\s+(.*))?$/s.exec(arg);
  if (!m) {
    respond(words(arg).length === 1 ? '-ERR No variable specified\n' : '-USAGE: <uuid> <var> [value]\n');
    return;
  }
  const ch = live(sw, m[1]);
  if (!ch) {
    respond(NO_CHANNEL);
    return;
  }
  setVariable(ch, m[2]!, m[3]);
  respond('+OK\n');
};

const uuidSetvarMulti: ApiHandler = (sw, arg, respond) => {
  const m = /^\s*(\S+)\s+(.+)$/s.exec(arg);
  if (!m) {
    respond('-USAGE: <uuid> <var>=<value>;<var>=<value>...\n');
    return;
  }
  const ch = live(sw, m[1]);
  if (!ch) {
    respond(NO_CHANNEL);
    return;
  }
  for (const pair of m[2]!.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0) setVariable(ch, pair.slice(0, eq), pair.slice(eq + 1));
  }
  respond('+OK\n');
};

const uuidGetvar: ApiHandler = (sw, arg, respond) => {
  const [uuid, name] = words(arg);
  if (!uuid || !name) {
    respond('-USAGE: <uuid> <var>\n');
    return;
  }
  const ch = live(sw, uuid);
  if (!ch) {
    respond(NO_CHANNEL);
    return;
  }
  respond(ch.variables.get(name) ?? '_undef_');
};

const uuidAnswer: ApiHandler = (sw, arg, respond) => {
  const ch = live(sw, words(arg)[0]);
  if (!ch) {
    respond('-ERROR\n');
    return;
  }
  sw.markAnswered(ch);
  respond('+OK\n');
};

const uuidPark: ApiHandler = (sw, arg, respond) => {
  const ch = live(sw, words(arg)[0]);
  if (!ch) {
    respond(NO_CHANNEL);
    return;
  }
  respond('+OK\n');
  sw.leaveBridge(ch, 'moved');
  sw.parkChannel(ch);
};

const uuidExists: ApiHandler = (sw, arg, respond) => {
  respond(live(sw, words(arg)[0]) ? 'true' : 'false');
};

const uuidDump: ApiHandler = (sw, arg, respond) => {
  const ch = live(sw, words(arg)[0]);
  if (!ch) {
    respond(NO_CHANNEL);
    return;
  }
  const event = sw.events.channel(ch, 'CHANNEL_DATA', { withVariables: true });
  respond(serializePlain(event));
};

const uuidSendDtmf: ApiHandler = (sw, arg, respond) => {
  const [uuid, digits] = words(arg);
  const ch = live(sw, uuid);
  if (!ch || !digits) {
    respond('-ERR Cannot locate session!\n');
    return;
  }
  respond(`+OK ${ch.uuid} sent DTMF ${digits}.\n`);
};

const uuidPhoneEvent: ApiHandler = (sw, arg, respond) => {
  const ch = live(sw, words(arg)[0]);
  respond(ch ? '+OK Success\n' : '-ERR Operation failed\n');
};

const hupall: ApiHandler = (sw, arg, respond) => {
  const cause = normalizeCause(words(arg)[0] ?? 'MANAGER_REQUEST') ?? 'MANAGER_REQUEST';
  respond(`+OK hangup all channels with cause ${cause}\n`);
  for (const ch of [...sw.channels.values()]) sw.hangup(ch, cause);
};

const show: ApiHandler = (sw, arg, respond) => {
  const argv = words(arg);
  const json = argv.includes('json');
  if (argv[0] === 'channels') respond(showChannels(sw, json));
  else if (argv[0] === 'calls') respond(showCalls(sw, json));
  else respond('-USAGE: codec|endpoint|application|api|dialplan|file|timer|calls [count]|channels [count|like <match string>]|calls|detailed_calls|bridged_calls|detailed_bridged_calls|aliases|complete|chat|management|modules|nat_map|say|interfaces|interface_types|tasks|limits|status\n');
};

const conference: ApiHandler = (sw, arg, respond) => {
  const argv = words(arg);
  if (argv[0] === 'list' || argv.length === 0) {
    respond(conferenceList(sw));
    return;
  }
  const [name = '', verb, ...rest] = argv;
  if (verb === 'list') respond(conferenceList(sw, name));
  else if (verb === 'kick' || verb === 'hup') respond(conferenceRemove(sw, name, verb, rest[0] ?? 'last'));
  else if (verb === 'dial' || verb === 'bgdial') {
    const [endpoint = '', cidNum, cidName] = rest;
    const req = parseOriginate(`${endpoint} &conference(${name}) XML default ${cidName ?? 'Conference'} ${cidNum ?? '0000000000'}`);
    if (!req) {
      respond('-ERR Conference Dial Failed\n');
      return;
    }
    if (verb === 'bgdial') {
      respond('OK Job-UUID: ' + sw.random.uuid() + '\n');
      originate(sw, req, () => undefined);
    } else originate(sw, req, (body) => respond(body.startsWith('+OK') ? `Call Requested: result: [SUCCESS]\n` : `Call Requested: result: [${body.slice(5).trim()}]\n`));
  } else respond(`-ERR Unknown command: ${verb ?? ''}\n`);
};

/**
 * global_getvar <var> (mod_commands): the core variable's value, empty when unset; without a name, every core
 * variable as `name=value` lines. `core_uuid` is the Core-UUID every event carries.
 */
const globalGetvar: ApiHandler = (sw, arg, respond) => {
  const globals: Array<[string, string]> = [
    ['hostname', sw.identity.hostname],
    ['local_ip_v4', sw.identity.ipv4],
    ['core_uuid', sw.identity.coreUuid],
  ];
  const name = arg.trim();
  if (name === '') respond(globals.map(([k, v]) => `${k}=${v}\n`).join(''));
  else respond(globals.find(([k]) => k === name)?.[1] ?? '');
};

const handlers: ReadonlyMap<string, ApiHandler> = new Map<string, ApiHandler>([
  ['status', status],
  ['version', (sw, _a, r) => r(`FreeSWITCH Version ${sw.identity.version.replace(/~/g, ' ')}\n`)],
  ['uptime', (sw, _a, r) => r(String(Math.floor((sw.now() - sw.startedMicros) / 1_000_000)))],
  ['originate', originateCmd],
  ['uuid_bridge', uuidBridge],
  ['uuid_transfer', uuidTransfer],
  ['uuid_kill', uuidKill],
  ['uuid_hold', uuidHold],
  ['uuid_break', uuidBreak],
  ['uuid_record', uuidRecord],
  ['uuid_broadcast', uuidBroadcast],
  ['uuid_setvar', uuidSetvar],
  ['uuid_setvar_multi', uuidSetvarMulti],
  ['uuid_getvar', uuidGetvar],
  ['uuid_answer', uuidAnswer],
  ['uuid_park', uuidPark],
  ['uuid_exists', uuidExists],
  ['uuid_dump', uuidDump],
  ['uuid_send_dtmf', uuidSendDtmf],
  ['uuid_phone_event', uuidPhoneEvent],
  ['create_uuid', (sw, _a, r) => r(sw.random.uuid())],
  ['hupall', hupall],
  ['global_getvar', globalGetvar],
  ['show', show],
  ['conference', conference],
  ['echo', (_sw, a, r) => r(a)],
  ['eval', (_sw, a, r) => r(a)],
]);

/** Runs `<command> <arg>`; unknown commands get `-ERR <cmd> Command not found!\n`, empty output `-ERR no reply\n`. */
export function executeApi(sw: SimSwitch, command: string, arg: string, respond: Respond): void {
  const handler = handlers.get(command.toLowerCase());
  if (!handler) {
    respond(`-ERR ${command} Command not found!\n`);
    return;
  }
  let answered = false;
  handler(sw, arg, (body) => {
    if (answered) return;
    answered = true;
    respond(body === '' ? '-ERR no reply\n' : body);
  });
}

/** Names of the supported API commands. */
export const apiCommandNames = (): string[] => [...handlers.keys()];
