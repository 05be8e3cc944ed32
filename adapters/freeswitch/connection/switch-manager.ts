// Several FreeSWITCH boxes at once: one SwitchConnection per configured host, each known by our switch id
// (`host:port`, stable) and by its Core-UUID (learned from its events). Commands route to the call's switch.
import { LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import type { EslLogger } from '../esl/esl-logger.ts';
import type { SwitchFact } from '../translator/switch-facts.ts';
import type { OpenCallsSource, ReconcileReport } from './reconcile.ts';
import { type ConnectionState, SwitchConnection, type SwitchConnectionOptions } from './switch-connection.ts';

/** One configured switch. */
export interface SwitchAddress {
  readonly host: string;
  readonly port: number;
}

/** Parses ESL_HOSTS (`host:port,host:port`, validated by infra/config/config.ts). */
export function parseEslHosts(value: string | undefined): SwitchAddress[] {
  if (!value) return [];
  return value.split(',').map((hp) => {
    const i = hp.lastIndexOf(':');
    return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
  });
}

export interface SwitchManagerOptions extends Omit<SwitchConnectionOptions, 'host' | 'port' | 'switchId' | 'onFact' | 'onReconcile' | 'onStateChange' | 'openCalls'> {
  readonly switches: readonly SwitchAddress[];
  readonly openCalls?: OpenCallsSource;
  /** Every fact of every switch (fact.switchId tells which). */
  readonly onFact?: (fact: SwitchFact) => void;
  readonly onReconcile?: (report: ReconcileReport) => void;
  readonly onStateChange?: (switchId: string, state: ConnectionState, detail: Record<string, unknown>) => void;
  readonly logger?: EslLogger;
}

/** Holds one connection per switch. */
export class SwitchManager {
  private readonly connections = new Map<string, SwitchConnection>();

  constructor(options: SwitchManagerOptions) {
    for (const address of options.switches) {
      const switchId = `${address.host}:${address.port}`;
      const conn = new SwitchConnection({
        ...options,
        switchId,
        host: address.host,
        port: address.port,
        onFact: options.onFact,
        onReconcile: options.onReconcile,
        onStateChange: (state, detail) => options.onStateChange?.(switchId, state, detail),
      });
      this.connections.set(switchId, conn);
    }
  }

  /** From the process configuration (ESL_HOSTS, ESL_PASSWORD, ESL_COMMAND_TIMEOUT_MS). */
  static fromConfig(
    config: { readonly ESL_HOSTS?: string; readonly ESL_PASSWORD: string; readonly ESL_COMMAND_TIMEOUT_MS: number },
    rest: Omit<SwitchManagerOptions, 'switches' | 'password'> = {},
  ): SwitchManager {
    return new SwitchManager({ ...rest, switches: parseEslHosts(config.ESL_HOSTS), password: config.ESL_PASSWORD, commandTimeoutMs: config.ESL_COMMAND_TIMEOUT_MS });
  }

  /** Starts every connection; resolves when all are ready or `timeoutMs` passed (those not ready keep retrying). */
  async start(timeoutMs = 10_000): Promise<{ ready: string[]; notReady: string[] }> {
    for (const c of this.connections.values()) c.start();
    const results = await Promise.allSettled([...this.connections.values()].map((c) => c.ready(timeoutMs).then(() => c.switchId)));
    const ready: string[] = [];
    const notReady: string[] = [];
    results.forEach((r, i) => (r.status === 'fulfilled' ? ready.push(r.value) : notReady.push([...this.connections.keys()][i]!)));
    return { ready, notReady };
  }

  stop(): void {
    for (const c of this.connections.values()) c.stop();
  }

  /** Every switch id, in configuration order. */
  switchIds(): string[] {
    return [...this.connections.keys()];
  }

  /** The connection of a switch, by our id or by its Core-UUID. Throws ESL_UNKNOWN_SWITCH. */
  connection(switchIdOrCoreUuid: string): SwitchConnection {
    const byId = this.connections.get(switchIdOrCoreUuid);
    if (byId) return byId;
    for (const c of this.connections.values()) if (c.coreUuid === switchIdOrCoreUuid) return c;
    throw new LedgerlineError('ESL_UNKNOWN_SWITCH', `No connection to switch ${switchIdOrCoreUuid}`, { switch: switchIdOrCoreUuid, known: this.switchIds() });
  }

  /** Each switch's id, Core-UUID and state. */
  status(): Array<{ switchId: string; coreUuid: string | undefined; state: ConnectionState }> {
    return [...this.connections.values()].map((c) => ({ switchId: c.switchId, coreUuid: c.coreUuid, state: c.state }));
  }
}
