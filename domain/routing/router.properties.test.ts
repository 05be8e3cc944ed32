// Invariants of the router over generated routing views (fast-check, 1,000+ cases each, small views).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGENT_STATES, ROUTING_STRATEGIES, type Proficiency, type RelaxationStep, type SkillRequirement } from '../shared/contact-center.ts';
import { routingOrder } from './caller-priority.ts';
import { isAgentEligible, route } from './router.ts';
import type { RouteInput, RoutingAgent, RoutingCall, RoutingQueue } from './routing-view.ts';

const NOW = 10_000_000;
const RUNS = 1000;
const SKILLS = ['en', 'fr', 'es'];
const QUEUE_IDS = ['q0', 'q1', 'q2'];

const proficiency = fc.integer({ min: 1, max: 5 }) as fc.Arbitrary<Proficiency>;
const requirement: fc.Arbitrary<SkillRequirement> = fc.record({ skill: fc.constantFrom(...SKILLS), minProficiency: proficiency });
const step: fc.Arbitrary<RelaxationStep> = fc.record({
  afterSeconds: fc.constantFrom(0, 10, 30, 60, 90),
  requirements: fc.oneof(fc.constant([]), fc.array(requirement, { minLength: 1, maxLength: 2 })),
});
/** Steps in any order; with `complete`, the latest step is "anyone" (an empty list), as relaxation should end. */
const relaxation = (complete: boolean): fc.Arbitrary<RelaxationStep[]> =>
  complete
    ? fc.tuple(fc.array(step, { maxLength: 2 }), fc.constantFrom(0, 30, 60, 90)).map(([s, last]) => [
        ...s.map((x) => ({ ...x, afterSeconds: Math.min(x.afterSeconds, last) })).filter((x) => x.afterSeconds < last),
        { afterSeconds: last, requirements: [] },
      ])
    : fc.array(step, { maxLength: 3 });

/** `value` one time in four, else `none`. */
function rarely<T, N>(value: fc.Arbitrary<T>, none: N): fc.Arbitrary<T | N> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(none) }, { weight: 1, arbitrary: value });
}

function view(complete: boolean): fc.Arbitrary<RouteInput> {
  return fc.integer({ min: 1, max: 3 }).chain((nq) => {
    const qids = QUEUE_IDS.slice(0, nq);
    const queues = fc.tuple(
      ...qids.map((id) =>
        fc.record({
          id: fc.constant(id),
          strategy: fc.constantFrom(...ROUTING_STRATEGIES),
          priority: fc.integer({ min: 0, max: 2 }),
          waitWeight: fc.constantFrom(0, 0.5, 1, 2),
          relaxation: relaxation(complete),
          roundRobinCursor: fc.option(fc.constantFrom('a0', 'a1', 'a2', 'a3', 'a4', 'a5'), { nil: undefined }),
          ringProgressivelyIntervalSeconds: fc.option(fc.constantFrom(5, 10), { nil: undefined }),
          overflow: rarely(fc.record({ queueId: fc.constantFrom(...qids.filter((q) => q !== id), 'elsewhere'), afterSeconds: fc.constantFrom(0, 30, 60) }), null),
        }) as fc.Arbitrary<RoutingQueue>,
      ),
    );
    const agents = fc.integer({ min: 1, max: 6 }).chain((na) =>
      fc.tuple(
        ...Array.from({ length: na }, (_, i) =>
          fc.record({
            id: fc.constant(`a${i}`),
            state: fc.oneof({ weight: 4, arbitrary: fc.constant('ready' as const) }, { weight: 1, arbitrary: fc.constantFrom(...AGENT_STATES) }),
            skills: fc.uniqueArray(fc.record({ skill: fc.constantFrom(...SKILLS), proficiency }), { minLength: 1, maxLength: 3, selector: (s) => s.skill }),
            queues: fc.uniqueArray(fc.record({ queueId: fc.constantFrom(...qids), position: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: nq, selector: (m) => m.queueId }),
            capacity: fc.integer({ min: 1, max: 2 }),
            activeCalls: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 }) }),
            unavailableUntil: rarely(fc.integer({ min: NOW - 5_000, max: NOW + 5_000 }), undefined),
            idleSince: fc.integer({ min: NOW - 600_000, max: NOW }),
            talkSeconds: fc.integer({ min: 0, max: 5 }),
            callsHandled: fc.integer({ min: 0, max: 5 }),
          }) as fc.Arbitrary<RoutingAgent>,
        ),
      ),
    );
    return fc.tuple(queues, agents).chain(([qs, as]) => {
      const aids = as.map((a) => a.id);
      const offer = fc.record({
        startedAt: fc.integer({ min: NOW - 40_000, max: NOW }),
        ringingAgentIds: fc.subarray(aids, { maxLength: Math.min(2, aids.length) }),
        releasedAgentIds: fc.subarray(aids, { maxLength: Math.min(2, aids.length) }),
      });
      const calls = fc.integer({ min: 1, max: 8 }).chain((nc) =>
        fc.tuple(
          ...Array.from({ length: nc }, (_, i) =>
            fc.record({
              id: fc.constant(`c${i}`),
              queueId: fc.constantFrom(...qids),
              enqueuedAt: fc.integer({ min: NOW - 120_000, max: NOW }),
              basePriority: fc.integer({ min: 0, max: 3 }),
              relaxation: rarely(relaxation(complete), undefined),
              offer: rarely(offer, undefined),
            }) as fc.Arbitrary<RoutingCall>,
          ),
        ),
      );
      return fc.record({ queues: fc.constant(qs), agents: fc.constant(as), waitingCalls: calls, now: fc.constant(NOW), seed: fc.integer() });
    });
  });
}

