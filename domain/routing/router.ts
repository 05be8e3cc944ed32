// THE ROUTER: a pure function from a routing view (queues, waiting calls, agents, now, seed) to offers.
import { LedgerlineError } from '../errors/ledgerline-error.ts';
import type { SkillRequirement } from '../shared/contact-center.ts';
import { callerPriority, routingOrder, secondsWaited } from './caller-priority.ts';
import type { Assignment, RouteInput, RouteOutput, RoutingAgent, RoutingCall, RoutingQueue } from './routing-view.ts';
import { seededRandom, type SeededRandom } from './seeded-random.ts';
import { currentRequirements, meetsRequirements, nextRelaxationAt } from './skill-match.ts';
import { priorityMatching } from './priority-matching.ts';
import { rankAgents, type Ranking } from './strategies.ts';

/** Seconds between agents added by ring-progressively when the queue does not say. */
export const DEFAULT_RING_PROGRESSIVELY_INTERVAL_SECONDS = 10;

/**
 * True when the agent may be offered a call at `now`: `ready`, below capacity, past any unavailability delay,
 * and not ringing for another call. Busy, offered, ringing, talking, wrap_up, not_ready, break_out and
 * logged_out agents never are.
 */
export function isAgentFree(agent: RoutingAgent, now: number, ringing: ReadonlySet<string>): boolean {
  return (
    agent.state === 'ready' &&
    agent.activeCalls < agent.capacity &&
    !(agent.unavailableUntil !== undefined && agent.unavailableUntil > now) &&
    !ringing.has(agent.id)
  );
}

/** True when the agent may serve the queue's callers after `waitedSeconds`: a member, or a member of its overflow queue once due. */
export function servesQueue(agent: RoutingAgent, queue: RoutingQueue, waitedSeconds: number): boolean {
  const o = queue.overflow;
  return agent.queues.some((m) => m.queueId === queue.id || (o != null && m.queueId === o.queueId && waitedSeconds >= o.afterSeconds));
}

/** True when the agent serves the call's queue (see servesQueue) and meets the call's requirements at the current relaxation step. */
export function isAgentEligible(agent: RoutingAgent, call: RoutingCall, queue: RoutingQueue, now: number): boolean {
  const waited = secondsWaited(call, now);
  if (!servesQueue(agent, queue, waited)) return false;
  const { requirements } = currentRequirements(call.relaxation ?? queue.relaxation, waited);
  return meetsRequirements(agent.skills, requirements);
}

/** How many more agents the call wants now (Infinity: every eligible agent). */
export function agentsWanted(call: RoutingCall, queue: RoutingQueue, now: number): number {
  if (queue.strategy === 'ring-all') return Number.POSITIVE_INFINITY;
  if (!call.offer) return 1;
  if (queue.strategy !== 'ring-progressively') return 0;
  const interval = (queue.ringProgressivelyIntervalSeconds ?? DEFAULT_RING_PROGRESSIVELY_INTERVAL_SECONDS) * 1000;
  const due = 1 + Math.floor(Math.max(0, now - call.offer.startedAt) / interval);
  return Math.max(0, due - offeredSoFar(call).size);
}

function offeredSoFar(call: RoutingCall): Set<string> {
  return new Set([...(call.offer?.ringingAgentIds ?? []), ...(call.offer?.releasedAgentIds ?? [])]);
}

/**
 * Decides which waiting calls are offered to which agents now. Callers are served in routing order (queue
 * priority, then caller priority = base + weight × seconds waited, then longest wait across queues), and as many
 * of them as the free agents can serve at once are served (see priority-matching.ts). Each served caller gets the
 * agent its queue's strategy ranks first among those free, on the queue, skilled enough at the current relaxation
 * step and not needed by another served caller. No agent and no call appears in two assignments.
 */
