// Runs one append measurement in a fresh node process, so that every system starts from the same state: no JIT
// warmth from earlier rounds, no process-wide driver settings left behind by another library (Emmett's dumbo
// replaces pg's type parsers), and the process's CPU time belongs to that system alone.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Throughput } from './load-loop.ts';
import type { AppendLoad } from './settings.ts';

/** The systems an append measurement can run. */
export type AppendSystem = 'raw' | 'ledgerline' | 'emmett';

/** Measures `system` with `eventsPerAppend` per append against the database at `url`, in a child process. */
export function measureIsolated(system: AppendSystem, url: string, eventsPerAppend: number, load: AppendLoad): Promise<Throughput> {
  const plain: AppendLoad = { writers: load.writers, streams: load.streams, warmupMs: load.warmupMs, durationMs: load.durationMs };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), system, url, String(eventsPerAppend), JSON.stringify(plain)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the ${system} benchmark process exited with ${code}`));
      try {
        resolve(JSON.parse(out) as Throughput);
      } catch (err) {
        reject(new Error(`the ${system} benchmark process printed no result: ${(err as Error).message}`));
      }
    });
  });
}

async function run(system: AppendSystem, url: string, n: number, load: AppendLoad): Promise<Throughput> {
  switch (system) {
    case 'raw':
      return (await import('./raw-insert.ts')).benchRawInsert(url, n, load);
    case 'ledgerline':
      return (await import('./ledgerline-append.ts')).benchLedgerlineAppend(url, n, load);
    case 'emmett':
      return (await import('./emmett-append.ts')).benchEmmettAppend(url, n, load);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [system, url, n, load] = process.argv.slice(2);
  const result = await run(system as AppendSystem, url!, Number(n), JSON.parse(load!) as AppendLoad);
  process.stdout.write(JSON.stringify(result));
}
