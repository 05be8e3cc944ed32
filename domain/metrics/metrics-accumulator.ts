import { LedgerlineError } from '../errors/ledgerline-error.ts';
import { MetricRecordsFolder, type AnyEvent, type MetricsEvent } from './contacts-from-events.ts';
import { computeMetrics, type MetricRecords, type MetricsOptions, type MetricsSnapshot } from './metrics-snapshot.ts';

/** Options of a live accumulator: the metric options plus how long records are kept. */
export interface MetricsAccumulatorOptions extends MetricsOptions {
  /**
   * Records whose every time is older than the latest event time minus this are forgotten (default 26 h: a
   * since-midnight window is at most 25 h long). Snapshots at `now` ≥ the latest event time are exact for any window
   * shorter than this.
   */
  readonly retainMs?: number;
}

const DEFAULT_RETAIN_MS = 26 * 3_600_000;
const PRUNE_EVERY_MS = 60_000;

/**
 * Incremental form of the metrics for live dashboards: `apply` folds one event in O(1), `snapshot(now)` computes
 * the metrics over the records kept. `snapshot(now)` equals computeMetrics(recordsFromEvents(all events), now).
 */
export class MetricsAccumulator {
  private readonly folder = new MetricRecordsFolder();
  private readonly options: MetricsAccumulatorOptions;
  private latestAt = -Infinity;
  private prunedAt = -Infinity;

  private constructor(options: MetricsAccumulatorOptions) {
    this.options = options;
  }

  /** An accumulator that has seen no event. */
  static empty(options: MetricsAccumulatorOptions): MetricsAccumulator {
    const retain = options.retainMs ?? DEFAULT_RETAIN_MS;
    if (!(retain > 0)) throw new LedgerlineError('METRICS_INPUT_INVALID', 'retainMs must be positive', { retainMs: retain });
    return new MetricsAccumulator(options);
  }

  /** Folds one call or agent event in (other event types are ignored). Returns this accumulator. */
  apply(event: MetricsEvent | AnyEvent): this {
    this.folder.apply(event);
    const at = (event.data as { at?: unknown } | undefined)?.at;
    if (typeof at === 'number' && at > this.latestAt) {
      this.latestAt = at;
      if (at - this.prunedAt >= PRUNE_EVERY_MS) {
        this.folder.prune(at - (this.options.retainMs ?? DEFAULT_RETAIN_MS));
        this.prunedAt = at;
      }
    }
    return this;
  }

  /** The metrics at `now` (epoch ms) over the configured window. */
  snapshot(now: number): MetricsSnapshot {
    return computeMetrics(this.folder.records(), now, this.options);
  }

  /** The records currently kept (for projections that store them). */
  records(): MetricRecords {
    return this.folder.records();
  }
}

/** Batch form: the metrics at `now` from a whole event sequence. */
export function metricsFromEvents(events: Iterable<MetricsEvent | AnyEvent>, now: number, options: MetricsOptions): MetricsSnapshot {
  const folder = new MetricRecordsFolder();
  for (const e of events) folder.apply(e);
  return computeMetrics(folder.records(), now, options);
}
