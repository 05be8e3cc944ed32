import { LedgerlineError } from '../errors/ledgerline-error.ts';
import type { ServiceLevelFormula } from '../shared/contact-center.ts';
import { assertAgents, assertPositive, erlangB, logInverseErlangB } from './erlang-b.ts';
import { erlangCMetrics, trafficOf } from './erlang-c.ts';
import { logRegularizedLowerGamma } from './incomplete-gamma.ts';

// Erlang A (Palm's M/M/N+M): Erlang C plus exponential caller patience of mean 1/θ. A caller who has waited
// longer than their patience abandons. Always stable. Formulas: Mandelbaum & Zeltyn, "The M/M/n+G queue:
// summary of performance measures" and "Service engineering in action: the Palm/Erlang-A queue" (2007);
// Garnett, Mandelbaum & Reiman, "Designing a call center with impatient customers", MSOM 4(3), 2002.

/** Inputs of the Erlang A model; every time in the same unit. */
export interface ErlangAInput {
  /** Arrivals per unit of time (λ). */
  readonly arrivalRate: number;
  /** Mean handle time (h = 1/μ). */
  readonly handleTime: number;
  /** Mean caller patience (1/θ): 0 = nobody waits (Erlang B), Infinity = nobody abandons (Erlang C). */
  readonly patience: number;
  /** Agents (N). */
  readonly agents: number;
  /** Service-level threshold (T). */
  readonly answerTarget: number;
}

/** Erlang A results. Probabilities are per arriving call. */
export interface ErlangAResult {
  /** False only for infinite patience with N ≤ A (then the Erlang C limits are returned). */
  readonly stable: boolean;
  readonly code?: 'ERLANG_UNSTABLE_QUEUE';
  /** A = λ·h, erlangs. */
  readonly traffic: number;
  /** P(W > 0): all agents are busy when the call arrives. */
  readonly probabilityOfWaiting: number;
  /** P(Ab): the caller's patience runs out before an agent answers. */
  readonly probabilityOfAbandonment: number;
  /** P(answered and W ≤ T), over all arrivals: the `genesys` reading (abandons count as misses). */
  readonly serviceLevel: number;
  /**
   * The model's value of each SERVICE_LEVEL_FORMULAS entry: asterisk-sl = P(W ≤ T | answered);
   * asterisk-sl2 = amazon = P(W ≤ T) (answered or abandoned within T; the model has no callbacks); genesys = serviceLevel.
   */
  readonly serviceLevels: Readonly<Record<ServiceLevelFormula, number>>;
  /** E[W | answered]; null when no call is ever answered (N = 0). */
  readonly averageSpeedOfAnswer: number | null;
  /** E[W] over all calls, answered or abandoned (= P(Ab)/θ). */
  readonly averageWait: number;
  /** Carried load over agents: λ·(1 − P(Ab))·h / N (0 when N = 0). */
  readonly occupancy: number;
}

const MAX_STATES = 20_000_000;
const RESCALE = 1e250;
const LOG_RESCALE = Math.log(RESCALE);

