import { describe, expect, it } from 'vitest';
import { agentAfterOffer, callAfterOffer, type OfferPolicy } from './offer-outcome.ts';
import { route } from './router.ts';
import { agent, call, queue } from './routing-test-builders.ts';

const NOW = 2_000_000;
const policy: OfferPolicy = { maxNoAnswer: 3, noAnswerDelaySeconds: 30, rejectDelaySeconds: 10, busyDelaySeconds: 60 };

describe('agentAfterOffer', () => {
  it('answered: talking, and the no-answer streak resets', () => {
    expect(agentAfterOffer('answered', 2, policy, NOW)).toEqual({ state: 'talking', consecutiveNoAnswers: 0 });
  });

  it('no-answer: ready after the delay, until the streak reaches max-no-answer, then break_out', () => {
    expect(agentAfterOffer('no-answer', 0, policy, NOW)).toEqual({ state: 'ready', unavailableUntil: NOW + 30_000, consecutiveNoAnswers: 1 });
    expect(agentAfterOffer('no-answer', 2, policy, NOW)).toEqual({ state: 'break_out', consecutiveNoAnswers: 3 });
    expect(agentAfterOffer('no-answer', 50, { ...policy, maxNoAnswer: 0 }, NOW).state).toBe('ready');
  });

  it('rejected and busy: ready after their own delays, streak unchanged; rescinded: ready at once', () => {
    expect(agentAfterOffer('rejected', 1, policy, NOW)).toEqual({ state: 'ready', unavailableUntil: NOW + 10_000, consecutiveNoAnswers: 1 });
    expect(agentAfterOffer('busy', 1, policy, NOW)).toEqual({ state: 'ready', unavailableUntil: NOW + 60_000, consecutiveNoAnswers: 1 });
    expect(agentAfterOffer('rescinded', 1, policy, NOW)).toEqual({ state: 'ready', consecutiveNoAnswers: 1 });
    expect(agentAfterOffer('rejected', 0, { ...policy, rejectDelaySeconds: 0 }, NOW)).toEqual({ state: 'ready', consecutiveNoAnswers: 0 });
  });

  it('rejects a negative delay with a coded error', () => {
    expect(() => agentAfterOffer('busy', 0, { ...policy, busyDelaySeconds: -1 }, NOW)).toThrow(expect.objectContaining({ code: 'OFFER_OUTCOME_INVALID' }));
  });

  it('the router does not offer the agent again before the delay ends', () => {
    const after = agentAfterOffer('no-answer', 0, policy, NOW);
    const a = agent('a', ['q'], { state: after.state, unavailableUntil: after.unavailableUntil });
    const input = { queues: [queue('q')], waitingCalls: [call('c', 'q', NOW - 10_000)], agents: [a] };
    expect(route({ ...input, now: NOW + 29_999 }).assignments).toEqual([]);
    expect(route({ ...input, now: NOW + 29_999 }).nextReviewAt).toBe(NOW + 30_000);
    expect(route({ ...input, now: NOW + 30_000 }).assignments).toHaveLength(1);
  });
});

describe('callAfterOffer', () => {
  const offered = call('c', 'q', NOW - 40_000, { basePriority: 2, offer: { startedAt: NOW - 5_000, ringingAgentIds: ['a', 'b'], releasedAgentIds: [] } });

  it('answered: connected, and the other ringing agents are rescinded', () => {
    expect(callAfterOffer(offered, 'b', 'answered')).toEqual({ kind: 'connected', agentId: 'b', rescind: ['a'] });
  });

  it('one of several ringing agents declines: the call keeps ringing the others', () => {
    const out = callAfterOffer(offered, 'a', 'no-answer');
    expect(out).toEqual({ kind: 'still-offered', call: { ...offered, offer: { startedAt: NOW - 5_000, ringingAgentIds: ['b'], releasedAgentIds: ['a'] } } });
  });

  it('no answer from the last ringing agent: back in the queue at its original place (enqueue time unchanged)', () => {
    const single = call('c', 'q', NOW - 40_000, { offer: { startedAt: NOW - 5_000, ringingAgentIds: ['a'], releasedAgentIds: [] } });
    const out = callAfterOffer(single, 'a', 'no-answer');
    expect(out).toEqual({ kind: 'back-in-queue', call: call('c', 'q', NOW - 40_000) });
    // ahead of a caller who arrived after it
    const r = route({ queues: [queue('q')], waitingCalls: [call('later', 'q', NOW - 20_000), (out as { call: ReturnType<typeof call> }).call], agents: [agent('b', ['q'])], now: NOW });
    expect(r.assignments.map((x) => x.callId)).toEqual(['c']);
  });
});
