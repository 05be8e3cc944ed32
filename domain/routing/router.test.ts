import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { route } from './router.ts';
import { agent, call, queue } from './routing-test-builders.ts';
import type { RoutingAgent } from './routing-view.ts';

const NOW = 1_000_000;
const pairs = (out: ReturnType<typeof route>) => out.assignments.map((a) => [a.callId, ...a.agentIds].join(':'));

describe('route: strategies (who gets the call and why)', () => {
  it('longest-idle offers the agent ready the longest', () => {
    const out = route({
      queues: [queue('q', { strategy: 'longest-idle' })],
      waitingCalls: [call('c1', 'q', NOW - 5_000)],
      agents: [agent('a', ['q'], { idleSince: NOW - 10_000 }), agent('b', ['q'], { idleSince: NOW - 90_000 }), agent('c', ['q'], { idleSince: NOW - 30_000 })],
      now: NOW,
    });
    expect(pairs(out)).toEqual(['c1:b']);
    expect(out.assignments[0]!.reason).toMatch(/longest idle: ready for 90 s \(3 eligible\)/);
    expect(out.assignments[0]!.kind).toBe('offer');
  });

  it('least-talk-time offers the agent who talked least, fewest-calls the one who took fewest calls', () => {
    const agents = [
      agent('a', ['q'], { talkSeconds: 300, callsHandled: 2 }),
      agent('b', ['q'], { talkSeconds: 100, callsHandled: 9 }),
      agent('c', ['q'], { talkSeconds: 900, callsHandled: 1 }),
    ];
    const base = { waitingCalls: [call('c1', 'q', NOW)], agents, now: NOW };
    expect(pairs(route({ ...base, queues: [queue('q', { strategy: 'least-talk-time' })] }))).toEqual(['c1:b']);
    expect(pairs(route({ ...base, queues: [queue('q', { strategy: 'fewest-calls' })] }))).toEqual(['c1:c']);
  });

  it('top-down offers by position in the queue, skipping agents who are not free', () => {
    const agents = [
      agent('first', ['q'], { queues: [{ queueId: 'q', position: 1 }], state: 'talking' }),
      agent('second', ['q'], { queues: [{ queueId: 'q', position: 2 }] }),
      agent('third', ['q'], { queues: [{ queueId: 'q', position: 3 }], idleSince: -1e9 }),
    ];
    const out = route({ queues: [queue('q', { strategy: 'top-down' })], waitingCalls: [call('c1', 'q', NOW)], agents, now: NOW });
    expect(pairs(out)).toEqual(['c1:second']);
    expect(out.assignments[0]!.reason).toMatch(/top-down: position 2/);
  });

  it('round-robin remembers its cursor: continues after the last agent and wraps around', () => {
    const agents = ['a', 'b', 'c'].map((id, i) => agent(id, ['q'], { queues: [{ queueId: 'q', position: i + 1 }] }));
    const q = queue('q', { strategy: 'round-robin' });
    const first = route({ queues: [q], waitingCalls: [call('c1', 'q', NOW)], agents, now: NOW });
    expect(pairs(first)).toEqual(['c1:a']);
    expect(first.roundRobinCursors).toEqual({ q: 'a' });
    const second = route({ queues: [{ ...q, roundRobinCursor: 'a' }], waitingCalls: [call('c2', 'q', NOW)], agents, now: NOW });
    expect(pairs(second)).toEqual(['c2:b']);
    const wrap = route({ queues: [{ ...q, roundRobinCursor: 'c' }], waitingCalls: [call('c3', 'q', NOW)], agents, now: NOW });
    expect(pairs(wrap)).toEqual(['c3:a']);
    expect(wrap.assignments[0]!.reason).toMatch(/wrapped around/);
    // two calls in one pass advance the cursor twice
    const two = route({ queues: [{ ...q, roundRobinCursor: 'a' }], waitingCalls: [call('x', 'q', NOW - 2), call('y', 'q', NOW - 1)], agents, now: NOW });
    expect(pairs(two)).toEqual(['x:b', 'y:c']);
    expect(two.roundRobinCursors).toEqual({ q: 'c' });
  });

  it('round-robin skips a busy next agent and keeps going around', () => {
    const agents = ['a', 'b', 'c'].map((id, i) => agent(id, ['q'], { queues: [{ queueId: 'q', position: i + 1 }], state: id === 'b' ? 'wrap_up' : 'ready' }));
    const out = route({ queues: [queue('q', { strategy: 'round-robin', roundRobinCursor: 'a' })], waitingCalls: [call('c1', 'q', NOW)], agents, now: NOW });
    expect(pairs(out)).toEqual(['c1:c']);
  });

  it('random draws from the seed: same seed, same agent; the draw covers every eligible agent', () => {
    const agents = ['a', 'b', 'c', 'd'].map((id) => agent(id, ['q']));
    const input = { queues: [queue('q', { strategy: 'random' as const })], waitingCalls: [call('c1', 'q', NOW)], agents, now: NOW };
    expect(pairs(route({ ...input, seed: 99 }))).toEqual(pairs(route({ ...input, seed: 99 })));
    const seen = new Set<string>();
    for (let seed = 0; seed < 60; seed++) seen.add(route({ ...input, seed }).assignments[0]!.agentIds[0]!);
    expect([...seen].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('random without a seed is a coded error', () => {
    const input = { queues: [queue('q', { strategy: 'random' as const })], waitingCalls: [call('c1', 'q', NOW)], agents: [agent('a', ['q'])], now: NOW };
    expect(() => route(input)).toThrow(expect.objectContaining({ code: 'ROUTING_SEED_REQUIRED' }));
  });

  it('ring-all offers one call to every eligible free agent', () => {
    const agents = [agent('a', ['q']), agent('b', ['q']), agent('busy', ['q'], { state: 'talking' })];
    const out = route({ queues: [queue('q', { strategy: 'ring-all' })], waitingCalls: [call('c1', 'q', NOW - 2)], agents, now: NOW });
    expect(out.assignments).toEqual([expect.objectContaining({ callId: 'c1', agentIds: ['a', 'b'], kind: 'offer', reason: expect.stringMatching(/^ring-all/) })]);
  });

  it('ring-all rings only the agents no other waiting caller needs: two callers, two agents, one each', () => {
    const agents = [agent('a', ['q']), agent('b', ['q']), agent('c', ['q', 'other'])];
    const out = route({
      queues: [queue('q', { strategy: 'ring-all', priority: 1 }), queue('other')],
      waitingCalls: [call('c1', 'q', NOW - 3), call('c2', 'q', NOW - 2), call('o', 'other', NOW - 1)],
      agents,
      now: NOW,
    });
    expect(pairs(out)).toEqual(['c1:a', 'c2:b', 'o:c']);
  });

  it('ring-all adds an agent who becomes ready while the call rings, but not one who already declined', () => {
    const agents = [agent('a', ['q'], { state: 'ringing' }), agent('back', ['q']), agent('declined', ['q'])];
    const offer = { startedAt: NOW - 4_000, ringingAgentIds: ['a'], releasedAgentIds: ['declined'] };
    const out = route({ queues: [queue('q', { strategy: 'ring-all' })], waitingCalls: [call('c1', 'q', NOW - 9_000, { offer })], agents, now: NOW });
    expect(out.assignments).toEqual([expect.objectContaining({ callId: 'c1', agentIds: ['back'], kind: 'extend' })]);
  });

  it('a call already ringing gets more agents only from those no caller waiting for a first agent can use', () => {
    const offer = { startedAt: NOW - 4_000, ringingAgentIds: ['a'], releasedAgentIds: [] };
    const out = route({
      queues: [queue('ring', { strategy: 'ring-all', priority: 5 }), queue('plain')],
      waitingCalls: [call('ringing', 'ring', NOW - 60_000, { offer }), call('fresh', 'plain', NOW - 1_000)],
      agents: [agent('a', ['ring'], { state: 'ringing' }), agent('both', ['ring', 'plain']), agent('ring-only', ['ring'])],
      now: NOW,
    });
    expect(pairs(out)).toEqual(['fresh:both', 'ringing:ring-only']);
  });

  it('ring-progressively starts with the top agent and adds one every interval', () => {
    const agents = ['p1', 'p2', 'p3'].map((id, i) => agent(id, ['q'], { queues: [{ queueId: 'q', position: i + 1 }] }));
    const q = queue('q', { strategy: 'ring-progressively', ringProgressivelyIntervalSeconds: 5 });
    const start = route({ queues: [q], waitingCalls: [call('c1', 'q', NOW)], agents, now: NOW });
    expect(pairs(start)).toEqual(['c1:p1']);
    expect(start.nextReviewAt).toBe(NOW + 5_000);

    const ringing: RoutingAgent[] = agents.map((a) => (a.id === 'p1' ? { ...a, state: 'ringing' } : a));
    const offer = { startedAt: NOW, ringingAgentIds: ['p1'], releasedAgentIds: [] };
    const early = route({ queues: [q], waitingCalls: [call('c1', 'q', NOW, { offer })], agents: ringing, now: NOW + 4_999 });
    expect(early.assignments).toEqual([]);
    expect(early.nextReviewAt).toBe(NOW + 5_000);
    const later = route({ queues: [q], waitingCalls: [call('c1', 'q', NOW, { offer })], agents: ringing, now: NOW + 5_000 });
    expect(later.assignments).toEqual([expect.objectContaining({ agentIds: ['p2'], kind: 'extend' })]);
    // the router catches up when it was not asked for a while
    const late = route({ queues: [q], waitingCalls: [call('c1', 'q', NOW, { offer })], agents: ringing, now: NOW + 12_000 });
    expect(late.assignments[0]!.agentIds).toEqual(['p2', 'p3']);
  });

  it('a call being offered under a one-agent strategy is not offered again', () => {
    const offer = { startedAt: NOW - 1_000, ringingAgentIds: ['a'], releasedAgentIds: [] };
    const out = route({ queues: [queue('q')], waitingCalls: [call('c1', 'q', NOW - 5_000, { offer })], agents: [agent('a', ['q'], { state: 'ringing' }), agent('b', ['q'])], now: NOW });
    expect(out.assignments).toEqual([]);
  });
});

describe('route: eligibility', () => {
  it('offers only ready agents below capacity, past their delay and not ringing for another call', () => {
    const agents = [
      ...(['logged_out', 'not_ready', 'offered', 'ringing', 'talking', 'wrap_up', 'break_out'] as const).map((state) => agent(state, ['q'], { state, idleSince: -1e9 })),
      agent('full', ['q'], { capacity: 1, activeCalls: 1, idleSince: -1e9 }),
      agent('delayed', ['q'], { unavailableUntil: NOW + 1, idleSince: -1e9 }),
      agent('rings-elsewhere', ['q'], { idleSince: -1e9 }),
      agent('ok', ['q']),
    ];
    const other = call('other', 'q2', NOW, { offer: { startedAt: NOW, ringingAgentIds: ['rings-elsewhere'], releasedAgentIds: [] } });
    const out = route({ queues: [queue('q'), queue('q2')], waitingCalls: [call('c1', 'q', NOW), other], agents, now: NOW });
    expect(pairs(out)).toEqual(['c1:ok']);
    expect(out.nextReviewAt).toBe(NOW + 1);
  });

  it('an agent whose delay has just ended is offered again', () => {
    const out = route({ queues: [queue('q')], waitingCalls: [call('c1', 'q', NOW)], agents: [agent('a', ['q'], { unavailableUntil: NOW })], now: NOW });
    expect(pairs(out)).toEqual(['c1:a']);
  });

  it('relaxes skills over time: proficiency ≥ 4, after 30 s ≥ 2, after 60 s anyone', () => {
    const relaxation = [
      { afterSeconds: 0, requirements: [{ skill: 'fr', minProficiency: 4 as const }] },
      { afterSeconds: 30, requirements: [{ skill: 'fr', minProficiency: 2 as const }] },
      { afterSeconds: 60, requirements: [] },
    ];
    const agents = [agent('fr2', ['q'], { skills: [{ skill: 'fr', proficiency: 2 }] }), agent('none', ['q'], { idleSince: -1e9 })];
    const at = (waited: number) => route({ queues: [queue('q', { relaxation })], waitingCalls: [call('c1', 'q', NOW - waited * 1000)], agents, now: NOW });
    expect(at(10).assignments).toEqual([]);
    expect(at(10).nextReviewAt).toBe(NOW + 20_000);
    expect(pairs(at(30))).toEqual(['c1:fr2']);
    expect(at(30).assignments[0]!.relaxationStep).toBe(1);
    expect(pairs(at(60))).toEqual(['c1:none']); // anyone: the longest idle wins now
    expect(at(60).assignments[0]!.reason).toMatch(/anyone on the queue/);
  });

  it("a call's own requirements replace the queue's", () => {
    const out = route({
      queues: [queue('q')],
      waitingCalls: [call('c1', 'q', NOW, { relaxation: [{ afterSeconds: 0, requirements: [{ skill: 'de', minProficiency: 1 }] }] })],
      agents: [agent('plain', ['q'], { idleSince: -1e9 }), agent('german', ['q'], { skills: [{ skill: 'de', proficiency: 3 }] })],
      now: NOW,
    });
    expect(pairs(out)).toEqual(['c1:german']);
  });
  it("after the overflow delay, agents of the overflow queue may take the caller, who keeps its place; skills still apply", () => {
    const q = queue('sales', { overflow: { queueId: 'support', afterSeconds: 30 } });
    const agents = [agent('helper', ['support']), agent('helper-fr', ['support'], { skills: [{ skill: 'fr', proficiency: 5 }], idleSince: 10 })];
    const at = (waited: number, over: Partial<ReturnType<typeof call>> = {}) =>
      route({ queues: [q, queue('support')], waitingCalls: [call('c1', 'sales', NOW - waited * 1000, over)], agents, now: NOW });
    expect(at(29).assignments).toEqual([]);
    expect(at(29).nextReviewAt).toBe(NOW + 1_000);
    expect(pairs(at(30))).toEqual(['c1:helper']);
    expect(at(30).assignments[0]!.reason).toMatch(/overflow agent from queue support/);
    const french = { relaxation: [{ afterSeconds: 0, requirements: [{ skill: 'fr', minProficiency: 3 as const }] }] };
    expect(pairs(at(45, french))).toEqual(['c1:helper-fr']);
  });
});

describe('route: caller priority and multi-queue agents', () => {
  it('serves base priority plus weight × seconds waited: a VIP overtakes, until the wait catches up', () => {
    const q = queue('q', { waitWeight: 1 });
    // old: 0 + 1 × 50 = 50; vip: 50 + 1 × 10 = 60
    const calls = [call('old', 'q', NOW - 50_000), call('vip', 'q', NOW - 10_000, { basePriority: 50 })];
    expect(pairs(route({ queues: [q], waitingCalls: calls, agents: [agent('a', ['q'])], now: NOW }))).toEqual(['vip:a']);
    // weight 2 — old: 100; vip: 50 + 20 = 70
    const longer = [call('old', 'q', NOW - 50_000), call('vip', 'q', NOW - 10_000, { basePriority: 50 })];
    expect(pairs(route({ queues: [{ ...q, waitWeight: 2 }], waitingCalls: longer, agents: [agent('a', ['q'])], now: NOW }))).toEqual(['old:a']);
  });

  it('an agent in several queues serves the higher-priority queue first', () => {
    const out = route({
      queues: [queue('sales', { priority: 1 }), queue('support', { priority: 5 })],
      waitingCalls: [call('s', 'sales', NOW - 600_000), call('t', 'support', NOW - 1_000)],
      agents: [agent('both', ['sales', 'support'])],
      now: NOW,
    });
    expect(pairs(out)).toEqual(['t:both']);
  });

  it('between queues of equal priority, the caller who waited longest across them', () => {
    const out = route({
      queues: [queue('sales', { priority: 2 }), queue('support', { priority: 2 })],
      waitingCalls: [call('t', 'support', NOW - 20_000), call('s', 'sales', NOW - 40_000)],
      agents: [agent('both', ['sales', 'support'])],
      now: NOW,
    });
    expect(pairs(out)).toEqual(['s:both']);
  });

  it('leaves the agent of several queues to the caller only it can serve, even when it is the longest idle', () => {
    const out = route({
      queues: [queue('sales', { priority: 2 }), queue('support', { priority: 1 })],
      waitingCalls: [call('t', 'support', NOW - 20_000), call('s', 'sales', NOW - 40_000)],
      agents: [agent('both', ['sales', 'support'], { idleSince: 0 }), agent('sales-only', ['sales'], { idleSince: 5 })],
      now: NOW,
    });
    expect(pairs(out)).toEqual(['s:sales-only', 't:both']);
    expect(out.assignments[0]!.reason).toMatch(/1 preferred agent\(s\) left for callers only they can serve/);
  });

  it('a skilled agent goes to the high-priority caller only it can serve, the plain agent to the other', () => {
    const relaxation = [{ afterSeconds: 0, requirements: [{ skill: 'es', minProficiency: 3 as const }] }];
    const out = route({
      queues: [queue('q', { waitWeight: 1 })],
      waitingCalls: [call('spanish', 'q', NOW - 30_000, { relaxation }), call('any', 'q', NOW - 10_000)],
      agents: [agent('es', ['q'], { skills: [{ skill: 'es', proficiency: 5 }], idleSince: 0 }), agent('plain', ['q'], { idleSince: 10 })],
      now: NOW,
    });
    expect(pairs(out).sort()).toEqual(['any:plain', 'spanish:es']);
  });
});

describe('route: inconsistent input', () => {
  it('rejects duplicate ids with a coded error', () => {
    try {
      route({ queues: [queue('q')], waitingCalls: [], agents: [agent('a', ['q']), agent('a', ['q'])], now: NOW });
      expect.unreachable();
    } catch (e) {
      expect(isLedgerlineError(e, 'ROUTING_INPUT_INVALID')).toBe(true);
    }
  });

  it('skips calls of unknown queues and routes the rest', () => {
    const out = route({ queues: [queue('q')], waitingCalls: [call('lost', 'nowhere', 0), call('c1', 'q', NOW)], agents: [agent('a', ['q'])], now: NOW });
    expect(pairs(out)).toEqual(['c1:a']);
    expect(out.skipped).toEqual([{ callId: 'lost', reason: 'unknown queue nowhere' }]);
  });
});