// --- an independent oracle, written from the rules rather than from router.ts ---
const waitedSeconds = (c: RoutingCall): number => Math.max(0, (NOW - c.enqueuedAt) / 1000);
function requirementsNow(steps: readonly RelaxationStep[], waited: number): readonly SkillRequirement[] {
  if (steps.length === 0) return [];
  const ordered = [...steps].sort((x, y) => x.afterSeconds - y.afterSeconds);
  const started = ordered.filter((s) => s.afterSeconds <= waited);
  return (started.at(-1) ?? ordered[0]!).requirements;
}
function skilled(a: RoutingAgent, c: RoutingCall, q: RoutingQueue): boolean {
  const overflowDue = q.overflow != null && waitedSeconds(c) >= q.overflow.afterSeconds;
  return (
    a.queues.some((m) => m.queueId === c.queueId || (overflowDue && m.queueId === q.overflow!.queueId)) &&
    requirementsNow(c.relaxation ?? q.relaxation, waitedSeconds(c)).every((r) => a.skills.some((s) => s.skill === r.skill && s.proficiency >= r.minProficiency))
  );
}
function freeAgents(input: RouteInput): RoutingAgent[] {
  const ringing = new Set(input.waitingCalls.flatMap((c) => c.offer?.ringingAgentIds ?? []));
  return input.agents.filter((a) => a.state === 'ready' && a.activeCalls < a.capacity && !((a.unavailableUntil ?? 0) > NOW) && !ringing.has(a.id));
}
const prio = (c: RoutingCall, q: RoutingQueue): number => c.basePriority + q.waitWeight * waitedSeconds(c);

