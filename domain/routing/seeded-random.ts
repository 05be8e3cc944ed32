// A small, pure, seeded pseudo-random generator: the domain never draws from a global random source; the seed arrives in the input.

/** A deterministic stream of numbers; the same seed always gives the same sequence. */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number;
}

/** Mulberry32 (32-bit state, period 2^32): small, fast and good enough for tie-breaking and simulation. */
export function seededRandom(seed: number): SeededRandom {
  // splitmix-style scramble so nearby seeds (1, 2, 3…) give unrelated streams
  let state = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    // 1 − u lies in (0, 1], so the log is finite
    exponential: (mean) => -mean * Math.log(1 - next()),
  };
}
