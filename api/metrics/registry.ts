/*
 * A small metrics registry rendering the Prometheus text exposition format (version 0.0.4). Counters, gauges and
 * histograms with labels; a gauge may also have a `collect` callback run at scrape time, which is how modules that
 * own a figure (projection lag, ESL events/s, active calls) expose it without pushing updates.
 */

type Labels = Readonly<Record<string, string | number>>;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function labelText(names: readonly string[], values: readonly string[], extra?: [string, string]): string {
  const parts = names.map((n, i) => `${n}="${escapeLabel(values[i]!)}"`);
  if (extra) parts.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** Options every metric takes. */
export interface MetricOptions {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
}

abstract class Metric {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  abstract readonly kind: 'counter' | 'gauge' | 'histogram';

  constructor(o: MetricOptions) {
    if (!NAME.test(o.name)) throw new Error(`invalid metric name: ${o.name}`);
    for (const l of o.labelNames ?? []) if (!LABEL.test(l) || l === 'le') throw new Error(`invalid label name on ${o.name}: ${l}`);
    this.name = o.name;
    this.help = o.help;
    this.labelNames = o.labelNames ?? [];
  }

  protected key(labels: Labels = {}): { key: string; values: string[] } {
    const extra = Object.keys(labels).find((k) => !this.labelNames.includes(k));
    if (extra !== undefined) throw new Error(`${this.name}: unknown label ${extra}`);
    const values = this.labelNames.map((n) => String(labels[n] ?? ''));
    return { key: JSON.stringify(values), values };
  }

  abstract samples(): Promise<string[]> | string[];

  async render(): Promise<string> {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.kind}`, ...(await this.samples())];
    return lines.join('\n');
  }
}

/** A monotonically increasing count. */
export class Counter extends Metric {
  readonly kind = 'counter';
  readonly #values = new Map<string, { values: string[]; value: number }>();

  /** Adds `by` (default 1, never negative) to the series `labels` names. */
  inc(labels?: Labels, by = 1): void {
    if (!(by >= 0)) throw new Error(`${this.name}: a counter only goes up`);
    const { key, values } = this.key(labels);
    const cur = this.#values.get(key) ?? { values, value: 0 };
    cur.value += by;
    this.#values.set(key, cur);
  }

  /** The current value of one series (0 when never incremented). */
  get(labels?: Labels): number {
    return this.#values.get(this.key(labels).key)?.value ?? 0;
  }

  samples(): string[] {
    return [...this.#values.values()].map((s) => `${this.name}${labelText(this.labelNames, s.values)} ${formatValue(s.value)}`);
  }
}

/** A value that goes up and down; set directly, or read at scrape time through `collect`. */
export class Gauge extends Metric {
  readonly kind = 'gauge';
  readonly #values = new Map<string, { values: string[]; value: number }>();
  readonly #collect: ((gauge: Gauge) => void | Promise<void>) | undefined;

  constructor(o: MetricOptions & { collect?: (gauge: Gauge) => void | Promise<void> }) {
    super(o);
    this.#collect = o.collect;
  }

  set(value: number, labels?: Labels): void {
    const { key, values } = this.key(labels);
    this.#values.set(key, { values, value });
  }

  inc(labels?: Labels, by = 1): void {
    const { key, values } = this.key(labels);
    const cur = this.#values.get(key) ?? { values, value: 0 };
    cur.value += by;
    this.#values.set(key, cur);
  }

  dec(labels?: Labels, by = 1): void {
    this.inc(labels, -by);
  }

  /** Forgets every series (a collector that reports the full set each scrape drops series that went away). */
  clear(): void {
    this.#values.clear();
  }

  get(labels?: Labels): number | undefined {
    return this.#values.get(this.key(labels).key)?.value;
  }

  async samples(): Promise<string[]> {
    // A failing collector must not break the scrape: the gauge keeps its last values.
    if (this.#collect) await Promise.resolve().then(() => this.#collect!(this)).catch(() => undefined);
    return [...this.#values.values()].map((s) => `${this.name}${labelText(this.labelNames, s.values)} ${formatValue(s.value)}`);
  }
}

/** Default latency buckets in seconds: 1 ms to 10 s. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Observations counted into cumulative buckets, with their sum and count. */
export class Histogram extends Metric {
  readonly kind = 'histogram';
  readonly buckets: readonly number[];
  readonly #series = new Map<string, { values: string[]; counts: number[]; sum: number; count: number }>();

  constructor(o: MetricOptions & { buckets?: readonly number[] }) {
    super(o);
    const b = [...(o.buckets ?? LATENCY_BUCKETS)];
    if (b.some((x, i) => i > 0 && x <= b[i - 1]!)) throw new Error(`${o.name}: buckets must increase`);
    this.buckets = b;
  }

  observe(value: number, labels?: Labels): void {
    const { key, values } = this.key(labels);
    const s = this.#series.get(key) ?? { values, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]! += 1;
    s.sum += value;
    s.count += 1;
    this.#series.set(key, s);
  }

  /** How many observations one series holds. */
  count(labels?: Labels): number {
    return this.#series.get(this.key(labels).key)?.count ?? 0;
  }

  samples(): string[] {
    const out: string[] = [];
    for (const s of this.#series.values()) {
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket${labelText(this.labelNames, s.values, ['le', formatValue(b)])} ${s.counts[i]}`));
      out.push(`${this.name}_bucket${labelText(this.labelNames, s.values, ['le', '+Inf'])} ${s.count}`);
      out.push(`${this.name}_sum${labelText(this.labelNames, s.values)} ${formatValue(s.sum)}`);
      out.push(`${this.name}_count${labelText(this.labelNames, s.values)} ${s.count}`);
    }
    return out;
  }
}

/**
 * The process's metrics. Other modules register theirs on the same registry (pass it to `build` as `deps.metrics`):
 * `registry.gauge({ name: 'ledgerline_projection_lag_events', help: '…', labelNames: ['projection'], collect: (g) => … })`.
 */
export class MetricsRegistry {
  readonly #metrics = new Map<string, Metric>();

  counter(o: MetricOptions): Counter {
    return this.#register(new Counter(o));
  }

  gauge(o: MetricOptions & { collect?: (gauge: Gauge) => void | Promise<void> }): Gauge {
    return this.#register(new Gauge(o));
  }

  histogram(o: MetricOptions & { buckets?: readonly number[] }): Histogram {
    return this.#register(new Histogram(o));
  }

  /** The metric registered under `name`, if any. */
  get(name: string): Counter | Gauge | Histogram | undefined {
    return this.#metrics.get(name) as Counter | Gauge | Histogram | undefined;
  }

  /** Every metric in the Prometheus text format, in registration order. */
  async render(): Promise<string> {
    const blocks = await Promise.all([...this.#metrics.values()].map((m) => m.render()));
    return blocks.join('\n') + '\n';
  }

  #register<M extends Metric>(metric: M): M {
    if (this.#metrics.has(metric.name)) throw new Error(`metric registered twice: ${metric.name}`);
    this.#metrics.set(metric.name, metric);
    return metric;
  }
}

/** The Content-Type of the text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
