// The embedded PGlite store (single connection, in-process): append and catch-up rates, for information.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore } from '../../adapters/event-store/open-event-store.ts';
import { catchUpOn, type CatchUpResult } from './catch-up.ts';
import { appendLoad } from './ledgerline-append.ts';
import type { Throughput } from './load-loop.ts';
import type { BenchSettings } from './settings.ts';

/** PGlite figures: appends of 1 and 10 events, and catch-up over a smaller log. */
export interface PgliteResult {
  readonly append1: Throughput;
  readonly append10: Throughput;
  readonly catchUp: CatchUpResult;
}

/** Each measurement on its own fresh on-disk PGlite directory (what `make run` uses). */
export async function benchPglite(s: BenchSettings): Promise<PgliteResult> {
  const append = (n: number) =>
    withPglite((url) => openEventStore(url).then(async (store) => {
      try {
        return await appendLoad(store, n, s.writers, s.streams, s.pgliteWarmupMs, s.pgliteDurationMs);
      } finally {
        await store.close();
      }
    }));
  const append1 = await append(1);
  const append10 = await append(10);
  const catchUp = await withPglite(async (url) => {
    const store = await openEventStore(url);
    try {
      return await catchUpOn(store, s.pgliteCatchUpEvents, 100, s.writers, s.streams);
    } finally {
      await store.close();
    }
  });
  return { append1, append10, catchUp };
}

async function withPglite<T>(work: (url: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ledgerline-bench-pglite-'));
  try {
    return await work(`pglite:${dir}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
