// The contact center and traffic of the Erlang C check: one queue, N agents, longest-idle routing, a flow whose
// start node is the queue (no IVR), no wrap-up, no exits; Poisson arrivals, exponential talk times, agents who answer
// at once, callers who never give up. Everything Erlang C (M/M/N, FIFO, no abandonment) assumes, and nothing else.
import type { ContactCenterSpec } from '../../demo/seed-contact-center.ts';
import type { TrafficScenarioInput } from '../../simulator/traffic/traffic-scenario.ts';

/** The model's parameters; times in seconds. */
export interface ErlangCParameters {
  /** N. */
  readonly agents: number;
  /** λ, calls per second. */
  readonly arrivalRatePerSecond: number;
  /** Mean talk time = mean handle time (no hold, no wrap-up). */
  readonly meanTalkSeconds: number;
  /** T of the service level. */
  readonly answerTargetSeconds: number;
}

/**
 * N = 3, A = λ·h = 1.8 erlangs (occupancy 60 %), h = 60 s, T = 20 s: Erlang C predicts P(wait) ≈ 0.355,
 * SL ≈ 76.2 %, ASA ≈ 17.7 s — a queue where a third of the callers wait, neither trivial nor saturated; one agent
 * fewer would give SL ≈ 20 %, ASA ≈ 256 s, one more SL ≈ 94 %, ASA ≈ 3.5 s. Why so few agents: consecutive waits
 * are correlated over a busy period, and the queue relaxes in about A/(√N − √A)² calls — 18 here, against 72 for
 * N = 10 at 80 % — so the same number of calls gives a batch-means interval about half as wide (±13 % of ASA over
 * 20,000 calls instead of ±25 %), and a usable one on the few thousand calls a test can afford.
 */
export const ERLANG_C_PARAMETERS: ErlangCParameters = { agents: 3, arrivalRatePerSecond: 1.8 / 60, meanTalkSeconds: 60, answerTargetSeconds: 20 };

export const ERLANG_C_NUMBER = '7000';
export const ERLANG_C_QUEUE = 'erlang';

/** Agent ids, named like the simulator's directory users so `user/<id>` rings them. */
export const agentIdsOf = (p: ErlangCParameters): string[] => Array.from({ length: p.agents }, (_, i) => String(1000 + i));

/** See the module comment. */
export function erlangCContactCenter(p: ErlangCParameters): ContactCenterSpec {
  const agents = agentIdsOf(p);
  return {
    queues: [
      {
        id: ERLANG_C_QUEUE,
        settings: {
          name: 'Erlang C',
          routing: { strategy: 'longest-idle' },
          serviceLevel: { thresholdSeconds: p.answerTargetSeconds, formula: 'asterisk-sl', shortAbandonSeconds: 0 },
          // Erlang C's handle time is the talk time: an agent is free again the instant the call ends.
          wrapUp: { seconds: 0 },
        },
        agents,
      },
    ],
    agents: agents.map((id) => ({ id })),
    flows: [
      {
        id: 'straight-to-queue',
        flow: { id: 'straight-to-queue', name: 'Straight to the queue', start: 'queue', defaultLanguage: 'en-US', nodes: { queue: { kind: 'queue', queueId: ERLANG_C_QUEUE, priority: 0 } } },
      },
    ],
    numbers: { [ERLANG_C_NUMBER]: 'straight-to-queue' },
  };
}

/** The traffic: `calls` Poisson arrivals; patience far beyond any wait of the run (nobody abandons). */
export function erlangCTraffic(p: ErlangCParameters, calls: number, seed: string): TrafficScenarioInput {
  return {
    seed,
    arrivals: { ratePerSecond: p.arrivalRatePerSecond, maxCalls: calls },
    destinationNumber: ERLANG_C_NUMBER,
    patience: { kind: 'fixed', seconds: 1e9 },
    talkTime: { kind: 'exponential', mean: p.meanTalkSeconds },
    callerHangsUpRate: 1,
    // The agent's phone answers the instant it is offered (ringMs 0: not even a ringing event).
    agents: { answerDelayMs: [0, 0], noAnswerRate: 0, busyRate: 0, rejectRate: 0 },
  };
}
