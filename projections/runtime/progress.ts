/** Rebuild progress as text: the fraction done, the observed rate, the ETA, and a bar for terminals. Pure. */

/** One observation: how many events were processed by time `atMs`. */
export interface ProgressSample {
  readonly atMs: number;
  readonly processed: number;
}

/** Keeps recent samples and estimates the rate over the last `windowMs`. */
export class RateEstimator {
  readonly #windowMs: number;
  #samples: ProgressSample[] = [];

  constructor(windowMs = 15_000) {
    this.#windowMs = windowMs;
  }

  add(sample: ProgressSample): void {
    this.#samples.push(sample);
    const oldest = sample.atMs - this.#windowMs;
    // Keep one sample older than the window so the rate always spans it.
    while (this.#samples.length > 2 && this.#samples[1]!.atMs <= oldest) this.#samples.shift();
  }

  /** Events per second, or undefined before two samples or while nothing moved. */
  rate(): number | undefined {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.atMs <= first.atMs || last.processed <= first.processed) return undefined;
    return ((last.processed - first.processed) * 1000) / (last.atMs - first.atMs);
  }
}

/** Milliseconds left at `rate` events/s, or undefined when the rate is unknown. */
export function etaMs(processed: number, total: number, rate: number | undefined): number | undefined {
  if (processed >= total) return 0;
  if (rate === undefined || rate <= 0) return undefined;
  return ((total - processed) / rate) * 1000;
}

/** `1h02m`, `3m05s`, `42s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** What one progress line shows. */
export interface ProgressView {
  readonly processed: number;
  readonly total: number;
  readonly rate: number | undefined;
  readonly etaMs: number | undefined;
}

/** `45.2%  12,345/27,300 events  2,100 ev/s  ETA 7s` (no bar). */
export function progressText(v: ProgressView): string {
  const pct = v.total === 0 ? 100 : (100 * Math.min(v.processed, v.total)) / v.total;
  const rate = v.rate === undefined ? '– ev/s' : `${Math.round(v.rate).toLocaleString('en-US')} ev/s`;
  const eta = v.etaMs === undefined ? 'ETA –' : `ETA ${formatDuration(v.etaMs)}`;
  return `${pct.toFixed(1).padStart(5)}%  ${v.processed.toLocaleString('en-US')}/${v.total.toLocaleString('en-US')} events  ${rate}  ${eta}`;
}

/** `[#########---------]` of `width` cells. */
export function progressBar(processed: number, total: number, width: number): string {
  const fraction = total === 0 ? 1 : Math.min(1, Math.max(0, processed / total));
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
