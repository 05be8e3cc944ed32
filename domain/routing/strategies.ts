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

/** Candidates in the order the strategy offers them, and why a given one of them was chosen. */
export interface Ranking {
  readonly agents: readonly RoutingAgent[];
  readonly explain: (chosen: RoutingAgent) => string;
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
      return { agents, explain: (a) => `longest idle: ready for ${secs(ctx.now - a.idleSince)} s (${n} eligible)` };
    }
    case 'least-talk-time': {
      const agents = sorted(candidates, (a, b) => a.talkSeconds - b.talkSeconds || byIdle(a, b));
      return { agents, explain: (a) => `least talk time: ${a.talkSeconds} s talked (${n} eligible)` };
    }
    case 'fewest-calls': {
      const agents = sorted(candidates, (a, b) => a.callsHandled - b.callsHandled || byIdle(a, b));
      return { agents, explain: (a) => `fewest calls: ${a.callsHandled} handled (${n} eligible)` };
    }
    case 'top-down': {
      const agents = sorted(candidates, byPosition);
      return { agents, explain: (a) => `top-down: position ${positionIn(a, q)} (${n} eligible)` };
    }
    case 'round-robin': {
      const agents = sorted(candidates, byPosition);
      const cursorId = ctx.queue.roundRobinCursor;
      const cursor = cursorId === undefined ? undefined : ctx.allAgents.find((a) => a.id === cursorId);
      if (!cursor) return { agents, explain: (a) => `round-robin: no previous agent, position ${positionIn(a, q)}` };
      const after = agents.filter((a) => byPosition(a, cursor) > 0);
      const rest = agents.filter((a) => byPosition(a, cursor) <= 0);
      return { agents: [...after, ...rest], explain: (a) => `round-robin: next after ${cursor.id}${byPosition(a, cursor) <= 0 ? ' (wrapped around)' : ''}` };
    }
    case 'random': {
      const pool = sorted(candidates, byId);
      const i = ctx.random().int(pool.length);
      const agents = [pool[i]!, ...pool.slice(0, i), ...pool.slice(i + 1)];
      return { agents, explain: (a) => `random: ${a === agents[0] ? `drew ${i + 1} of ${n} eligible` : 'next after the draw'} (seeded)` };
    }
    case 'ring-all':
      return { agents: sorted(candidates, byId), explain: () => `ring-all: every eligible free agent` };
    case 'ring-progressively': {
      const agents = sorted(candidates, byPosition);
      return { agents, explain: (a) => `ring-progressively: top-down from position ${positionIn(a, q)}` };
    }
  }
}

function secs(ms: number): number {
  return Math.round(Math.max(0, ms) / 1000);
}
