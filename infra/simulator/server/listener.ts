// One inbound ESL connection (mod_event_socket's listener): auth, command dispatch in order (one at a time, as the
// listener thread does), event delivery after the current command's reply, the per-connection queue limit.
import type { Socket } from 'node:net';
import { executeApi } from '../api/api-commands.ts';
import type { SimTimer } from '../clock/sim-clock.ts';
import { setVariable } from '../channels/channel.ts';
import { normalizeCause } from '../channels/hangup-causes.ts';
import type { SimSwitch } from '../core/sim-switch.ts';
import { type FsEvent, headerOf } from '../events/fs-event.ts';
import { nameEvent } from '../events/event-types.ts';
import { type ClientCommand, CommandReader, commandHeader } from '../wire/command-reader.ts';
import { apiResponseFrame, authRequestFrame, commandReplyFrame, disconnectNoticeFrame, eventFrame, GOODBYE_TEXT, lingerNoticeFrame } from '../wire/frames.ts';
import type { FaultPlan } from '../faults/fault-plan.ts';
import { Subscriptions } from './subscriptions.ts';
import { connectReplyFrame, type OutboundMode, SINGLE_CHANNEL_COMMANDS } from './outbound-connect.ts';

/** Per-connection limits (MES MAX_QUEUE_LEN / MAX_MISSED). */
export interface ListenerLimits {
  maxQueue: number;
  maxMissed: number;
  /** Seconds to wait for the first command after auth/request. */
  authTimeoutSec: number;
}

export const DEFAULT_LIMITS: ListenerLimits = { maxQueue: 100_000, maxMissed: 500, authTimeoutSec: 25 };

const LOG_LEVELS: Record<string, number> = { console: 0, alert: 1, crit: 2, err: 3, error: 3, warning: 4, notice: 5, info: 6, debug: 7 };

/** Server side of one client socket. */
export class Listener {
  readonly id: number;
  private readonly socket: Socket;
  private readonly sw: SimSwitch;
  private readonly password: string;
  private readonly limits: ListenerLimits;
  private readonly faults: FaultPlan;
  private readonly reader = new CommandReader();
  private readonly subs = new Subscriptions();
  private readonly commands: ClientCommand[] = [];
  /** Output held back while a command runs, the socket is congested or stalled (events, and replies while stalled). */
  private readonly pending: Pending[] = [];
  /** Event frames in `pending` (the queue limit counts events only). */
  private pendingEvents = 0;
  private authed = false;
  private busy = false;
  private closed = false;
  private congested = false;
  private stalled = false;
  private lost = 0;
  private authTimer?: SimTimer;
  private unsubscribe: () => void;
  private logLevel?: number;
  private session?: string;
  private linger?: number;
  private readonly onClose: (l: Listener) => void;
  /** Outbound mode: FreeSWITCH connected to the application for this channel. */
  private readonly outbound?: OutboundMode & { uuid: string };
  private firstCommand = true;
  /** Outbound: `resume` was sent, so the dialplan goes on when the socket closes. */
  resumeRequested = false;

  constructor(id: number, socket: Socket, sw: SimSwitch, options: { password: string; limits: ListenerLimits; faults: FaultPlan; onClose: (l: Listener) => void; outbound?: OutboundMode & { uuid: string } }) {
    this.id = id;
    this.socket = socket;
    this.sw = sw;
    this.password = options.password;
    this.limits = options.limits;
    this.faults = options.faults;
    this.onClose = options.onClose;
    this.outbound = options.outbound;
    this.unsubscribe = sw.subscribe((e) => this.onEvent(e));
    this.faults.attach(this.id, (pieces) => this.released(pieces));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('close', () => this.teardown());
    socket.on('error', () => this.teardown());
    if (this.outbound) {
      // Outbound sockets are pre-authenticated and control their channel; the first command must come within 25 s.
      this.authed = true;
      this.session = this.outbound.uuid;
      this.authTimer = sw.clock.setTimer(this.limits.authTimeoutSec * 1000, () => {
        if (this.firstCommand) this.disconnect();
      });
      return;
    }
    this.write(authRequestFrame());
    this.authTimer = sw.clock.setTimer(this.limits.authTimeoutSec * 1000, () => {
      if (!this.authed) this.disconnect();
    });
  }

  /** True once authenticated. */
  get isAuthed(): boolean {
    return this.authed;
  }

  /** Closes the connection as FreeSWITCH does: disconnect-notice, then close. */
  disconnect(text: string = GOODBYE_TEXT): void {
    if (this.closed) return;
    this.writeRaw(disconnectNoticeFrame(text, this.session));
    this.close();
  }

