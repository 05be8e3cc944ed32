// The contact center and the traffic of the routing-latency benchmark: one queue every agent takes, a flow that
// queues the caller at once (no IVR: the benchmark is about routing), and agents who always answer quickly, talk
// briefly and wrap up briefly, so that at the tested rates an agent is almost always free.
import type { ContactCenterSpec } from '../../infra/demo/seed-contact-center.ts';
import type { TrafficScenarioInput } from '../../infra/simulator/traffic/traffic-scenario.ts';

export const BENCH_NUMBER = '7000';

/** Agent ids, named like the simulator's directory users so `user/<id>` rings them. */
export function agentIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(1000 + i));
}

/** See the module comment. */
export function benchContactCenter(agents: number): ContactCenterSpec {
  const ids = agentIds(agents);
  return {
    queues: [
      {
        id: 'main',
        settings: {
          name: 'Main',
          routing: { strategy: 'longest-idle' },
          serviceLevel: { thresholdSeconds: 20, formula: 'genesys', shortAbandonSeconds: 5 },
          wrapUp: { seconds: 0 },
          noAnswer: { maxNoAnswer: 3, ringTimeoutSeconds: 15, rejectDelaySeconds: 10, busyDelaySeconds: 30, noAnswerDelaySeconds: 30 },
        },
        agents: ids,
      },
    ],
    agents: ids.map((id) => ({ id })),
    flows: [
      {
        id: 'direct',
        flow: { id: 'direct', name: 'Straight to the queue', start: 'queue', defaultLanguage: 'en-US', nodes: { queue: { kind: 'queue', queueId: 'main', priority: 0 } } },
      },
    ],
    numbers: { [BENCH_NUMBER]: 'direct' },
  };
}

/**
 * One ramp step's arrivals: `wallRate` calls per wall second on a clock `factor` times faster, for `wallSeconds`.
 * Talk and answer times are in simulated time; patient callers (nobody abandons while the engine keeps up).
 */
export function stepTraffic(seed: string, wallRate: number, factor: number, wallSeconds: number): TrafficScenarioInput {
  return {
    seed,
    arrivals: { ratePerSecond: wallRate / factor, durationSec: wallSeconds * factor },
    destinationNumber: BENCH_NUMBER,
    patience: { kind: 'fixed', seconds: 3600 },
    talkTime: { kind: 'uniform', min: 2, max: 4 },
    callerHangsUpRate: 0.5,
    agents: { answerDelayMs: [200, 600], noAnswerRate: 0, busyRate: 0, rejectRate: 0 },
  };
}
