// The statistics of the Erlang C check, pure: Erlang C's prediction (the domain's own erlangCMetrics, and an
// independent textbook formula to cross-check it), the measured service level and ASA per batch of consecutive
// calls (the domain's own formulas over the log's queue contacts), and the batch-means 95 % confidence interval
// with Student's t. Waits of consecutive callers are correlated (a long queue makes the next caller wait too), so
// the calls are cut into large consecutive batches whose means are close to independent: the CI is built from the
// spread of the batch means, not of single waits (which would make it far too narrow).
import { averageSpeedOfAnswer } from '../../../domain/metrics/contact-metrics.ts';
import { erlangCMetrics } from '../../../domain/metrics/erlang-c.ts';
import type { QueueContact } from '../../../domain/metrics/queue-contact.ts';
import { serviceLevel } from '../../../domain/metrics/service-level.ts';
import type { ErlangCParameters } from './erlang-c-scenario.ts';

/** Service level (0–1) and ASA (seconds) Erlang C predicts. */
export interface ErlangCPrediction {
  readonly serviceLevel: number;
  readonly averageSpeedOfAnswerSeconds: number;
}

/** The domain's Erlang C (domain/metrics/erlang-c.ts) for these parameters; throws when the queue is unstable. */
export function predictErlangC(p: ErlangCParameters): ErlangCPrediction {
  const r = erlangCMetrics({ arrivalRate: p.arrivalRatePerSecond, handleTime: p.meanTalkSeconds, agents: p.agents, answerTarget: p.answerTargetSeconds });
  if (!r.stable) throw new RangeError(`Erlang C: ${p.agents} agents cannot carry ${r.traffic} erlangs`);
  return { serviceLevel: r.serviceLevel, averageSpeedOfAnswerSeconds: r.averageSpeedOfAnswer };
}

/**
 * Erlang C straight from its definition, sharing no code with the domain's (which goes through the Erlang B
 * recursion): P(wait) = (Aᴺ/N!)·N/(N−A) / (Σₖ₌₀ᴺ⁻¹ Aᵏ/k! + (Aᴺ/N!)·N/(N−A)), SL = 1 − P(wait)·e^(−(N−A)·T/h),
 * ASA = P(wait)·h/(N−A). Terms are built as ratios of the previous one, so nothing overflows for moderate N.
 */
export function erlangCByDefinition(p: ErlangCParameters): ErlangCPrediction & { readonly probabilityOfWaiting: number } {
  const n = p.agents;
  const h = p.meanTalkSeconds;
  const a = p.arrivalRatePerSecond * h;
  if (!(n > a)) throw new RangeError('unstable queue');
  let term = 1; // Aᵏ/k! for k = 0
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += term;
    term = (term * a) / (k + 1);
  }
  const top = (term * n) / (n - a); // term is now Aᴺ/N!
  const wait = top / (sum + top);
  return {
    probabilityOfWaiting: wait,
    serviceLevel: 1 - wait * Math.exp((-(n - a) * p.answerTargetSeconds) / h),
    averageSpeedOfAnswerSeconds: (wait * h) / (n - a),
  };
}

/** Student's t quantile for 97.5 % (two-sided 95 %), by the Cornish–Fisher expansion around the normal one. */
export function tQuantile975(df: number): number {
  if (!(df >= 3)) throw new RangeError('at least 3 degrees of freedom');
  const z = 1.959963984540054;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const z9 = z ** 9;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3) +
    (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * df ** 4)
  );
}

/** A 95 % confidence interval for a mean, from batch means. */
export interface ConfidenceInterval {
  readonly mean: number;
  readonly lower: number;
  readonly upper: number;
  readonly halfWidth: number;
  readonly batchMeans: readonly number[];
}

/** The t-interval over the batch means (the batches must be equally sized, consecutive, and at least 4). */
export function batchMeansInterval(batchMeans: readonly number[]): ConfidenceInterval {
  const k = batchMeans.length;
  if (k < 4) throw new RangeError('at least 4 batches');
  const mean = batchMeans.reduce((s, x) => s + x, 0) / k;
  const variance = batchMeans.reduce((s, x) => s + (x - mean) ** 2, 0) / (k - 1);
  const halfWidth = tQuantile975(k - 1) * Math.sqrt(variance / k);
  return { mean, lower: mean - halfWidth, upper: mean + halfWidth, halfWidth, batchMeans: [...batchMeans] };
}

