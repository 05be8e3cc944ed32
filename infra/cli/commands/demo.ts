import { loadConfig } from '../../config/config.ts';
import { startDemo } from '../../demo/run-demo.ts';
import { untilSignal } from './serve.ts';

/** `demo`: the simulator, the engine, the API and the wallboard in one process on .data/ (what `make run` starts). */
export async function run(args: string[]): Promise<number> {
  const rate = args[0] === '--rate' && args[1] !== undefined ? Number(args[1]) : undefined;
  if (rate !== undefined && !(rate > 0 && rate <= 50)) {
    console.error('ledgerline demo: --rate must be a number of new calls per second, above 0 and at most 50');
    return 2;
  }
  const demo = await startDemo(loadConfig(), rate === undefined ? {} : { ratePerSecond: rate });
  console.log(`ledgerline demo: FreeSWITCH simulator on ${demo.sim.host}:${demo.sim.port}; callers dial 5000 (tenant demo: sales and support, 20 agents)`);
  console.log(`ledgerline demo: open the wallboard at ${demo.wallboardUrl}`);
  console.log('ledgerline demo: Ctrl-C stops everything; state stays in .data/');
  await untilSignal();
  console.log('ledgerline demo: stopping');
  await demo.stop();
  return 0;
}