/** Erlang A performance measures for N agents. */
export function erlangAMetrics(input: ErlangAInput): ErlangAResult {
  const { arrivalRate: lambda, handleTime: h, patience, agents: n, answerTarget: t } = input;
  const traffic = trafficOf(lambda, h);
  assertAgents(n);
  assertPositive('answerTarget', t, true);
  if (Number.isNaN(patience) || patience < 0) {
    throw new LedgerlineError('METRICS_INPUT_INVALID', 'patience must be ≥ 0 (Infinity for Erlang C)', { patience });
  }
  if (patience === Infinity) return fromErlangC(input, traffic);
  if (traffic === 0) return result(traffic, 0, 0, 1, 1, 1, 0, 0, 0);
  if (n === 0) {
    const leftWithin = -Math.expm1(-t / patience);
    return result(traffic, 1, 1, 0, 0, leftWithin, null, patience, 0);
  }
  if (patience === 0) {
    // Nobody waits: the callers who find every agent busy leave at once, as in the Erlang B loss system.
    const b = erlangB(n, traffic);
    return result(traffic, b, b, 1 - b, 1, 1, 0, 0, (traffic * (1 - b)) / n);
  }

  const theta = 1 / patience;
  const nMu = n / h;
  // Birth–death chain above N: r_j = π(N+j)/π(N) = Π_{i=1..j} λ/(Nμ + iθ). A caller arriving with j ahead is
  // answered with probability Nμ/(Nμ + (j+1)θ) (the product telescopes) after steps of rates Nμ + iθ, i = 1..j+1.
  let r = 1;
  let sumWait = 0;
  let sumAbandon = 0;
  let sumAnsweredWait = 0;
  let hj = 0;
  let logScale = 0;
  for (let j = 0; ; j++) {
    if (j > MAX_STATES) {
      throw new LedgerlineError('METRICS_INPUT_INVALID', 'patience too long for this load: the queue does not settle numerically', { ...input });
    }
    const k = nMu + (j + 1) * theta;
    hj += 1 / k;
    const pAnswered = nMu / k;
    sumWait += r;
    sumAbandon += r * (1 - pAnswered);
    sumAnsweredWait += r * pAnswered * hj;
    r *= lambda / k;
    if (r > RESCALE) {
      r /= RESCALE;
      sumWait /= RESCALE;
      sumAbandon /= RESCALE;
      sumAnsweredWait /= RESCALE;
      logScale += LOG_RESCALE;
    }
    if (lambda < k && r < sumWait * 1e-17) break;
  }
  // Σ_{i<N} π(i)/π(N) = (N/A)/B(N−1, A).
  const logBelow = logInverseErlangB(n - 1, traffic) + Math.log(n / traffic);
  const pWait = 1 / (1 + Math.exp(logBelow - logScale - Math.log(sumWait)));
  const pAbandon = (pWait * sumAbandon) / sumWait;
  const pAnswered = 1 - pAbandon;
  const asa = (pWait * sumAnsweredWait) / sumWait / pAnswered;

  // Offered-wait density (Mandelbaum & Zeltyn): with a = Nμ/θ, b = λ/θ, x = e^(−θT),
  // P(answered, 0 < W ≤ T) = P(W>0)·a·[P(a+1, b) − P(a+1, b·x)] / (b·P(a, b)) and
  // P(W > T) = e^(−θT)·P(W>0)·P(a, b·x)/P(a, b), P(·,·) the regularized lower incomplete gamma.
  const a = nMu / theta;
  const b = lambda / theta;
  const x = Math.exp(-theta * t);
  const logPab = logRegularizedLowerGamma(a, b);
  const answeredShare = (y: number) => Math.exp(Math.log(a / b) + logRegularizedLowerGamma(a + 1, y) - logPab);
  const answeredWithin = clamp01(1 - pWait + pWait * (answeredShare(b) - answeredShare(b * x)));
  const leftWithin = clamp01(1 - x * pWait * Math.exp(logRegularizedLowerGamma(a, b * x) - logPab));
  return result(traffic, pWait, pAbandon, answeredWithin, answeredWithin / pAnswered, leftWithin, asa, pAbandon * patience, (traffic * pAnswered) / n);
}

function fromErlangC(input: ErlangAInput, traffic: number): ErlangAResult {
  const c = erlangCMetrics(input);
  const levels = { 'asterisk-sl': c.serviceLevel, 'asterisk-sl2': c.serviceLevel, amazon: c.serviceLevel, genesys: c.serviceLevel };
  return {
    stable: c.stable,
    ...(c.stable ? {} : { code: c.code }),
    traffic,
    probabilityOfWaiting: c.probabilityOfWaiting,
    probabilityOfAbandonment: 0,
    serviceLevel: c.serviceLevel,
    serviceLevels: levels,
    averageSpeedOfAnswer: c.averageSpeedOfAnswer,
    averageWait: c.averageSpeedOfAnswer,
    occupancy: c.occupancy,
  };
}

function result(
  traffic: number,
  probabilityOfWaiting: number,
  probabilityOfAbandonment: number,
  answeredWithin: number,
  answeredWithinOfAnswered: number,
  leftWithin: number,
  averageSpeedOfAnswer: number | null,
  averageWait: number,
  occupancy: number,
): ErlangAResult {
  return {
    stable: true,
    traffic,
    probabilityOfWaiting,
    probabilityOfAbandonment,
    serviceLevel: answeredWithin,
    serviceLevels: {
      'asterisk-sl': clamp01(answeredWithinOfAnswered),
      'asterisk-sl2': leftWithin,
      amazon: leftWithin,
      genesys: answeredWithin,
    },
    averageSpeedOfAnswer,
    averageWait,
    occupancy,
  };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Smallest N whose Erlang A service level (by `formula`, default genesys) reaches `targetServiceLevel`. */
export function erlangAAgentsForServiceLevel(
  input: Omit<ErlangAInput, 'agents'> & { readonly targetServiceLevel: number; readonly formula?: ServiceLevelFormula; readonly maxAgents?: number },
): number {
  const { targetServiceLevel } = input;
  if (!(targetServiceLevel >= 0 && targetServiceLevel <= 1)) {
    throw new LedgerlineError('METRICS_INPUT_INVALID', 'targetServiceLevel must be within [0, 1]', { targetServiceLevel });
  }
  const maxAgents = input.maxAgents ?? 10_000;
  const formula = input.formula ?? 'genesys';
  for (let n = 0; n <= maxAgents; n++) {
    const r = erlangAMetrics({ ...input, agents: n });
    if (r.stable && r.serviceLevels[formula] >= targetServiceLevel) return n;
  }
  throw new LedgerlineError('STAFFING_TARGET_UNREACHABLE', undefined, { targetServiceLevel, formula, maxAgents });
}
