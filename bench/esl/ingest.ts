// `node bench/esl/ingest.ts`: ESL events per second the FreeSWITCH adapter ingests on one connection (modesl parse,
// our guarded client, stage 1 toSwitchFact, stage 2 factToCallCommands with zod validation), beside modesl's raw
// parse rate measured in the same run on the same frames over the same loopback TCP. Writes
// bench/results/esl-ingest.json. BENCH_QUICK=1 for a short smoke run (results to esl-ingest.json.tmp).
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import esl, { type ModeslEvent } from 'modesl';
import { SwitchConnection } from '../../adapters/freeswitch/connection/switch-connection.ts';
import { type ChannelContext, factToCallCommands } from '../../adapters/freeswitch/translator/fact-to-call-commands.ts';
import { startBlastServer, type BlastServer } from './blast-server.ts';
import { buildCorpus, type Corpus } from './corpus.ts';

const quick = process.env.BENCH_QUICK === '1';
const CALLS = quick ? 10 : 40;
const EVENTS_PER_ROUND = quick ? 5_000 : 40_000;
const ROUNDS = quick ? 1 : 3;
const t0 = performance.now();
const log = (msg: string): void => void process.stderr.write(`[bench esl ${((performance.now() - t0) / 1000).toFixed(0).padStart(3)}s] ${msg}\n`);

interface Round {
  readonly events: number;
  readonly ms: number;
  /** Wall clock: depends on how much CPU the shared machine leaves us. */
  readonly eventsPerSec: number;
  /** Events per CPU-second of this process (user + system), which other load does not distort. */
  readonly eventsPerCpuSec: number;
}

/** Runs `work` and measures wall-clock and this process's CPU time. */
async function measured(events: number, work: () => Promise<void>): Promise<Round> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await work();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  return { events, ms, eventsPerSec: events / (ms / 1000), eventsPerCpuSec: events / cpuSec };
}

/** Resolves when `count()` reaches `target`: checked by the counting callback through `kick`, and every 50 ms. */
function reached(count: () => number, target: number): { done: Promise<void>; kick: () => void } {
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const timer = setInterval(() => kick(), 50);
  const kick = (): void => {
    if (count() >= target) {
      clearInterval(timer);
      resolve();
    }
  };
  return { done, kick };
}

/** modesl alone: frames parsed into modesl Events (what any modesl user pays). */
async function rawRound(server: BlastServer, corpus: Corpus, repeat: number): Promise<Round> {
  const conn = new esl.Connection('127.0.0.1', server.port, 'ClueCon');
  conn.on('error', () => {});
  await new Promise<void>((resolve) => conn.once('esl::ready', () => resolve()));
  let count = 0;
  const target = corpus.frames.length * repeat;
  const until = reached(() => count, target);
  (conn as unknown as { parser: NodeJS.EventEmitter }).parser.on('esl::event', (_e: ModeslEvent, headers: Record<string, unknown>) => {
    if (headers['Content-Type'] === 'text/event-json' && ++count >= target) until.kick();
  });
  await new Promise((r) => setTimeout(r, 50));
  const round = await measured(target, async () => {
    await server.blast(corpus.frames, repeat);
    await until.done;
  });
  conn.socket?.destroy();
  return round;
}

