// The closest TypeScript peer: Emmett's PostgreSQL event store on the same workload, in a child process.
//
// Why a child process: Emmett's driver layer (@event-driven-io/dumbo) replaces pg's process-wide type parsers on
// first use (int8 → BigInt, json/jsonb → its own deserializer). In the parent that would silently change how every
// later measurement (our appends, the catch-up reads) parses rows.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { databaseOf } from './cpu.ts';
import { runWriters, type Throughput } from './load-loop.ts';
import { ownedStreams, sampleBatch, streamName } from './sample-events.ts';

/** The part of the settings the Emmett workload needs (plain JSON, for the child's command line). */
export interface EmmettLoad {
  readonly writers: number;
  readonly streams: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

/** Runs the Emmett workload in a fresh node process and returns its figures (client CPU is the child's). */
export function benchEmmettAppend(url: string, eventsPerAppend: number, s: EmmettLoad): Promise<Throughput> {
  const load: EmmettLoad = { writers: s.writers, streams: s.streams, warmupMs: s.warmupMs, durationMs: s.durationMs };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), url, String(eventsPerAppend), JSON.stringify(load)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the Emmett benchmark process exited with ${code}`));
      try {
        resolve(JSON.parse(out) as Throughput);
      } catch (err) {
        reject(new Error(`the Emmett benchmark process printed no result: ${(err as Error).message}`));
      }
    });
  });
}

/** `eventsPerAppend` events per append with Emmett's expected stream versions (0 = new stream), tracked per stream. */
async function emmettLoad(url: string, eventsPerAppend: number, s: EmmettLoad): Promise<Throughput> {
  const store = getPostgreSQLEventStore(url);
  try {
    await store.schema.migrate();
    const versions = new Map<number, bigint>();
    const next = Array.from({ length: s.writers }, (_, w) => ownedStreams(w, s.writers, s.streams));
    let seq = 0;
    return await runWriters(s.writers, s.warmupMs, s.durationMs, async (w) => {
      const i = next[w]!();
      const events = sampleBatch(i, seq++, eventsPerAppend).map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }));
      const result = await store.appendToStream(streamName('', i), events, { expectedStreamVersion: versions.get(i) ?? 0n });
      versions.set(i, result.nextExpectedStreamVersion);
      return eventsPerAppend;
    }, databaseOf(url));
  } finally {
    await store.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, n, load] = process.argv.slice(2);
  const result = await emmettLoad(url!, Number(n), JSON.parse(load!) as EmmettLoad);
  process.stdout.write(JSON.stringify(result));
}