describe('route: invariants', () => {
  it('never assigns an agent who is not ready (busy, offered, ringing, wrap-up…), full, delayed or ringing elsewhere', () => {
    fc.assert(
      fc.property(view(false), (input) => {
        const free = new Set(freeAgents(input).map((a) => a.id));
        for (const a of route(input).assignments) for (const id of a.agentIds) expect(free.has(id)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('never assigns an agent twice or a call twice, nor re-offers a call to an agent it was already offered to', () => {
    fc.assert(
      fc.property(view(false), (input) => {
        const out = route(input);
        const agentIds = out.assignments.flatMap((a) => a.agentIds);
        expect(new Set(agentIds).size).toBe(agentIds.length);
        const callIds = out.assignments.map((a) => a.callId);
        expect(new Set(callIds).size).toBe(callIds.length);
        for (const a of out.assignments) {
          expect(a.agentIds.length).toBeGreaterThan(0);
          const c = input.waitingCalls.find((x) => x.id === a.callId)!;
          const before = [...(c.offer?.ringingAgentIds ?? []), ...(c.offer?.releasedAgentIds ?? [])];
          expect(a.agentIds.filter((id) => before.includes(id))).toEqual([]);
          if (!['ring-all', 'ring-progressively'].includes(a.strategy)) expect(a.agentIds).toHaveLength(1);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('always respects the queue membership (or its due overflow queue) and required skills at the current relaxation step', () => {
    fc.assert(
      fc.property(view(false), (input) => {
        for (const a of route(input).assignments) {
          const c = input.waitingCalls.find((x) => x.id === a.callId)!;
          const q = input.queues.find((x) => x.id === c.queueId)!;
          expect(a.queueId).toBe(q.id);
          expect(a.strategy).toBe(q.strategy);
          for (const id of a.agentIds) expect(skilled(input.agents.find((x) => x.id === id)!, c, q)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('never passes over a higher-priority caller (higher queue priority, or same queue and higher caller priority) for the same eligible agent', () => {
    fc.assert(
      fc.property(view(false), (input) => {
        const out = route(input);
        const assigned = new Set(out.assignments.map((a) => a.callId));
        const queueOf = (c: RoutingCall) => input.queues.find((q) => q.id === c.queueId)!;
        const leftWaiting = input.waitingCalls.filter((c) => !assigned.has(c.id) && !c.offer);
        for (const a of out.assignments) {
          const c = input.waitingCalls.find((x) => x.id === a.callId)!;
          const q = queueOf(c);
          for (const other of leftWaiting) {
            const oq = queueOf(other);
            const higher = oq.priority > q.priority || (oq.id === q.id && prio(other, oq) > prio(c, q));
            if (!higher) continue;
            for (const id of a.agentIds) expect(skilled(input.agents.find((x) => x.id === id)!, other, oq)).toBe(false);
          }
        }
        // the same holds for the router's full order (ties between equal-priority queues go to the longest wait)
        const order = routingOrder(input.queues, input.waitingCalls, NOW).map((c) => c.id);
        for (const a of out.assignments) {
          const rank = order.indexOf(a.callId);
          for (const other of leftWaiting.filter((o) => order.indexOf(o.id) < rank)) {
            for (const id of a.agentIds) expect(skilled(input.agents.find((x) => x.id === id)!, other, queueOf(other))).toBe(false);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('once relaxation is complete, every caller is eligible for every agent of its queue, and no free agent of that queue stays idle while it waits', () => {
    fc.assert(
      fc.property(view(true), (input) => {
        const out = route(input);
        const used = new Set(out.assignments.flatMap((a) => a.agentIds));
        const assigned = new Set(out.assignments.map((a) => a.callId));
        const free = freeAgents(input);
        for (const c of input.waitingCalls) {
          const q = input.queues.find((x) => x.id === c.queueId)!;
          const steps = c.relaxation ?? q.relaxation;
          if (waitedSeconds(c) < Math.max(0, ...steps.map((s) => s.afterSeconds))) continue;
          const members = input.agents.filter((a) => a.queues.some((m) => m.queueId === q.id));
          for (const a of members) expect(isAgentEligible(a, c, q, NOW)).toBe(true);
          if (c.offer || assigned.has(c.id)) continue;
          for (const a of free) if (a.queues.some((m) => m.queueId === q.id)) expect(used.has(a.id)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic: the same view and seed give the same decision; round-robin cursors name the last agent offered', () => {
    fc.assert(
      fc.property(view(false), (input) => {
        const out = route(input);
        expect(route(input)).toEqual(out);
        for (const [qid, agentId] of Object.entries(out.roundRobinCursors)) {
          const last = out.assignments.filter((a) => a.queueId === qid).at(-1)!;
          expect(last.agentIds[0]).toBe(agentId);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('serves as many callers as the free agents can serve at once (maximum matching), and ring-all leaves no eligible agent idle', () => {
    fc.assert(
      fc.property(view(false), (input) => {
        const out = route(input);
        const free = freeAgents(input);
        const wants = (c: RoutingCall, q: RoutingQueue): boolean => {
          if (!c.offer) return true;
          const offered = new Set([...c.offer.ringingAgentIds, ...c.offer.releasedAgentIds]).size;
          if (q.strategy === 'ring-all') return true;
          if (q.strategy === 'ring-progressively') return 1 + Math.floor((NOW - c.offer.startedAt) / ((q.ringProgressivelyIntervalSeconds ?? 10) * 1000)) > offered;
          return false;
        };
        const options = input.waitingCalls.flatMap((c) => {
          const q = input.queues.find((x) => x.id === c.queueId)!;
          const before = new Set([...(c.offer?.ringingAgentIds ?? []), ...(c.offer?.releasedAgentIds ?? [])]);
          const bits = free.reduce((m, a, i) => (skilled(a, c, q) && !before.has(a.id) ? m | (1 << i) : m), 0);
          return wants(c, q) && bits !== 0 ? [{ c, q, bits }] : [];
        });
        // best(i, used): most callers from options[i..] matched to distinct agents outside `used`
        const memo = new Map<string, number>();
        const best = (i: number, used: number): number => {
          if (i === options.length) return 0;
          const key = `${i}/${used}`;
          let r = memo.get(key);
          if (r !== undefined) return r;
          r = best(i + 1, used);
          for (let b = 0; b < free.length; b++) if (options[i]!.bits & (1 << b) && !(used & (1 << b))) r = Math.max(r, 1 + best(i + 1, used | (1 << b)));
          memo.set(key, r);
          return r;
        };
        expect(out.assignments.length).toBe(best(0, 0));
        const used = new Set(out.assignments.flatMap((a) => a.agentIds));
        for (const a of out.assignments.filter((x) => x.strategy === 'ring-all')) {
          const o = options.find((x) => x.c.id === a.callId)!;
          free.forEach((ag, i) => {
            if (o.bits & (1 << i)) expect(used.has(ag.id)).toBe(true);
          });
        }
      }),
      { numRuns: RUNS },
    );
  });
});