  /** Drops the TCP connection without any notice (fault injection). */
  destroy(): void {
    this.socket.destroy();
    this.teardown();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end();
    this.teardown();
  }

  private teardown(): void {
    this.closed = true;
    this.unsubscribe();
    this.faults.detach(this.id);
    if (this.authTimer) this.sw.clock.clearTimer(this.authTimer);
    this.onClose(this);
  }

  // ---- input ----------------------------------------------------------------------------------------------------

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    let cmds: ClientCommand[];
    try {
      cmds = this.reader.push(chunk);
    } catch {
      this.destroy();
      return;
    }
    this.commands.push(...cmds);
    this.pump();
  }

  private pump(): void {
    // A stalled socket is a listener thread blocked in a write: it reads no further command until the write goes.
    while (!this.busy && !this.closed && !this.stalled && this.commands.length > 0) {
      const cmd = this.commands.shift()!;
      this.busy = true;
      let finished = false;
      this.dispatch(cmd, (frame) => {
        if (finished) return;
        finished = true;
        if (frame) this.writeReply(frame);
        this.busy = false;
        this.flushPending();
        if (!this.closed) queueMicrotask(() => this.pump());
      });
    }
  }

  private reply(text: string, extra?: ReadonlyArray<readonly [string, string]>): string {
    return commandReplyFrame(text, extra);
  }

  /** parse_command: one command; `finish(frame)` writes its reply and lets the next command run. */
  private dispatch(cmd: ClientCommand, finish: (frame?: string) => void): void {
    const line = cmd.line;
    const space = line.indexOf(' ');
    const verb = (space < 0 ? line : line.slice(0, space)).toLowerCase();
    const args = space < 0 ? '' : line.slice(space + 1);

    if (this.outbound) {
      const first = this.firstCommand;
      this.firstCommand = false;
      if (this.authTimer) this.sw.clock.clearTimer(this.authTimer);
      if (verb === 'connect') {
        const ch = this.sw.get(this.outbound.uuid);
        finish(ch ? connectReplyFrame(this.sw.events, ch, this.outbound) : this.reply('-ERR no channel'));
        return;
      }
      if (!this.outbound.full && !SINGLE_CHANNEL_COMMANDS.has(verb)) {
        finish(first ? undefined : this.reply('-ERR command not found'));
        return;
      }
      if (first) {
        // The first command runs, but only connect's reply is ever written (MES:2712).
        this.dispatchCommand(cmd, verb, args, () => finish(undefined));
        return;
      }
      if (verb === 'myevents' && args.trim() === '') {
        if (this.subs.myEvents) finish(this.reply('-ERR aready enabled.'));
        else {
          this.subs.enableMyEvents(this.outbound.uuid);
          finish(this.reply('+OK Events Enabled'));
        }
        return;
      }
      if (verb === 'getvar') {
        finish(this.reply(this.sw.get(this.outbound.uuid)?.variables.get(args.trim()) ?? ''));
        return;
      }
      if (verb === 'resume') {
        this.resumeRequested = true;
        finish(this.reply('+OK'));
        return;
      }
    }
    this.dispatchCommand(cmd, verb, args, finish);
  }

  private dispatchCommand(cmd: ClientCommand, verb: string, args: string, finish: (frame?: string) => void): void {
    const line = cmd.line;
    if (verb === 'exit' || line.startsWith('...')) {
      finish(this.reply('+OK bye'));
      this.disconnect();
      return;
    }
    if (!this.authed) {
      if (verb === 'auth') {
        if (args === this.password) {
          this.authed = true;
          if (this.authTimer) this.sw.clock.clearTimer(this.authTimer);
          finish(this.reply('+OK accepted'));
        } else {
          finish(this.reply('-ERR invalid'));
          this.disconnect();
        }
        return;
      }
      if (verb === 'userauth') {
        const pass = args.slice(args.indexOf(':') + 1);
        if (args.includes(':') && pass === this.password) {
          this.authed = true;
          if (this.authTimer) this.sw.clock.clearTimer(this.authTimer);
          finish(this.reply('+OK accepted', [['Allowed-Events', 'ALL'], ['Allowed-API', 'ALL'], ['Allowed-LOG', 'true']]));
        } else {
          finish(this.reply('-ERR invalid'));
          this.disconnect();
        }
        return;
      }
      finish(this.reply('-ERR command not found'));
      return;
    }

    switch (verb) {
      case 'api': {
        const [command, arg] = splitFirst(args);
        executeApi(this.sw, command, arg, (body) => finish(apiResponseFrame(body)));
        return;
      }
      case 'bgapi': {
        const [command, arg] = splitFirst(args);
        const jobUuid = commandHeader(cmd, 'Job-UUID') || this.sw.random.uuid();
        finish(this.reply(`+OK Job-UUID: ${jobUuid}`, [['Job-UUID', jobUuid]]));
        const hasArg = args.includes(' ');
        executeApi(this.sw, command, arg, (body) => {
          this.sw.fire(this.sw.events.plain('BACKGROUND_JOB', {
            after: [
              ['Job-UUID', jobUuid],
              ['Job-Owner-UUID', this.session ?? ''],
              ['Job-Command', command],
              ...(hasArg ? [['Job-Command-Arg', arg] as [string, string]] : []),
            ],
            body,
          }));
        });
        return;
      }
      case 'event':
        finish(this.reply(this.subs.event(args)));
        return;
      case 'nixevent':
        finish(this.reply(this.subs.nixevent(args)));
        return;
      case 'noevents':
        this.dropPendingEvents();
        finish(this.reply(this.subs.noevents()));
        return;
      case 'filter':
        finish(this.reply(this.subs.filter(args)));
        return;
      case 'myevents':
        finish(this.reply(this.myevents(args)));
        return;
      case 'linger': {
        if (!this.session) {
          finish(this.reply('-ERR not controlling a session'));
          return;
        }
        const secs = Number.parseInt(args, 10);
        this.linger = Number.isFinite(secs) && secs > 0 ? secs : -1;
        finish(this.reply(this.linger > 0 ? `+OK will linger ${this.linger} seconds` : '+OK will linger'));
        return;
      }
      case 'nolinger':
        if (!this.session) {
          finish(this.reply('-ERR not controlling a session'));
          return;
        }
        this.linger = undefined;
        finish(this.reply('+OK will not linger'));
        return;
      case 'log': {
        const level = args.trim().toLowerCase() || 'debug';
        const n = LOG_LEVELS[level] ?? (Number.isFinite(Number(level)) ? Number(level) : 7);
        this.logLevel = n;
        finish(this.reply(`+OK log level ${level} [${n}]`));
        return;
      }
      case 'nolog':
        if (this.logLevel === undefined) finish(this.reply('-ERR not loging'));
        else {
          this.logLevel = undefined;
          finish(this.reply('+OK no longer logging'));
        }
        return;
      case 'sendevent': {
        finish(this.reply(`+OK ${this.sendevent(args, cmd)}`));
        return;
      }
      case 'sendmsg':
        this.sendmsg(args, cmd, finish);
        return;
      default:
        finish(this.reply('-ERR command not found'));
    }
  }

  private myevents(args: string): string {
    if (this.subs.myEvents) return '-ERR aready enabled.';
    const [uuid = '', format] = args.split(' ').filter((t) => t !== '');
    if (uuid === '') return '-ERR command not found';
    const known = this.sw.get(uuid);
    if (!known && format) return '-ERR invalid uuid';
    if (format && ['plain', 'json', 'xml'].includes(format.toLowerCase())) this.subs.format = format.toLowerCase() as 'plain' | 'json' | 'xml';
    this.subs.enableMyEvents(known ? uuid : null);
    if (known) this.session = uuid;
    return '+OK Events Enabled';
  }

  private sendevent(args: string, cmd: ClientCommand): string {
    const name = nameEvent(args.trim() || 'CUSTOM') ?? 'CUSTOM';
    const subclass = name === 'CUSTOM' ? commandHeader(cmd, 'Event-Subclass') : undefined;
    const uuid = this.sw.random.uuid();
    const extra = cmd.headers.filter(([n]) => n.toLowerCase() !== 'content-length' && n.toLowerCase() !== 'event-subclass' && n.toLowerCase() !== 'event-name');
    this.sw.fire(this.sw.events.plain(name, { subclass, after: [...extra, ['Event-UUID', uuid]], body: cmd.body }));
    return uuid;
  }

  private sendmsg(args: string, cmd: ClientCommand, finish: (frame?: string) => void): void {
    const uuid = args.trim() || commandHeader(cmd, 'session-id') || this.session || '';
    const ch = this.sw.get(uuid);
    if (!ch || this.sw.isDown(ch)) {
      finish(this.reply(`-ERR invalid session id [${uuid}]`));
      return;
    }
    finish(this.reply('+OK'));
    const callCommand = (commandHeader(cmd, 'call-command') ?? '').toLowerCase();
    if (callCommand === 'execute') {
      const app = commandHeader(cmd, 'execute-app-name') ?? '';
      const isTextBody = (commandHeader(cmd, 'content-type') ?? '').toLowerCase() === 'text/plain';
      const arg = commandHeader(cmd, 'execute-app-arg') ?? (isTextBody ? (cmd.body ?? '') : '');
      const appUuid = commandHeader(cmd, 'Event-UUID') || this.sw.random.uuid();
      const loops = Math.max(1, Number.parseInt(commandHeader(cmd, 'loops') ?? '1', 10) || 1);
      const run = (left: number): void => this.sw.execute(ch, app, arg, appUuid, left > 1 ? () => run(left - 1) : undefined);
      run(loops);
    } else if (callCommand === 'hangup') {
      this.sw.hangup(ch, normalizeCause(commandHeader(cmd, 'hangup-cause') ?? 'NORMAL_CLEARING') ?? 'NORMAL_CLEARING');
    } else if (callCommand === 'set') {
      const name = commandHeader(cmd, 'variable-name');
      if (name) setVariable(ch, name, commandHeader(cmd, 'variable-value'));
    }
  }

  // ---- output ---------------------------------------------------------------------------------------------------

  private onEvent(event: FsEvent): void {
    if (this.closed || !this.authed) return;
    if (this.session && event.name === 'CHANNEL_HANGUP' && headerOf(event, 'Unique-ID') === this.session) {
      this.sessionEnded(event);
      return;
    }
    if (!this.subs.wants(event)) return;
    const frame = eventFrame(event, this.subs.format);
    if (this.busy || this.congested || this.stalled || this.pending.length > 0) {
      if (this.pendingEvents >= this.limits.maxQueue) {
        if (++this.lost > this.limits.maxMissed) this.disconnect('killed listener because of lost events\n');
        return;
      }
      this.lost = 0;
      this.pending.push({ frame, event: true });
      this.pendingEvents++;
      return;
    }
    this.write(frame);
  }

  /** The controlled channel hung up: without linger the socket closes now; with linger, after Linger-Time. */
  private sessionEnded(event: FsEvent): void {
    const uuid = this.session!;
    if (this.subs.wants(event)) this.write(eventFrame(event, this.subs.format));
    if (this.linger === undefined) {
      this.disconnect();
      return;
    }
    this.writeRaw(lingerNoticeFrame(uuid, headerOf(event, 'Channel-Name') ?? '', this.linger));
    if (this.linger > 0) this.sw.clock.setTimer(this.linger * 1000, () => this.disconnect());
    this.session = undefined;
  }

  private flushPending(): void {
    while (!this.busy && !this.congested && !this.stalled && this.pending.length > 0 && !this.closed) {
      const next = this.pending.shift()!;
      if ('pieces' in next) this.writePieces(next.pieces);
      else {
        if (next.event) this.pendingEvents--;
        this.write(next.frame);
      }
    }
  }

  private dropPendingEvents(): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const p = this.pending[i]!;
      if (!('pieces' in p) && p.event) this.pending.splice(i, 1);
    }
    this.pendingEvents = 0;
  }

  /** A command's reply: written now, unless the socket is stalled (then it waits behind the queued output). */
  private writeReply(frame: string): void {
    if (this.stalled) this.pending.push({ frame, event: false });
    else this.write(frame);
  }

  /** A frame the fault plan held back and now releases. */
  private released(pieces: Array<string | Buffer>): void {
    if (this.stalled || this.congested) this.pending.push({ pieces });
    else this.writePieces(pieces);
  }

  /**
   * Fault injection: for `ms` of simulator time the listener writes nothing, as if the client stopped reading or the
   * network stalled: command replies wait too, and no further command is read. Events queue up to maxQueue; past
   * that they are lost, and after maxMissed lost events the listener is killed.
   */
  stall(ms: number): void {
    this.stalled = true;
    this.sw.clock.setTimer(ms, () => {
      this.stalled = false;
      this.flushPending();
      if (!this.closed) this.pump();
    });
  }

  private onDrain(): void {
    this.congested = false;
    this.flushPending();
  }

  private write(frame: string): void {
    if (this.closed) return;
    this.writePieces(this.faults.outgoing(this.id, frame));
  }

  private writePieces(pieces: Array<string | Buffer>): void {
    if (this.closed) return;
    for (const piece of pieces) {
      if (!this.socket.write(piece)) this.congested = true;
    }
  }

  /** Bypasses fault injection (disconnect notices). */
  private writeRaw(frame: string): void {
    if (this.closed) return;
    this.socket.write(frame);
  }
}

type Pending = { frame: string; event: boolean } | { pieces: Array<string | Buffer> };

function splitFirst(s: string): [string, string] {
  const i = s.indexOf(' ');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}
