import type { MetricsRegistry } from './registry.ts';

/** One labelled value of a gauge source. */
export interface GaugeSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * A figure another part of the process owns, read at scrape time. `read` returns one value, or one value per label
 * set (then `labelNames` lists the labels, e.g. `['projection']`). A failing read leaves the gauge without samples
 * for that scrape (never a stale value), and the scrape itself still succeeds.
 */
export interface GaugeSource {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
  readonly read: () => number | readonly GaugeSample[] | Promise<number | readonly GaugeSample[]>;
}

/** The names of the process gauges the issue asks for, so serve and dashboards agree on them. */
export const PROCESS_GAUGES = {
  projectionLag: { name: 'ledgerline_projection_lag_events', help: 'Events in the log not yet applied, per projection', labelNames: ['projection'] },
  eslEventsPerSecond: { name: 'ledgerline_esl_events_per_second', help: 'FreeSWITCH ESL events received per second, per switch', labelNames: ['switch'] },
  activeCalls: { name: 'ledgerline_active_calls', help: 'Calls in progress (the active_calls read model)', labelNames: [] },
} as const;

/** What `processGauges` turns into gauge sources; each is optional. */
export interface ProcessGaugeReaders {
  readonly projectionLag?: GaugeSource['read'];
  readonly eslEventsPerSecond?: GaugeSource['read'];
  readonly activeCalls?: GaugeSource['read'];
}

/** The standard process gauges (projection lag, ESL events/s, active calls) from the readers the process has. */
export function processGauges(readers: ProcessGaugeReaders): GaugeSource[] {
  return (Object.keys(PROCESS_GAUGES) as (keyof typeof PROCESS_GAUGES)[]).flatMap((k) => {
    const read = readers[k];
    return read ? [{ ...PROCESS_GAUGES[k], read }] : [];
  });
}

/** Registers each source as a gauge on `registry`, read at every scrape. */
export function registerGaugeSources(registry: MetricsRegistry, sources: readonly GaugeSource[]): void {
  for (const source of sources) {
    registry.gauge({
      name: source.name,
      help: source.help,
      labelNames: source.labelNames ?? [],
      collect: async (gauge) => {
        gauge.clear();
        const value = await source.read();
        if (typeof value === 'number') gauge.set(value);
        else for (const s of value) gauge.set(s.value, s.labels);
      },
    });
  }
}