/** The adapter: SwitchConnection → facts → call commands against an engine context. */
async function adapterRound(server: BlastServer, corpus: Corpus, repeat: number): Promise<Round & { commands: number; facts: number; ignored: number }> {
  const contexts = new Map<string, ChannelContext>();
  for (const l of corpus.legs) {
    contexts.set(l.a, { callId: l.callId, role: 'caller', status: 'offered' });
    contexts.set(l.b, { callId: l.callId, role: 'agent', status: 'offered', offerId: l.offerId });
  }
  const context = { channel: (u: string) => contexts.get(u) };
  let commands = 0;
  let facts = 0;
  const tracker: { until?: ReturnType<typeof reached> } = {};
  const conn = new SwitchConnection({
    host: '127.0.0.1', port: server.port, password: 'ClueCon', heartbeatMisses: 0,
    onFact: (fact) => {
      commands += factToCallCommands(fact, context).length;
      facts++;
      tracker.until?.kick();
    },
  });
  conn.start();
  await conn.ready(10_000);
  await new Promise((r) => setTimeout(r, 50));
  const base = conn.stats.events;
  const target = corpus.frames.length * repeat;
  commands = 0;
  facts = 0;
  const until = reached(() => conn.stats.events - base, target);
  tracker.until = until;
  const round = await measured(target, async () => {
    await server.blast(corpus.frames, repeat);
    await until.done;
  });
  const ignored = Object.values(conn.stats.ignored).reduce((a, b) => a + b, 0);
  conn.stop();
  return { ...round, commands, facts, ignored };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Runs the benchmark and writes bench/results/esl-ingest.json. */
export async function runIngestBench(): Promise<void> {
  const loadStart = os.loadavg();
  log(`building the corpus (${CALLS} calls on the simulator)`);
  const corpus = await buildCorpus(CALLS);
  const repeat = Math.max(1, Math.ceil(EVENTS_PER_ROUND / corpus.frames.length));
  log(`${corpus.frames.length} frames (${(corpus.bytes / corpus.frames.length / 1024).toFixed(1)} KiB mean); ${repeat}× per round, ${ROUNDS} interleaved rounds`);
  const server = await startBlastServer(corpus.coreUuid);
  const raw: Round[] = [];
  const adapter: Array<Awaited<ReturnType<typeof adapterRound>>> = [];
  try {
    // Warm-up (JIT) of both paths on a small share, not reported.
    await rawRound(server, corpus, 1);
    await adapterRound(server, corpus, 1);
    for (let r = 0; r < ROUNDS; r++) {
      raw.push(await rawRound(server, corpus, repeat));
      log(`round ${r + 1}: modesl raw ${raw.at(-1)!.eventsPerSec.toFixed(0)} ev/s wall, ${raw.at(-1)!.eventsPerCpuSec.toFixed(0)} ev/CPU-s`);
      adapter.push(await adapterRound(server, corpus, repeat));
      log(`round ${r + 1}: adapter ${adapter.at(-1)!.eventsPerSec.toFixed(0)} ev/s wall, ${adapter.at(-1)!.eventsPerCpuSec.toFixed(0)} ev/CPU-s (${adapter.at(-1)!.commands} commands)`);
    }
  } finally {
    await server.close();
  }
  const rawRate = median(raw.map((x) => x.eventsPerSec));
  const adapterRate = median(adapter.map((x) => x.eventsPerSec));
  const rawCpuRate = median(raw.map((x) => x.eventsPerCpuSec));
  const adapterCpuRate = median(adapter.map((x) => x.eventsPerCpuSec));
  const cpus = os.cpus();
  const result = {
    benchmark: 'esl-ingest',
    description: 'ESL events/s on one inbound connection over loopback TCP: modesl 1.2.1 parse alone vs the Ledgerline adapter (guarded modesl client + toSwitchFact + factToCallCommands with zod validation). Median of interleaved rounds.',
    startedAt: new Date(Date.now() - (performance.now() - t0)).toISOString(),
    quick,
    machine: {
      cpuModel: cpus[0]?.model ?? 'unknown',
      logicalCpus: cpus.length,
      totalMemoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      node: process.version,
      loadAverage1mStart: loadStart[0],
      loadAverage1mEnd: os.loadavg()[0],
      note: 'Shared 2-core machine: other processes may run at the same time; read the load averages.',
    },
    corpus: { calls: CALLS, frames: corpus.frames.length, meanFrameBytes: Math.round(corpus.bytes / corpus.frames.length), format: 'json', byEvent: corpus.byEvent, eventsPerRound: corpus.frames.length * repeat },
    modeslRawEventsPerSec: Math.round(rawRate),
    adapterEventsPerSec: Math.round(adapterRate),
    adapterToRawRatio: Math.round((adapterRate / rawRate) * 1000) / 1000,
    perCpuSecond: {
      note: 'Events per CPU-second of the bench process (user+system; the in-process blast server only writes prebuilt buffers). Robust to other load on the machine; the wall-clock rates above are not.',
      modeslRawEventsPerCpuSec: Math.round(rawCpuRate),
      adapterEventsPerCpuSec: Math.round(adapterCpuRate),
      adapterToRawRatio: Math.round((adapterCpuRate / rawCpuRate) * 1000) / 1000,
    },
    rounds: {
      modeslRaw: raw.map((x) => ({ eventsPerSec: Math.round(x.eventsPerSec), eventsPerCpuSec: Math.round(x.eventsPerCpuSec) })),
      adapter: adapter.map((x) => ({ eventsPerSec: Math.round(x.eventsPerSec), eventsPerCpuSec: Math.round(x.eventsPerCpuSec) })),
    },
    adapterOutput: { factsLastRound: adapter.at(-1)?.facts, ignoredLastRound: adapter.at(-1)?.ignored, commandsLastRound: adapter.at(-1)?.commands },
  };
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const file = `${dir}esl-ingest.json${quick ? '.tmp' : ''}`;
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`wall: modesl raw ${result.modeslRawEventsPerSec} ev/s, adapter ${result.adapterEventsPerSec} ev/s (ratio ${result.adapterToRawRatio}); per CPU-s: ${result.perCpuSecond.modeslRawEventsPerCpuSec} vs ${result.perCpuSecond.adapterEventsPerCpuSec} (ratio ${result.perCpuSecond.adapterToRawRatio}); wrote ${file}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runIngestBench().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench esl: ${String(err)}\n`);
      process.exit(1);
    },
  );
}
