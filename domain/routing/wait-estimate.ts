// Estimated wait time (EWT) with a stated confidence, from the caller's position, staffing and recent handle times.
import { LedgerlineError } from '../errors/ledgerline-error.ts';
import { erlangC } from '../metrics/erlang-c.ts';

/** What the estimator needs; every time in seconds. */
export interface WaitEstimateInput {
  /** Callers ahead of this one in the queue (0: next). Omit when unknown: the estimate falls back to Erlang C. */
  readonly position?: number;
  /** Agents logged in and serving this queue (N). */
  readonly staffedAgents: number;
  /** Of those, agents free right now (default 0). */
  readonly idleAgents?: number;
  /** Recent handle times (talk + hold + after-call work) of this queue, seconds. */
  readonly recentHandleTimesSeconds: readonly number[];
  /** Calls per second entering the queue; lets Erlang C describe the steady state (and stand in for a missing position). */
  readonly arrivalRatePerSecond?: number;
  /** Probability the interval should hold the actual wait (default 0.8). */
  readonly intervalLevel?: number;
  /**
   * Blend the position estimate with Erlang C's mean by inverse variance (default false). Off by default because
   * in an M/M/N queue the position estimate is the exact conditional mean and Erlang C's is the mean over ALL
   * callers: blending pulls estimates toward the average (wait-estimate.test.ts measures it on simulated queues).
   */
  readonly blendErlangC?: boolean;
}

/** An estimate, or why there is none. */
export type WaitEstimate =
  | { readonly kind: 'unknown'; readonly reason: 'no-agent-staffed' | 'no-handle-time-samples' | 'no-position-and-no-steady-state' }
  | {
      readonly kind: 'estimate';
      /** Expected wait, seconds. */
      readonly expectedSeconds: number;
      /** The actual wait falls in [low, high] with probability `level` under the model. */
      readonly interval: { readonly lowSeconds: number; readonly highSeconds: number; readonly level: number };
      /** How much the inputs can be trusted: samples of handle time and steady state. */
      readonly confidence: 'low' | 'medium' | 'high';
      readonly method: 'position' | 'position+erlang-c' | 'erlang-c';
      readonly samples: number;
      readonly meanHandleSeconds: number;
      /** Coefficient of variation of handle times used (shrunk toward 1 when samples are few). */
      readonly handleTimeCv: number;
      /** Erlang C view when the arrival rate is known: probability of waiting and mean wait over all callers; absent when A ≥ N. */
      readonly steadyState?: { readonly probabilityOfWaiting: number; readonly meanWaitSeconds: number };
    };

// Prior weight (in samples) pulling the handle-time CV toward 1 (exponential), so 2 samples do not claim certainty.
const CV_PRIOR_SAMPLES = 5;

/**
 * Estimates a caller's wait. Position method: with k callers ahead and f idle agents, the caller needs
 * m = k − f + 1 departures from N busy agents, each Δ ≈ h/N apart, so E[W] = m·h/N (exact for M/M/N, where
 * W ~ Gamma(m, h/N)). The spread adds process variance m·(h/N)²·cv_eff² and the uncertainty of ĥ from n samples,
 * E[W]²·cv²/n; the interval is the matching gamma's central `level` quantiles (Wilson–Hilferty).
 * Unknown when no agent is staffed or no handle time has been seen.
 */
