// `./ledgerline sim`: the FreeSWITCH Event Socket simulator as a process (see infra/simulator/).
import { createAcceleratedClock, createRealClock } from '../../simulator/clock/sim-clock.ts';
import { parseSimFlags, SIM_USAGE } from '../../simulator/cli/sim-flags.ts';
import type { EndpointConfig } from '../../simulator/core/endpoints.ts';
import { createSeededRandom } from '../../simulator/random/seeded-random.ts';
import { startSimulator } from '../../simulator/server/start-simulator.ts';
import { loadScenario } from '../../simulator/traffic/load-scenario.ts';
import { TrafficGenerator } from '../../simulator/traffic/traffic-generator.ts';

/** Runs the simulator until SIGINT/SIGTERM. */
export async function run(args: string[]): Promise<number> {
  const flags = parseSimFlags(args);
  if (flags.help) {
    console.log(SIM_USAGE);
    return 0;
  }
  const scenario = flags.scenario ? await loadScenario(flags.scenario) : undefined;
  const endpoints: Record<string, EndpointConfig> = {};
  for (const u of flags.busy) endpoints[u] = { kind: 'busy' };
  for (const u of flags.reject) endpoints[u] = { kind: 'reject' };
  for (const u of flags['no-answer']) endpoints[u] = { kind: 'no-answer' };
  for (const u of flags.unregistered) endpoints[u] = { kind: 'unregistered' };
  const seed = scenario?.seed ?? flags.seed;
  const clock = flags.speed === 1 ? createRealClock() : createAcceleratedClock(flags.speed);
  const sim = await startSimulator({
    port: flags.port,
    host: flags.host,
    password: flags.password,
    seed,
    clock,
    endpoints,
    ringMs: flags['ring-ms'],
    heartbeatSec: flags.heartbeat,
  });
  if (flags['split-frames'] > 0) sim.faults.splitFrames(flags['split-frames']);
  if (flags.reorder > 0) sim.faults.reorder(flags.reorder, flags['reorder-delay-ms']);
  console.log(`ledgerline sim: FreeSWITCH event socket on ${sim.host}:${sim.port} (password ${flags.password === 'ClueCon' ? 'ClueCon' : '***'}, seed ${seed}, speed ${flags.speed}x)`);
  let traffic: TrafficGenerator | undefined;
  if (scenario || flags.rate !== undefined) {
    const base = scenario ?? (await import('../../simulator/traffic/traffic-scenario.ts')).TrafficScenarioSchema.parse({ arrivals: { ratePerSecond: flags.rate ?? 0 } });
    const effective = {
      ...base,
      arrivals: { ...base.arrivals, ratePerSecond: flags.rate ?? base.arrivals.ratePerSecond, durationSec: flags.duration ?? base.arrivals.durationSec },
    };
    traffic = new TrafficGenerator(sim.core, effective, createSeededRandom(`${seed}:traffic`));
    traffic.start();
    console.log(`ledgerline sim: traffic ${effective.arrivals.ratePerSecond} calls/s${effective.arrivals.durationSec ? ` for ${effective.arrivals.durationSec} s` : ''}`);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  traffic?.stop();
  if (traffic) console.log(`ledgerline sim: ${JSON.stringify(traffic.stats)}`);
  console.log('ledgerline sim: stopping');
  await sim.close();
  return 0;
}
