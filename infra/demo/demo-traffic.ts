// The callers of `make run`: a steady, realistic stream on the demo number — most choose sales or support in the
// menu, a few hang up early or wait too long, agents sometimes miss a call — at a rate the demo's 20 agents can
// almost keep up with, so the wallboard shows queues forming and draining.
import type { TrafficScenarioInput } from '../simulator/traffic/traffic-scenario.ts';
import { DEMO_NUMBER } from './demo-contact-center.ts';

/** The demo's traffic; `ratePerSecond` defaults to 0.25 (20 agents, about 70 s per call: ~90 % busy). */
export function demoTraffic(ratePerSecond = 0.25): TrafficScenarioInput {
  return {
    seed: 'ledgerline-demo',
    arrivals: { ratePerSecond },
    callers: {
      tiers: [
        { name: 'vip', weight: 1, numbers: ['+15550000001', '+15550000002'], names: ['Ada Müller', 'Bob Smith'] },
        { name: 'standard', weight: 9, prefix: '+1555100', count: 5000 },
      ],
    },
    destinationNumber: DEMO_NUMBER,
    ivr: { prompts: [{ answers: [{ digits: '1', probability: 0.55 }, { digits: '2', probability: 0.35 }, { digits: '9', probability: 0.04 }] }], thinkTimeMs: [800, 3000] },
    patience: { kind: 'exponential', mean: 180 },
    talkTime: { kind: 'lognormal', median: 50, sigma: 0.5 },
    callerHangsUpRate: 0.6,
    agents: { answerDelayMs: [1500, 5000], noAnswerRate: 0.03, busyRate: 0.01, rejectRate: 0.01 },
  };
}