export function route(input: RouteInput): RouteOutput {
  validate(input);
  const { queues, waitingCalls, agents, now } = input;
  const queueById = new Map(queues.map((q) => [q.id, q]));
  const ringing = new Set(waitingCalls.flatMap((c) => c.offer?.ringingAgentIds ?? []));
  const free = agents.filter((a) => isAgentFree(a, now, ringing));
  const skipped = waitingCalls.filter((c) => !queueById.has(c.queueId)).map((c) => ({ callId: c.id, reason: `unknown queue ${c.queueId}` }));
  let nextReviewAt: number | undefined;
  const review = (at: number): void => {
    if (at > now && (nextReviewAt === undefined || at < nextReviewAt)) nextReviewAt = at;
  };

  let rng: SeededRandom | undefined;
  const random = (): SeededRandom => {
    if (input.seed === undefined) throw new LedgerlineError('ROUTING_SEED_REQUIRED');
    return (rng ??= seededRandom(input.seed));
  };

  // 1. What each caller wants, and who could serve it, in the order its strategy prefers.
  const demands: Demand[] = [];
  for (const call of routingOrder(queues, waitingCalls, now)) {
    const queue = queueById.get(call.queueId)!;
    const waited = secondsWaited(call, now);
    const steps = call.relaxation ?? queue.relaxation;
    const nextStep = nextRelaxationAt(steps, waited);
    if (nextStep !== undefined) review(call.enqueuedAt + nextStep * 1000);
    const interval = (queue.ringProgressivelyIntervalSeconds ?? DEFAULT_RING_PROGRESSIVELY_INTERVAL_SECONDS) * 1000;
    if (queue.strategy === 'ring-progressively' && call.offer) review(call.offer.startedAt + offeredSoFar(call).size * interval);
    const wanted = agentsWanted(call, queue, now);
    if (wanted <= 0) continue;
    const { step, requirements } = currentRequirements(steps, waited);
    const already = offeredSoFar(call);
    if (queue.overflow && queue.overflow.afterSeconds > waited) review(call.enqueuedAt + queue.overflow.afterSeconds * 1000);
    const candidates = free.filter((a) => !already.has(a.id) && servesQueue(a, queue, waited) && meetsRequirements(a.skills, requirements));
    if (candidates.length === 0) continue;
    // Ranked once here, in routing order, so random draws are reproducible and the matching prefers the same agents.
    const ranking = rankAgents(queue.strategy, candidates, { queue, now, allAgents: agents, random });
    demands.push({ call, queue, wanted, step, requirements, candidates, ranking, interval });
  }

  // 2. Keep the most callers the free agents can serve together, never dropping one for a lower-ranked one.
  const matching = priorityMatching(new Map(demands.map((d) => [d.call.id, d.ranking.agents.map((a) => a.id)])));
  // A call already ringing someone (ring-all, ring-progressively) is being served: it gets more agents only from
  // those no caller still waiting for a first agent can use.
  const byNeed = [...demands.filter((d) => !d.call.offer), ...demands.filter((d) => d.call.offer)];
  const served = byNeed.filter((d) => matching.add(d.call.id));

  // 3. In routing order, each served caller takes its strategy's favourite among the agents it can have.
  const taken = new Set<string>();
  const assignments: Assignment[] = [];
  const cursors: Record<string, string> = {};
  for (const d of served) {
    const { call, queue: q } = d;
    // Round-robin's rotation moves with each call it serves in this pass, so it is ranked again from the new cursor.
    const ranking =
      q.strategy === 'round-robin'
        ? rankAgents(q.strategy, d.candidates.filter((a) => !taken.has(a.id)), { queue: { ...q, roundRobinCursor: cursors[q.id] ?? q.roundRobinCursor }, now, allAgents: agents, random })
        : d.ranking;
    const chosen: RoutingAgent[] = [];
    let passedOver = 0;
    for (const a of ranking.agents) {
      if (chosen.length >= d.wanted) break;
      if (taken.has(a.id)) continue;
      const ok = chosen.length === 0 ? matching.commit(call.id, a.id) : matching.takeExtra(a.id);
      if (ok) chosen.push(a);
      else if (chosen.length === 0) passedOver++;
    }
    // The matching guarantees a first agent; an empty choice would be a bug, so fail loudly rather than mis-route.
    if (chosen.length === 0) throw new LedgerlineError('INTERNAL', `Routing found no agent for kept call ${call.id}`);
    for (const a of chosen) taken.add(a.id);
    if (q.strategy === 'round-robin') cursors[q.id] = chosen[0]!.id;
    if (q.strategy === 'ring-progressively' && !call.offer) review(now + d.interval);
    assignments.push({
      callId: call.id,
      queueId: q.id,
      agentIds: chosen.map((a) => a.id),
      strategy: q.strategy,
      kind: call.offer ? 'extend' : 'offer',
      relaxationStep: d.step,
      reason: [
        ranking.explain(chosen[0]!),
        ...(chosen[0]!.queues.some((m) => m.queueId === q.id) ? [] : [`overflow agent from queue ${q.overflow?.queueId}`]),
        ...(passedOver > 0 ? [`${passedOver} preferred agent(s) left for callers only they can serve`] : []),
        `caller priority ${round2(callerPriority(call, q, now))} after ${Math.round(secondsWaited(call, now))} s`,
        ...(d.step >= 0 ? [`relaxation step ${d.step}${d.requirements.length === 0 ? ' (anyone on the queue)' : ''}`] : []),
      ].join('; '),
    });
  }
  for (const a of agents) if (a.state === 'ready' && a.unavailableUntil !== undefined) review(a.unavailableUntil);

  return { assignments, roundRobinCursors: cursors, skipped, ...(nextReviewAt === undefined ? {} : { nextReviewAt }) };
}

interface Demand {
  readonly call: RoutingCall;
  readonly queue: RoutingQueue;
  readonly wanted: number;
  readonly step: number;
  readonly requirements: readonly SkillRequirement[];
  readonly candidates: readonly RoutingAgent[];
  readonly ranking: Ranking;
  readonly interval: number;
}

function validate(input: RouteInput): void {
  const dup = (ids: readonly string[]): string | undefined => {
    const seen = new Set<string>();
    return ids.find((id) => seen.size === seen.add(id).size);
  };
  const d =
    dup(input.queues.map((q) => q.id)) ?? dup(input.waitingCalls.map((c) => c.id)) ?? dup(input.agents.map((a) => a.id));
  if (d !== undefined) throw new LedgerlineError('ROUTING_INPUT_INVALID', `Duplicate id in the routing view: ${d}`, { id: d });
  for (const q of input.queues) {
    const iv = q.ringProgressivelyIntervalSeconds;
    if (iv !== undefined && !(iv > 0)) {
      throw new LedgerlineError('ROUTING_INPUT_INVALID', `Queue ${q.id}: ring-progressively interval must be positive`, { queueId: q.id, interval: iv });
    }
  }
  if (input.seed === undefined) {
    const randomQueues = new Set(input.queues.filter((q) => q.strategy === 'random').map((q) => q.id));
    if (input.waitingCalls.some((c) => randomQueues.has(c.queueId))) {
      throw new LedgerlineError('ROUTING_SEED_REQUIRED', undefined, { queueIds: [...randomQueues] });
    }
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
