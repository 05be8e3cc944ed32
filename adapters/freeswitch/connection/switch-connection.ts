// One FreeSWITCH, kept connected: reconnect with backoff and jitter, a HEARTBEAT watchdog, re-subscription after each
// connect, then a reconcile of our open calls against `show channels as json`. Events become SwitchFacts (stage 1).
import { LedgerlineError, isLedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { EslClient, type CloseReason } from '../esl/esl-client.ts';
import { type EslEvent, header } from '../esl/esl-event.ts';
import { type EslLogger, silentLogger } from '../esl/esl-logger.ts';
import type { SwitchFact } from '../translator/switch-facts.ts';
import { TRANSLATED_EVENT_NAMES, toSwitchFact } from '../translator/to-switch-fact.ts';
import { type BackoffOptions, DEFAULT_BACKOFF, backoffDelay } from './backoff.ts';
import { type LiveChannel, type OpenCallsSource, type ReconcileReport, diffChannels, parseShowChannels } from './reconcile.ts';

export interface SwitchConnectionOptions {
  /** Our id for this switch (default `host:port`). */
  readonly switchId?: string;
  readonly host: string;
  readonly port: number;
  readonly password: string;
  readonly commandTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly backoff?: Partial<BackoffOptions>;
  /** Randomness for the jitter, [0, 1). Inject a seeded one in tests. */
  readonly random?: () => number;
  /** FreeSWITCH's event-heartbeat-interval (20 s by default). */
  readonly heartbeatIntervalMs?: number;
  /** Missed heartbeats before the connection counts as dead (N × interval). 0 disables the watchdog. */
  readonly heartbeatMisses?: number;
  /** Event names to subscribe to (default: every name the translator understands). */
  readonly events?: readonly string[];
  /** CUSTOM subclasses, subscribed in a separate command (every token after CUSTOM is a subclass). */
  readonly customSubclasses?: readonly string[];
  /** How long to wait for the `bgapi status` that reveals the Core-UUID after a connect (default 2000 ms). */
  readonly coreUuidProbeTimeoutMs?: number;
  /** The engine's open calls; without it no reconcile runs. */
  readonly openCalls?: OpenCallsSource;
  /** Reads ledgerline_* variables of adopted channels with uuid_getvar (default true). */
  readonly readAdoptedVariables?: boolean;
  readonly onFact?: (fact: SwitchFact) => void;
  readonly onReconcile?: (report: ReconcileReport) => void;
  readonly onStateChange?: (state: ConnectionState, detail: Record<string, unknown>) => void;
  /** The engine's clock, epoch ms (reconcile reports carry it; default the wall clock). */
  readonly now?: () => number;
  readonly logger?: EslLogger;
}

export type ConnectionState = 'idle' | 'connecting' | 'ready' | 'waiting' | 'stopped';

/** Counters of what the connection ingested. */
export interface IngestStats {
  events: number;
  facts: number;
  ignored: Record<string, number>;
  malformedFrames: number;
  reconnects: number;
  reconciles: number;
  watchdogTrips: number;
}

/** Anything that can run ESL commands (a SwitchConnection; the gateway depends only on this). */
export interface EslCommander {
  readonly switchId: string;
  api(command: string, timeoutMs?: number): Promise<string>;
  bgapi(command: string, jobUuid: string, timeoutMs?: number): Promise<string>;
  command(line: string, headers?: Record<string, string> | null, timeoutMs?: number): Promise<string>;
}

/** A self-healing connection to one FreeSWITCH. */
export class SwitchConnection implements EslCommander {
  readonly switchId: string;
  readonly host: string;
  readonly port: number;
  readonly stats: IngestStats = { events: 0, facts: 0, ignored: {}, malformedFrames: 0, reconnects: 0, reconciles: 0, watchdogTrips: 0 };
  private readonly options: SwitchConnectionOptions;
  private readonly logger: EslLogger;
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  private client: EslClient | undefined;
  private currentState: ConnectionState = 'idle';
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private knownCoreUuid: string | undefined;
  private previousCoreUuid: string | undefined;
  private readyWaiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private connectedOnce = false;

  constructor(options: SwitchConnectionOptions) {
    this.options = options;
    this.host = options.host;
    this.port = options.port;
    this.switchId = options.switchId ?? `${options.host}:${options.port}`;
    this.logger = options.logger ?? silentLogger;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.random = options.random ?? Math.random;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The switch's Core-UUID, once an event told us. */
  get coreUuid(): string | undefined {
    return this.knownCoreUuid;
  }

  /** Starts connecting (and reconnecting until stop()). */
  start(): void {
    if (this.currentState !== 'idle' && this.currentState !== 'stopped') return;
    this.setState('connecting', {});
    void this.connectOnce();
  }

  /** Resolves when the connection is ready (subscribed and reconciled), or rejects after `timeoutMs`. */
  ready(timeoutMs = 10_000): Promise<void> {
    if (this.currentState === 'ready') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w.resolve !== done);
        reject(new LedgerlineError('ESL_DISCONNECTED', `${this.switchId} not ready after ${timeoutMs} ms`, { switchId: this.switchId }));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.readyWaiters.push({ resolve: done, reject });
    });
  }

  /** Stops for good: closes the socket, cancels timers; pending commands reject with ESL_DISCONNECTED. */
  stop(): void {
    this.setState('stopped', {});
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.clearWatchdog();
    this.client?.close('closed_by_us');
    this.client = undefined;
  }

  /** Drops the current socket as if it had died (the watchdog's action; also for tests and operators). */
  dropConnection(reason: CloseReason = 'dead'): void {
    this.client?.close(reason);
  }

  async api(command: string, timeoutMs?: number): Promise<string> {
    return this.live().api(command, timeoutMs ?? this.options.commandTimeoutMs);
  }

  async bgapi(command: string, jobUuid: string, timeoutMs?: number): Promise<string> {
    return this.live().bgapi(command, jobUuid, timeoutMs ?? this.options.commandTimeoutMs);
  }

  async command(line: string, headers: Record<string, string> | null = null, timeoutMs?: number): Promise<string> {
    return this.live().command(line, headers, timeoutMs ?? this.options.commandTimeoutMs);
  }

  /** Runs a reconcile now (also done after every connect). */
  async reconcile(): Promise<ReconcileReport | undefined> {
    const source = this.options.openCalls;
    if (!source) return undefined;
    const at = (this.options.now ?? Date.now)();
    // Our view first, then the switch's: a call that starts in between shows up as "adopted" (harmless: adoption is
    // idempotent through callIdForChannel), never as "ended" (which would end a live call).
    const believed = [...(await source.openChannels(this.switchId))];
    const live = parseShowChannels(await this.api('show channels as json'));
    const coreChanged = this.previousCoreUuid !== undefined && this.knownCoreUuid !== undefined && this.previousCoreUuid !== this.knownCoreUuid;
    const diff = diffChannels(believed, live);
    const adopted = this.options.readAdoptedVariables === false ? diff.adopted : await Promise.all(diff.adopted.map((c) => this.withVariables(c)));
    const report: ReconcileReport = { switchId: this.switchId, coreUuid: this.knownCoreUuid, coreChanged, ended: diff.ended, adopted, confirmed: diff.confirmed, at };
    this.stats.reconciles++;
    this.logger.info({ switchId: this.switchId, ended: report.ended.length, adopted: report.adopted.length, confirmed: report.confirmed.length, coreChanged }, 'esl: reconciled');
    this.options.onReconcile?.(report);
    return report;
  }

  // ---- internals ------------------------------------------------------------------------------------------------

  private live(): EslClient {
    const c = this.client;
    if (!c || c.closed || this.currentState === 'stopped') {
      throw new LedgerlineError('ESL_DISCONNECTED', `No connection to ${this.switchId}`, { switchId: this.switchId, state: this.currentState });
    }
    return c;
  }

  private async withVariables(c: LiveChannel): Promise<LiveChannel> {
    const get = async (name: string): Promise<string | undefined> => {
      try {
        const v = (await this.api(`uuid_getvar ${c.uuid} ${name}`)).trim();
        return v === '' || v === '_undef_' || v.startsWith('-ERR') || v.startsWith('-USAGE') ? undefined : v;
      } catch {
        return undefined;
      }
    };
    return { ...c, ledgerline: { callId: await get('ledgerline_call_id'), role: await get('ledgerline_role'), offerId: await get('ledgerline_offer_id') } };
  }

  /** Read through a method: the state changes across awaits, which TypeScript's narrowing does not see. */
  private stopped(): boolean {
    return this.currentState === 'stopped';
  }

  private setState(state: ConnectionState, detail: Record<string, unknown>): void {
    this.currentState = state;
    this.options.onStateChange?.(state, { switchId: this.switchId, ...detail });
  }

  private async connectOnce(): Promise<void> {
    if (this.currentState === 'stopped') return;
    this.setState('connecting', { attempt: this.attempt });
    let client: EslClient;
    try {
      client = await EslClient.connect({
        host: this.host,
        port: this.port,
        password: this.options.password,
        connectTimeoutMs: this.options.connectTimeoutMs,
        commandTimeoutMs: this.options.commandTimeoutMs,
        logger: this.logger,
        onEvent: (e) => this.onEvent(e),
      });
    } catch (err) {
      this.logger.warn({ switchId: this.switchId, err: String(err), code: (err as LedgerlineError).code }, 'esl: connect failed');
      this.scheduleRetry();
      return;
    }
    if (this.stopped()) {
      client.close('closed_by_us');
      return;
    }
    this.client = client;
    client.onClose((reason) => this.onClientClosed(client, reason));
    try {
      const names = [...new Set(this.options.events ?? TRANSLATED_EVENT_NAMES)].filter((n) => n.toUpperCase() !== 'CUSTOM');
      await client.command(`event json ${names.join(' ')}`);
      const subclasses = this.options.customSubclasses ?? ['callcenter::info'];
      if (subclasses.length > 0) await client.command(`event json CUSTOM ${subclasses.join(' ')}`);
      this.armWatchdog();
      // A BACKGROUND_JOB of ours tells us the Core-UUID even when no call is up. Not fatal: a delayed job must not
      // keep the connection from serving; the Core-UUID then comes with the next event.
      await client.bgapi('status', crypto.randomUUID(), this.options.coreUuidProbeTimeoutMs ?? 2000).catch((err: unknown) => {
        this.logger.warn({ switchId: this.switchId, err: String(err) }, 'esl: no Core-UUID probe result; continuing');
      });
      if (this.connectedOnce) this.stats.reconnects++;
      this.connectedOnce = true;
      await this.reconcile().catch((err: unknown) => {
        // A switch-side failure (show channels timed out, garbage body) means the socket is not healthy: reconnect.
        // An engine-side failure (the OpenCallsSource threw) must not cut the switch off: logged, retried next connect.
        if (isLedgerlineError(err) && err.code.startsWith('ESL_')) throw err;
        if (err instanceof SyntaxError) throw err;
        this.logger.error({ switchId: this.switchId, err: String(err) }, 'esl: reconcile failed on the engine side');
      });
    } catch (err) {
      this.logger.warn({ switchId: this.switchId, err: String(err) }, 'esl: subscribe or reconcile failed; reconnecting');
      client.close('dead');
      return;
    }
    if (client.closed) return;
    this.attempt = 0;
    this.previousCoreUuid = this.knownCoreUuid;
    this.setState('ready', { coreUuid: this.knownCoreUuid });
    for (const w of this.readyWaiters.splice(0)) w.resolve();
  }

  private onClientClosed(client: EslClient, reason: CloseReason): void {
    this.stats.malformedFrames += client.malformedFrames;
    if (this.client === client) this.client = undefined;
    this.clearWatchdog();
    if (this.currentState === 'stopped') return;
    this.logger.warn({ switchId: this.switchId, reason }, 'esl: connection lost');
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.currentState === 'stopped') return;
    const delay = backoffDelay(this.attempt, this.backoff, this.random);
    this.attempt++;
    this.setState('waiting', { delayMs: delay, attempt: this.attempt });
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connectOnce(), delay);
  }

  private onEvent(event: EslEvent): void {
    this.stats.events++;
    const core = header(event, 'Core-UUID');
    if (core !== undefined) this.knownCoreUuid = core;
    const fact = toSwitchFact(event, { switchId: this.switchId, coreUuid: this.knownCoreUuid, receivedAt: Date.now() });
    if (fact.kind === 'heartbeat') this.armWatchdog();
    if (fact.kind === 'ignored') {
      this.stats.ignored[fact.eventName] = (this.stats.ignored[fact.eventName] ?? 0) + 1;
      return;
    }
    this.stats.facts++;
    try {
      this.options.onFact?.(fact);
    } catch (err) {
      this.logger.error({ switchId: this.switchId, err: String(err), kind: fact.kind }, 'esl: fact handler threw');
    }
  }

  private armWatchdog(): void {
    this.clearWatchdog();
    const misses = this.options.heartbeatMisses ?? 3;
    if (misses <= 0) return;
    const ms = (this.options.heartbeatIntervalMs ?? 20_000) * misses;
    this.watchdog = setTimeout(() => {
      this.stats.watchdogTrips++;
      this.logger.warn({ switchId: this.switchId, silentMs: ms }, 'esl: no HEARTBEAT; treating the connection as dead');
      this.client?.close('dead');
    }, ms);
  }

  private clearWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }
}