/** How the measured calls are chosen and cut. */
export interface BatchPlan {
  /** Calls (in order of queue entry) left out at the start: the run begins with an empty queue and idle agents. */
  readonly warmUp: number;
  readonly batches: number;
  readonly batchSize: number;
}

/** Measured intervals, the prediction, and whether the prediction lies inside each interval. */
export interface ErlangCVerdict {
  readonly measuredCalls: number;
  readonly serviceLevel: ConfidenceInterval;
  readonly averageSpeedOfAnswerSeconds: ConfidenceInterval;
  readonly predicted: ErlangCPrediction;
  readonly serviceLevelInside: boolean;
  readonly averageSpeedOfAnswerInside: boolean;
}

/** True when `x` lies in the closed interval. */
export const inside = (ci: ConfidenceInterval, x: number): boolean => x >= ci.lower && x <= ci.upper;

/**
 * Cuts the answered queue contacts (ordered by entry) into batches after the warm-up, measures each batch with the
 * domain's service level (answered within T / answered: everyone is answered here) and ASA, and sets `predicted`
 * against both intervals. Throws when there are fewer contacts than the plan needs.
 */
export function judgeErlangC(contacts: readonly QueueContact[], plan: BatchPlan, answerTargetSeconds: number, predicted: ErlangCPrediction): ErlangCVerdict {
  const needed = plan.warmUp + plan.batches * plan.batchSize;
  if (contacts.length < needed) throw new RangeError(`${contacts.length} contacts, the plan needs ${needed}`);
  const sl: number[] = [];
  const asa: number[] = [];
  for (let b = 0; b < plan.batches; b++) {
    const from = plan.warmUp + b * plan.batchSize;
    const batch = contacts.slice(from, from + plan.batchSize);
    sl.push(serviceLevel('asterisk-sl', batch, { thresholdMs: answerTargetSeconds * 1000 }) ?? Number.NaN);
    asa.push((averageSpeedOfAnswer(batch) ?? Number.NaN) / 1000);
  }
  const serviceLevelCi = batchMeansInterval(sl);
  const asaCi = batchMeansInterval(asa);
  return {
    measuredCalls: plan.batches * plan.batchSize,
    serviceLevel: serviceLevelCi,
    averageSpeedOfAnswerSeconds: asaCi,
    predicted,
    serviceLevelInside: inside(serviceLevelCi, predicted.serviceLevel),
    averageSpeedOfAnswerInside: inside(asaCi, predicted.averageSpeedOfAnswerSeconds),
  };
}

/** Calls whose queue exit differs from what an ideal FIFO server of `agents` agents would give them, and by how much. */
export interface ReplayMismatch {
  readonly contactId: string;
  readonly expectedLeftAt: number;
  readonly leftAt: number | null;
}

/**
 * Replays the contacts (in order of entry) through an ideal M/M/N server — `agents` agents, first come first served,
 * service starting the instant an agent is free, each agent busy for exactly the talk time the log recorded, free
 * again at once (no wrap-up) — and lists every contact the log shows leaving the queue at another time than the
 * replay (beyond `toleranceMs` of rounding to whole ms). Empty: the engine behaved exactly as Erlang C's server, and
 * whatever separates its numbers from the formula is sampling noise. The first `agents` calls start the run idle.
 */
export function replayAgainstIdealServer(contacts: readonly QueueContact[], agents: number, toleranceMs = 2): ReplayMismatch[] {
  const free = Array.from({ length: agents }, () => -Infinity);
  const mismatches: ReplayMismatch[] = [];
  for (const c of contacts) {
    let k = 0;
    for (let i = 1; i < agents; i++) if (free[i]! < free[k]!) k = i;
    const start = Math.max(c.enteredAt, free[k]!);
    if (c.leftAt === null || Math.abs(c.leftAt - start) > toleranceMs) mismatches.push({ contactId: c.contactId, expectedLeftAt: start, leftAt: c.leftAt });
    // Carry on from what happened, so one difference is reported once, not for every caller after it.
    free[k] = (c.leftAt ?? start) + c.talkMs;
  }
  return mismatches;
}
