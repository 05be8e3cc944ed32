// How long and how large each measurement is. BENCH_QUICK=1 shrinks everything for a smoke run of the harness.

/** What one append measurement needs (plain JSON: it travels to the child process on its command line). */
export interface AppendLoad {
  readonly writers: number;
  readonly streams: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

/** Sizes and durations of one benchmark run. */
export interface BenchSettings {
  readonly quick: boolean;
  /** Concurrent writers (each with its own connection where the store allows it). */
  readonly writers: number;
  /** Streams the writers spread over; each writer owns `streams / writers` of them, so appends never conflict. */
  readonly streams: number;
  /** Each append shape is measured this many times per system, interleaved; the median round is reported. */
  readonly rounds: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Events written before the catch-up read, and read back. */
  readonly catchUpEvents: number;
  readonly catchUpEventsPerAppend: number;
  readonly pgliteWarmupMs: number;
  readonly pgliteDurationMs: number;
  readonly pgliteCatchUpEvents: number;
  /** Which parts run (BENCH_ONLY=append,catchup,pglite; default all). Partial runs write *.tmp results only. */
  readonly only: ReadonlySet<'append' | 'catchup' | 'pglite'>;
}

/** The settings `make bench` uses, or the quick ones when BENCH_QUICK=1. */
export function benchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const quick = env.BENCH_QUICK === '1';
  return {
    quick,
    writers: 8,
    streams: 1000,
    rounds: quick ? 1 : 5,
    warmupMs: quick ? 500 : 1_000,
    durationMs: quick ? 2_000 : 3_000,
    catchUpEvents: Number(env.BENCH_CATCHUP_EVENTS ?? (quick ? 50_000 : 1_000_000)),
    catchUpEventsPerAppend: 100,
    pgliteWarmupMs: quick ? 300 : 1_000,
    pgliteDurationMs: quick ? 1_000 : 3_000,
    pgliteCatchUpEvents: quick ? 10_000 : 100_000,
    only: new Set((env.BENCH_ONLY ?? 'append,catchup,pglite').split(',').map((x) => x.trim()) as ('append' | 'catchup' | 'pglite')[]),
  };
}
