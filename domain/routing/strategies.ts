// Distribution strategies: given the agents free and eligible for one call, who is offered it first and why.
import type { RoutingStrategy } from '../shared/contact-center.ts';
import type { RoutingAgent, RoutingQueue } from './routing-view.ts';
import type { SeededRandom } from './seeded-random.ts';

/** What a strategy may look at besides the candidates. */
export interface StrategyContext {
  readonly queue: RoutingQueue;
  readonly now: number;
  /** Every agent in the input (round-robin finds the cursor's place even when that agent is busy). */
  readonly allAgents: readonly RoutingAgent[];
  readonly random: () => SeededRandom;
}

/** Candidates in the order the strategy offers them, with the reason for the first. */
export interface Ranking {
  readonly agents: readonly RoutingAgent[];
  readonly reason: string;
}

/** The agent's position in `queueId` (agents without one sort last). */
export function positionIn(agent: RoutingAgent, queueId: string): number {
  return agent.queues.find((m) => m.queueId === queueId)?.position ?? Number.POSITIVE_INFINITY;
}

const byId = (a: RoutingAgent, b: RoutingAgent): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
// Ties fall back to longest idle, then id, so every strategy is deterministic.
const byIdle = (a: RoutingAgent, b: RoutingAgent): number => a.idleSince - b.idleSince || byId(a, b);

function sorted(agents: readonly RoutingAgent[], cmp: (a: RoutingAgent, b: RoutingAgent) => number): RoutingAgent[] {
  return [...agents].sort(cmp);
}

/** Ranks `candidates` (non-empty, all eligible) for one call under `strategy`. */
export function rankAgents(strategy: RoutingStrategy, candidates: readonly RoutingAgent[], ctx: StrategyContext): Ranking {
  const q = ctx.queue.id;
  const byPosition = (a: RoutingAgent, b: RoutingAgent): number => positionIn(a, q) - positionIn(b, q) || byId(a, b);
  const n = candidates.length;
  switch (strategy) {
    case 'longest-idle': {
      const agents = sorted(candidates, byIdle);
      return { agents, reason: `longest idle: ready for ${secs(ctx.now - agents[0]!.idleSince)} s, longest of ${n} eligible` };
    }
    case 'least-talk-time': {
      const agents = sorted(candidates, (a, b) => a.talkSeconds - b.talkSeconds || byIdle(a, b));
      return { agents, reason: `least talk time: ${agents[0]!.talkSeconds} s talked, least of ${n} eligible` };
    }
    case 'fewest-calls': {
      const agents = sorted(candidates, (a, b) => a.callsHandled - b.callsHandled || byIdle(a, b));
      return { agents, reason: `fewest calls: ${agents[0]!.callsHandled} handled, fewest of ${n} eligible` };
    }
    case 'top-down': {
      const agents = sorted(candidates, byPosition);
      return { agents, reason: `top-down: position ${positionIn(agents[0]!, q)}, first free of ${n} eligible` };
    }
    case 'round-robin': {
      const agents = sorted(candidates, byPosition);
      const cursorId = ctx.queue.roundRobinCursor;
      const cursor = cursorId === undefined ? undefined : ctx.allAgents.find((a) => a.id === cursorId);
      if (!cursor) return { agents, reason: `round-robin: no previous agent, starting at position ${positionIn(agents[0]!, q)}` };
      const after = agents.filter((a) => byPosition(a, cursor) > 0);
      const rest = agents.filter((a) => byPosition(a, cursor) <= 0);
      return { agents: [...after, ...rest], reason: `round-robin: next after ${cursor.id}${after.length === 0 ? ' (wrapped around)' : ''}` };
    }
    case 'random': {
      const pool = sorted(candidates, byId);
      const i = ctx.random().int(pool.length);
      const agents = [pool[i]!, ...pool.slice(0, i), ...pool.slice(i + 1)];
      return { agents, reason: `random: drew ${i + 1} of ${n} eligible (seeded)` };
    }
    case 'ring-all':
      return { agents: sorted(candidates, byId), reason: `ring-all: every eligible free agent (${n})` };
    case 'ring-progressively': {
      const agents = sorted(candidates, byPosition);
      return { agents, reason: `ring-progressively: top-down from position ${positionIn(agents[0]!, q)}` };
    }
  }
}

function secs(ms: number): number {
  return Math.round(Math.max(0, ms) / 1000);
}
