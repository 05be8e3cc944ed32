import { LedgerlineError } from '../errors/ledgerline-error.ts';

/**
 * Erlang B (M/M/N/N blocking probability) by the recursion B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)).
 * Every step stays in [0, 1], so it neither overflows nor needs factorials, for any N and fractional traffic A.
 */
export function erlangB(agents: number, traffic: number): number {
  assertAgents(agents);
  assertTraffic(traffic);
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (traffic * b) / (n + traffic * b);
  return b;
}

/**
 * ln(1 / B(n, A)) by the recursion 1/B(n) = 1 + (n/A)·(1/B(n−1)), kept in logs because 1/B grows like n!/Aⁿ
 * (Erlang A needs it where B itself underflows to zero). Requires A > 0.
 */
export function logInverseErlangB(agents: number, traffic: number): number {
  let logInv = 0; // ln(1/B(0)) = 0
  for (let n = 1; n <= agents; n++) {
    const step = Math.log(n / traffic) + logInv; // ln((n/A)·(1/B(n−1)))
    logInv = step > 0 ? step + Math.log1p(Math.exp(-step)) : Math.log1p(Math.exp(step));
  }
  return logInv;
}

/** Agents must be a non-negative integer. */
export function assertAgents(agents: number): void {
  if (!Number.isInteger(agents) || agents < 0) {
    throw new LedgerlineError('METRICS_INPUT_INVALID', 'agents must be a non-negative integer', { agents });
  }
}

/** Traffic (erlangs) must be finite and non-negative. */
export function assertTraffic(traffic: number): void {
  if (!Number.isFinite(traffic) || traffic < 0) {
    throw new LedgerlineError('METRICS_INPUT_INVALID', 'traffic must be a finite number of erlangs ≥ 0', { traffic });
  }
}

/** A duration or rate must be finite and positive (or ≥ 0 when `allowZero`). */
export function assertPositive(name: string, value: number, allowZero = false): void {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new LedgerlineError('METRICS_INPUT_INVALID', `${name} must be a finite number ${allowZero ? '≥ 0' : '> 0'}`, { [name]: value });
  }
}