export function estimateWait(input: WaitEstimateInput): WaitEstimate {
  validate(input);
  const level = input.intervalLevel ?? 0.8;
  const n = input.recentHandleTimesSeconds.length;
  const N = input.staffedAgents;
  if (N === 0) return { kind: 'unknown', reason: 'no-agent-staffed' };
  if (n === 0) return { kind: 'unknown', reason: 'no-handle-time-samples' };

  const h = input.recentHandleTimesSeconds.reduce((s, x) => s + x, 0) / n;
  const sampleVar = n > 1 ? input.recentHandleTimesSeconds.reduce((s, x) => s + (x - h) ** 2, 0) / (n - 1) : 0;
  const cv2Sample = h > 0 ? sampleVar / (h * h) : 0;
  const cv2 = n > 1 ? ((n - 1) * cv2Sample + CV_PRIOR_SAMPLES) / (n - 1 + CV_PRIOR_SAMPLES) : 1;
  const steady = steadyStateOf(input.arrivalRatePerSecond, h, N);
  const base = { samples: n, meanHandleSeconds: h, handleTimeCv: Math.sqrt(cv2), ...(steady ? { steadyState: steady.view } : {}) };
  const confidence = n >= 30 ? 'high' : n >= 10 ? 'medium' : 'low';

  if (input.position === undefined) {
    if (!steady) return { kind: 'unknown', reason: 'no-position-and-no-steady-state' };
    const { c, meanIfWaiting } = steady;
    const quantile = (p: number): number => (p <= 1 - c ? 0 : -Math.log((1 - p) / c) * meanIfWaiting);
    return {
      kind: 'estimate',
      expectedSeconds: steady.view.meanWaitSeconds,
      interval: { lowSeconds: quantile((1 - level) / 2), highSeconds: quantile((1 + level) / 2), level },
      confidence: confidence === 'high' ? 'medium' : 'low', // no position: an average, not this caller's wait
      method: 'erlang-c',
      ...base,
    };
  }

  const m = Math.max(0, input.position - (input.idleAgents ?? 0) + 1);
  if (m === 0) return { kind: 'estimate', expectedSeconds: 0, interval: { lowSeconds: 0, highSeconds: 0, level }, confidence, method: 'position', ...base };
  const gap = h / N;
  // Departures from N parallel servers look more Poisson the more servers there are: cv_eff² → 1 as N grows.
  const cvEff2 = 1 + (cv2 - 1) / N;
  let mean = m * gap;
  let variance = m * gap * gap * cvEff2 + (mean * mean * cv2) / n;
  let method: 'position' | 'position+erlang-c' = 'position';
  if (input.blendErlangC && steady && steady.view.meanWaitSeconds > 0) {
    const { c, meanIfWaiting } = steady;
    const vC = c * (2 - c) * meanIfWaiting * meanIfWaiting;
    const w = vC / (variance + vC);
    mean = w * mean + (1 - w) * steady.view.meanWaitSeconds;
    variance = (variance * vC) / (variance + vC);
    method = 'position+erlang-c';
  }
  return {
    kind: 'estimate',
    expectedSeconds: mean,
    interval: { lowSeconds: gammaQuantile(mean, variance, (1 - level) / 2), highSeconds: gammaQuantile(mean, variance, (1 + level) / 2), level },
    confidence,
    method,
    ...base,
  };
}

function steadyStateOf(lambda: number | undefined, h: number, N: number) {
  if (lambda === undefined || h <= 0) return undefined;
  const traffic = lambda * h;
  if (traffic >= N) return undefined;
  const c = erlangC(N, traffic);
  const meanIfWaiting = h / (N - traffic);
  return { c, meanIfWaiting, view: { probabilityOfWaiting: c, meanWaitSeconds: c * meanIfWaiting } };
}

/** The p-quantile of the gamma distribution with this mean and variance (Wilson–Hilferty; within ~2 % for shape ≥ 1). */
export function gammaQuantile(mean: number, variance: number, p: number): number {
  if (mean <= 0) return 0;
  if (variance <= 0) return mean;
  const shape = (mean * mean) / variance;
  const z = normalQuantile(p);
  const t = 1 - 1 / (9 * shape) + z * Math.sqrt(1 / (9 * shape));
  return Math.max(0, mean * t * t * t);
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  const rational = (q: number): number =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < lo) return rational(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - lo) return -rational(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

function validate(i: WaitEstimateInput): void {
  const bad = (field: string, value: unknown): never => {
    throw new LedgerlineError('WAIT_ESTIMATE_INPUT_INVALID', `${field} is invalid`, { [field]: value });
  };
  const count = (x: number | undefined): boolean => x === undefined || (Number.isInteger(x) && x >= 0);
  if (!count(i.position)) bad('position', i.position);
  if (!count(i.staffedAgents)) bad('staffedAgents', i.staffedAgents);
  if (!count(i.idleAgents) || (i.idleAgents ?? 0) > i.staffedAgents) bad('idleAgents', i.idleAgents);
  if (i.recentHandleTimesSeconds.some((x) => !(Number.isFinite(x) && x >= 0))) bad('recentHandleTimesSeconds', 'negative or not finite');
  if (i.arrivalRatePerSecond !== undefined && !(Number.isFinite(i.arrivalRatePerSecond) && i.arrivalRatePerSecond >= 0)) bad('arrivalRatePerSecond', i.arrivalRatePerSecond);
  if (i.intervalLevel !== undefined && !(i.intervalLevel > 0 && i.intervalLevel < 1)) bad('intervalLevel', i.intervalLevel);
}
