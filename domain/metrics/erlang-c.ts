import { LedgerlineError } from '../errors/ledgerline-error.ts';
import { assertAgents, assertPositive, assertTraffic, erlangB } from './erlang-b.ts';

// Erlang C (M/M/N): Poisson arrivals at rate λ, exponential handle times of mean h, N agents, an unlimited queue,
// nobody abandons. Traffic A = λ·h erlangs. All times share one unit (seconds, minutes…) chosen by the caller.

/** Inputs of the Erlang C model; every time in the same unit. */
export interface ErlangCInput {
  /** Arrivals per unit of time (λ). */
  readonly arrivalRate: number;
  /** Mean handle time (h): talk + hold + after-call work. */
  readonly handleTime: number;
  /** Agents handling the queue (N). */
  readonly agents: number;
  /** Service-level threshold (T): answered within this wait. */
  readonly answerTarget: number;
}

/** Erlang C results when N > A: the queue settles. */
export interface ErlangCStable {
  readonly stable: true;
  /** A = λ·h, erlangs. */
  readonly traffic: number;
  /** C(N, A): probability that a call waits at all. */
  readonly probabilityOfWaiting: number;
  /** P(wait ≤ T) = 1 − C(N, A)·e^(−(N−A)·T/h). */
  readonly serviceLevel: number;
  /** Mean wait over all calls, C(N, A)·h/(N − A) (everyone is answered, so also the mean over answered calls). */
  readonly averageSpeedOfAnswer: number;
  /** A/N: the share of staffed time spent handling. */
  readonly occupancy: number;
}

/** Erlang C results when N ≤ A: the queue grows without bound; the values are the limits, not garbage. */
export interface ErlangCUnstable {
  readonly stable: false;
  readonly code: 'ERLANG_UNSTABLE_QUEUE';
  readonly traffic: number;
  readonly probabilityOfWaiting: 1;
  readonly serviceLevel: 0;
  readonly averageSpeedOfAnswer: number; // Infinity
  readonly occupancy: 1;
}

export type ErlangCResult = ErlangCStable | ErlangCUnstable;

/** C(N, A) from Erlang B: C = N·B / (N − A·(1 − B)); 1 when N ≤ A (every call waits). */
export function erlangC(agents: number, traffic: number): number {
  assertAgents(agents);
  assertTraffic(traffic);
  if (traffic === 0) return 0;
  if (agents <= traffic) return 1;
  return erlangCFromB(agents, traffic, erlangB(agents, traffic));
}

function erlangCFromB(agents: number, traffic: number, b: number): number {
  return (agents * b) / (agents - traffic * (1 - b));
}

/** Probability of waiting, service level, ASA and occupancy for N agents (coded unstable result when N ≤ A). */
export function erlangCMetrics(input: ErlangCInput): ErlangCResult {
  const traffic = trafficOf(input.arrivalRate, input.handleTime);
  assertAgents(input.agents);
  assertPositive('answerTarget', input.answerTarget, true);
  if (traffic === 0) return { stable: true, traffic, probabilityOfWaiting: 0, serviceLevel: 1, averageSpeedOfAnswer: 0, occupancy: 0 };
  if (input.agents <= traffic) return unstable(traffic);
  const c = erlangCFromB(input.agents, traffic, erlangB(input.agents, traffic));
  return stableResult(input.agents, traffic, c, input.handleTime, input.answerTarget);
}

function stableResult(agents: number, traffic: number, c: number, handleTime: number, answerTarget: number): ErlangCStable {
  const gap = agents - traffic;
  return {
    stable: true,
    traffic,
    probabilityOfWaiting: c,
    serviceLevel: 1 - c * Math.exp((-gap * answerTarget) / handleTime),
    averageSpeedOfAnswer: (c * handleTime) / gap,
    occupancy: traffic / agents,
  };
}

function unstable(traffic: number): ErlangCUnstable {
  return { stable: false, code: 'ERLANG_UNSTABLE_QUEUE', traffic, probabilityOfWaiting: 1, serviceLevel: 0, averageSpeedOfAnswer: Infinity, occupancy: 1 };
}

/** λ·h, validated. */
export function trafficOf(arrivalRate: number, handleTime: number): number {
  assertPositive('arrivalRate', arrivalRate, true);
  assertPositive('handleTime', handleTime);
  return arrivalRate * handleTime;
}

/** Staffing search bounds shared by the two targets. */
export interface StaffingLimits {
  /** Give up above this many agents (default 100,000). */
  readonly maxAgents?: number;
}

/** Smallest N whose Erlang C service level P(wait ≤ T) reaches `targetServiceLevel` (0–1). */
export function agentsForServiceLevel(
  input: Omit<ErlangCInput, 'agents'> & { readonly targetServiceLevel: number } & StaffingLimits,
): number {
  const { targetServiceLevel } = input;
  if (!(targetServiceLevel >= 0 && targetServiceLevel <= 1)) {
    throw new LedgerlineError('METRICS_INPUT_INVALID', 'targetServiceLevel must be within [0, 1]', { targetServiceLevel });
  }
  assertPositive('answerTarget', input.answerTarget, true);
  return searchAgents(input, (r) => r.serviceLevel >= targetServiceLevel, { targetServiceLevel });
}

/** Smallest N whose Erlang C ASA is at most `targetAverageSpeedOfAnswer` (same time unit as handleTime). */
export function agentsForAverageSpeedOfAnswer(
  input: Omit<ErlangCInput, 'agents' | 'answerTarget'> & { readonly targetAverageSpeedOfAnswer: number } & StaffingLimits,
): number {
  assertPositive('targetAverageSpeedOfAnswer', input.targetAverageSpeedOfAnswer, true);
  const target = input.targetAverageSpeedOfAnswer;
  return searchAgents({ ...input, answerTarget: 0 }, (r) => r.averageSpeedOfAnswer <= target, { targetAverageSpeedOfAnswer: target });
}

function searchAgents(
  input: Omit<ErlangCInput, 'agents'> & StaffingLimits,
  meets: (r: ErlangCStable) => boolean,
  target: Record<string, number>,
): number {
  const traffic = trafficOf(input.arrivalRate, input.handleTime);
  const maxAgents = input.maxAgents ?? 100_000;
  assertAgents(maxAgents);
  if (traffic === 0) return 0;
  // Start at the first stable N and carry Erlang B forward one agent at a time: O(N) in total.
  let n = Math.floor(traffic) + 1;
  let b = erlangB(n, traffic);
  while (n <= maxAgents) {
    const r = stableResult(n, traffic, erlangCFromB(n, traffic, b), input.handleTime, input.answerTarget);
    if (meets(r)) return n;
    n += 1;
    b = (traffic * b) / (n + traffic * b);
  }
  throw new LedgerlineError('STAFFING_TARGET_UNREACHABLE', undefined, { traffic, maxAgents, ...target });
}
