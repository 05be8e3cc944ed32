// One authenticated inbound ESL socket through modesl 1.2.1, wrapped so modesl's defects cannot hurt the process:
// the parser runs inside a try/catch (URIError, stack overflow), an `error` listener is always attached, the socket's
// own `close` rejects every pending command, each command has its own timeout, bgapi uses our Job-UUIDs and our own
// BACKGROUND_JOB routing, and execute() is never used. A malformed frame desynchronises modesl's parser for good
// (it splits on the next blank line), so it is logged with its raw bytes and the socket is dropped; the owner reconnects.
import type { Socket } from 'node:net';
import esl, { type ModeslConnection, type ModeslEvent } from 'modesl';
import { LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { type EslEvent, header, headerValueToString } from './esl-event.ts';
import { type EslLogger, silentLogger } from './esl-logger.ts';

export interface EslClientOptions {
  readonly host: string;
  readonly port: number;
  readonly password: string;
  /** TCP connect plus authentication. */
  readonly connectTimeoutMs?: number;
  /** Default timeout of api/bgapi/command. */
  readonly commandTimeoutMs?: number;
  readonly logger?: EslLogger;
  /** Every event (text/event-json) in arrival order. */
  readonly onEvent?: (event: EslEvent) => void;
  /** How many received bytes to keep for malformed-frame logs. */
  readonly rawTailBytes?: number;
}

/** Why a client closed. */
export type CloseReason = 'closed_by_us' | 'socket_closed' | 'malformed_frame' | 'auth_failed' | 'connect_timeout' | 'killed_by_switch' | 'dead';

interface Pending {
  readonly reject: (e: LedgerlineError) => void;
  readonly timer: NodeJS.Timeout;
}

const EVENT_TYPES = new Set(['text/event-json', 'text/event-plain', 'text/event-xml']);
const KNOWN_TYPES = new Set([...EVENT_TYPES, 'auth/request', 'command/reply', 'api/response', 'text/disconnect-notice', 'log/data', 'text/rude-rejection']);

/** A live connection; create with EslClient.connect. */
export class EslClient {
  readonly host: string;
  readonly port: number;
  private readonly conn: ModeslConnection;
  private readonly socket: Socket;
  private readonly logger: EslLogger;
  private readonly commandTimeoutMs: number;
  private readonly rawTailBytes: number;
  private readonly pending = new Set<Pending>();
  private readonly jobs = new Map<string, { resolve: (body: string) => void; pending: Pending }>();
  /** bgapi commands in flight by Job-UUID, so a retry of one joins it. */
  private readonly jobPromises = new Map<string, Promise<string>>();
  private readonly closeListeners = new Set<(reason: CloseReason) => void>();
  private readonly eventListeners = new Set<(event: EslEvent) => void>();
  private rawTail: Buffer[] = [];
  private rawTailSize = 0;
  private closeReason: CloseReason | undefined;
  private isClosed = false;
  /** Frames that could not be parsed, over the life of this socket. */
  malformedFrames = 0;

  private constructor(options: EslClientOptions, conn: ModeslConnection, socket: Socket) {
    this.host = options.host;
    this.port = options.port;
    this.conn = conn;
    this.socket = socket;
    this.logger = options.logger ?? silentLogger;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 5000;
    this.rawTailBytes = options.rawTailBytes ?? 16 * 1024;
    if (options.onEvent) this.eventListeners.add(options.onEvent);
  }

  /** Connects, authenticates and resolves once FreeSWITCH accepted the password. */
  static connect(options: EslClientOptions): Promise<EslClient> {
    const logger = options.logger ?? silentLogger;
    return new Promise<EslClient>((resolve, reject) => {
      let settled = false;
      const conn = new esl.Connection(options.host, options.port, options.password);
      const socket = conn.socket!;
      // modesl writes a command in pieces (line, headers, blank line): with Nagle on, every piece after the first waits
      // for the switch's delayed ACK (≈ 40 ms on Linux), so each command took 40 ms on loopback.
      socket.setNoDelay(true);
      const client = new EslClient(options, conn, socket);
      const fail = (e: LedgerlineError, reason: CloseReason): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.shutdown(reason);
        reject(e);
      };
      const timer = setTimeout(
        () => fail(new LedgerlineError('ESL_TIMEOUT', `No ESL greeting and authentication from ${options.host}:${options.port}`, { host: options.host, port: options.port }), 'connect_timeout'),
        options.connectTimeoutMs ?? 5000,
      );
      client.attach();
      conn.once('esl::ready', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(client);
      });
      conn.once('esl::event::auth::fail', () => fail(new LedgerlineError('ESL_AUTH_FAILED', undefined, { host: options.host, port: options.port }), 'auth_failed'));
      client.onClose((reason) => {
        if (settled) return;
        logger.warn({ host: options.host, port: options.port, reason }, 'esl: socket closed before authentication');
        fail(new LedgerlineError('ESL_DISCONNECTED', `Cannot connect to ${options.host}:${options.port}`, { host: options.host, port: options.port, reason }), reason);
      });
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Runs `fn` once when the socket is gone (immediately if it already is). */
  onClose(fn: (reason: CloseReason) => void): void {
    if (this.isClosed) fn(this.closeReason ?? 'socket_closed');
    else this.closeListeners.add(fn);
  }

  /** Adds an event listener; returns its removal. */
  onEvent(fn: (event: EslEvent) => void): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  /** `api <command>`: resolves with the api/response body (errors in the body are the caller's to interpret). */
  async api(command: string, timeoutMs = this.commandTimeoutMs): Promise<string> {
    assertSingleLine(command);
    return this.track(`api ${command}`, timeoutMs, (resolve) => this.conn.api(command, '', (reply) => resolve(reply.getBody() ?? '')));
  }

  /** A command answered by command/reply (event, filter, sendmsg…): resolves with Reply-Text. */
  async command(line: string, headers: Record<string, string> | null = null, timeoutMs = this.commandTimeoutMs): Promise<string> {
    assertSingleLine(line);
    for (const [k, v] of Object.entries(headers ?? {})) assertSingleLine(`${k}: ${v}`);
    return this.track(line, timeoutMs, (resolve) => this.conn.sendRecv(line, headers, (reply) => resolve(reply.getHeader('Reply-Text') ?? '')));
  }

  /**
   * `bgapi <command>` with our Job-UUID: resolves with the BACKGROUND_JOB body. A `-ERR` command/reply (e.g. a
   * rejected command) rejects at once. The timeout covers both the reply and the job.
   */
  async bgapi(command: string, jobUuid: string, timeoutMs = this.commandTimeoutMs): Promise<string> {
    assertSingleLine(command);
    assertSingleLine(jobUuid);
    if (this.isClosed) throw this.disconnected(`bgapi ${command}`);
    // The same Job-UUID again while the first is out is the same command retried: it shares the first one's result
    // (sending it twice would leave the first waiter without its BACKGROUND_JOB until it timed out).
    const inFlight = this.jobPromises.get(jobUuid);
    if (inFlight) return await inFlight;
    const job = this.sendBgapi(command, jobUuid, timeoutMs);
    this.jobPromises.set(jobUuid, job);
    try {
      return await job;
    } finally {
      this.jobPromises.delete(jobUuid);
    }
  }

  private sendBgapi(command: string, jobUuid: string, timeoutMs: number): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const pending: Pending = {
        reject: (e) => {
          this.jobs.delete(jobUuid);
          this.pending.delete(pending);
          reject(e);
        },
        timer: setTimeout(() => pending.reject(new LedgerlineError('ESL_TIMEOUT', `No result of bgapi ${firstWord(command)} in ${timeoutMs} ms`, { command: firstWord(command), jobUuid, timeoutMs })), timeoutMs),
      };
      this.pending.add(pending);
      this.jobs.set(jobUuid, {
        resolve: (body) => {
          clearTimeout(pending.timer);
          this.pending.delete(pending);
          this.jobs.delete(jobUuid);
          resolve(body);
        },
        pending,
      });
      this.conn.sendRecv(`bgapi ${command}`, { 'Job-UUID': jobUuid }, (reply) => {
        const text = reply.getHeader('Reply-Text') ?? '';
        if (!text.startsWith('+OK') && this.jobs.has(jobUuid)) {
          clearTimeout(pending.timer);
          pending.reject(new LedgerlineError('ESL_COMMAND_FAILED', `bgapi refused: ${text}`, { command: firstWord(command), jobUuid, reply: text }));
        }
      });
    });
  }

  /** Closes the socket (pending commands are rejected with ESL_DISCONNECTED). */
  close(reason: CloseReason = 'closed_by_us'): void {
    this.shutdown(reason);
  }

  // ---- internals ------------------------------------------------------------------------------------------------

  private track(what: string, timeoutMs: number, send: (resolve: (v: string) => void) => void): Promise<string> {
    if (this.isClosed) return Promise.reject(this.disconnected(what));
    return new Promise<string>((resolve, reject) => {
      let done = false;
      const pending: Pending = {
        reject: (e) => {
          if (done) return;
          done = true;
          clearTimeout(pending.timer);
          this.pending.delete(pending);
          reject(e);
        },
        timer: setTimeout(() => pending.reject(new LedgerlineError('ESL_TIMEOUT', `No reply to ${firstWord(what)} in ${timeoutMs} ms`, { command: commandName(what), timeoutMs })), timeoutMs),
      };
      this.pending.add(pending);
      // A late reply after a timeout still lands on this (settled) callback, so modesl's FIFO stays aligned.
      send((value) => {
        if (done) return;
        done = true;
        clearTimeout(pending.timer);
        this.pending.delete(pending);
        resolve(value);
      });
    });
  }

  private disconnected(what: string): LedgerlineError {
    return new LedgerlineError('ESL_DISCONNECTED', `ESL connection to ${this.host}:${this.port} is closed`, { command: commandName(what), host: this.host, port: this.port });
  }

  private attach(): void {
    const conn = this.conn;
    // EventEmitter2 throws on an unhandled 'error'; modesl also emits JSON parse failures here.
    conn.on('error', (err: unknown) => {
      if (err instanceof SyntaxError) this.malformed('invalid JSON event body', err);
      else this.logger.warn({ host: this.host, port: this.port, err: String(err) }, 'esl: socket error');
    });
    this.socket.on('error', () => {});
    this.socket.on('close', () => this.shutdown(this.closeReason ?? 'socket_closed'));
    conn.once('esl::connect', () => {
      this.guardParser();
      // Every parsed frame exactly once, straight from modesl's parser (no wildcard routing, no internal re-emits).
      (conn as unknown as { parser: NodeJS.EventEmitter }).parser.on('esl::event', (event: ModeslEvent, headers: Record<string, unknown> | undefined) => this.onFrame(event, headers));
    });
  }

  /** Replaces the parser's socket 'data' listener with a guarded one that also keeps the last raw bytes. */
  private guardParser(): void {
    const originals = this.socket.listeners('data') as Array<(chunk: Buffer) => void>;
    this.socket.removeAllListeners('data');
    this.socket.on('data', (chunk: Buffer) => {
      this.keepRaw(chunk);
      if (this.isClosed) return;
      for (const listener of originals) {
        try {
          listener.call(this.socket, chunk);
        } catch (err) {
          this.malformed(err instanceof URIError ? 'invalid percent-encoding in a header' : 'parser failure', err);
          return;
        }
      }
    });
  }

  private onFrame(event: ModeslEvent, headers: Record<string, unknown> | undefined): void {
    const contentType = typeof headers?.['Content-Type'] === 'string' ? (headers['Content-Type'] as string) : undefined;
    if (contentType === undefined || !KNOWN_TYPES.has(contentType)) {
      this.malformed(`frame without a known Content-Type (${String(contentType)})`);
      return;
    }
    if (contentType === 'text/disconnect-notice') {
      const text = event.getBody() ?? '';
      this.logger.warn({ host: this.host, port: this.port, text }, 'esl: disconnect notice');
      if (/lost events/.test(text)) this.closeReason = 'killed_by_switch';
      return;
    }
    if (contentType === 'text/rude-rejection') {
      this.logger.error({ host: this.host, port: this.port }, 'esl: rejected by the switch ACL');
      return;
    }
    if (!EVENT_TYPES.has(contentType)) return;
    if (contentType !== 'text/event-json') {
      this.logger.warn({ contentType }, 'esl: unexpected event format (only json is subscribed)');
    }
    const eventName = event.getHeader('Event-Name');
    if (!eventName) {
      this.malformed('event without Event-Name');
      return;
    }
    const values = new Map<string, string>();
    for (const h of event.headers) values.set(h.name, typeof h.value === 'string' ? h.value : headerValueToString(h.value));
    const out: EslEvent = { headers: values, body: event.getBody() ?? '' };
    if (eventName === 'BACKGROUND_JOB') {
      const job = this.jobs.get(header(out, 'Job-UUID') ?? '');
      if (job) job.resolve(out.body);
    }
    for (const fn of this.eventListeners) {
      try {
        fn(out);
      } catch (err) {
        this.logger.error({ err: String(err), eventName }, 'esl: event listener threw');
      }
    }
  }

  private keepRaw(chunk: Buffer): void {
    this.rawTail.push(chunk);
    this.rawTailSize += chunk.length;
    while (this.rawTail.length > 1 && this.rawTailSize - this.rawTail[0]!.length >= this.rawTailBytes) {
      this.rawTailSize -= this.rawTail.shift()!.length;
    }
  }

  private malformed(what: string, err?: unknown): void {
    if (this.isClosed) return;
    this.malformedFrames++;
    const raw = Buffer.concat(this.rawTail).subarray(-this.rawTailBytes);
    this.logger.error(
      { host: this.host, port: this.port, err: err === undefined ? undefined : String(err), rawBytes: raw.toString('latin1'), rawLength: raw.length },
      `esl: malformed frame (${what}); dropping the connection to resynchronise`,
    );
    this.shutdown('malformed_frame');
  }

  private shutdown(reason: CloseReason): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closeReason ??= reason;
    this.socket.destroy();
    for (const p of [...this.pending]) {
      clearTimeout(p.timer);
      p.reject(new LedgerlineError('ESL_DISCONNECTED', `ESL connection to ${this.host}:${this.port} closed (${this.closeReason})`, { host: this.host, port: this.port, reason: this.closeReason }));
    }
    this.pending.clear();
    this.jobs.clear();
    for (const fn of [...this.closeListeners]) {
      try {
        fn(this.closeReason);
      } catch (err) {
        this.logger.error({ err: String(err) }, 'esl: close listener threw');
      }
    }
    this.closeListeners.clear();
  }
}

function firstWord(s: string): string {
  const i = s.indexOf(' ');
  return i < 0 ? s : s.slice(0, i);
}

/** `api uuid_kill …` → `api uuid_kill` (never the arguments: they may hold caller data). */
function commandName(what: string): string {
  return what.split(' ').slice(0, 2).join(' ');
}

/** A newline would end the ESL command early and let the rest be read as another command (injection). */
function assertSingleLine(s: string): void {
  if (/[\r\n]/.test(s)) throw new LedgerlineError('ESL_INVALID_ARGUMENT', 'An ESL command cannot contain a line break', {});
}
