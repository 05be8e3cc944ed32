// Reconnect delays: exponential with a cap, minus a random share (jitter) so many adapters do not reconnect in step.
// The randomness is injected, so tests and replays are deterministic.

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  /** 0–1: the share of the delay that random() may take off (0.5 → between 50 % and 100 % of the delay). */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 30_000, factor: 2, jitter: 0.5 };

/** Delay before reconnect attempt `attempt` (0-based); `random` returns [0, 1). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** Math.max(0, attempt));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.max(0, Math.round(base * (1 - options.jitter * r)));
}
