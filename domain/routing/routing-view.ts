// The router's own view of queues, waiting calls and agents. The engine maps domain state into it, so routing
// never depends on how the call, agent and queue deciders store their state.
import type { AgentSkill, AgentState, RelaxationStep, RoutingStrategy } from '../shared/contact-center.ts';

/** What routing needs to know about a queue. */
export interface RoutingQueue {
  readonly id: string;
  readonly strategy: RoutingStrategy;
  /** Agents in several queues serve the queue with the HIGHER number first. */
  readonly priority: number;
  /** Caller priority points gained per second waited (caller priority = basePriority + waitWeight × seconds). */
  readonly waitWeight: number;
  /**
   * Skill requirements over time. The step in force is the last one whose `afterSeconds` ≤ seconds waited
   * (the first step if none has started yet); an empty list means anyone on the queue; no steps means anyone.
   */
  readonly relaxation: readonly RelaxationStep[];
  /** Round-robin memory: the agent this queue offered a call to last. The router returns the new value. */
  readonly roundRobinCursor?: string;
  /** Ring-progressively: seconds between adding one more agent to a ringing call (default 10). */
  readonly ringProgressivelyIntervalSeconds?: number;
  /**
   * After a caller has waited `afterSeconds`, agents of queue `queueId` may take it too (it keeps its place here;
   * the skills in force still apply).
   */
  readonly overflow?: { readonly queueId: string; readonly afterSeconds: number } | null;
}

/** An offer in progress (ring-all and ring-progressively keep adding agents to it). */
export interface RoutingOffer {
  /** Epoch ms the first agent was offered the call. */
  readonly startedAt: number;
  /** Agents being offered this call right now: never offered anything else. */
  readonly ringingAgentIds: readonly string[];
  /** Agents who were offered this call and declined, timed out or were released: not offered it again. */
  readonly releasedAgentIds: readonly string[];
}

/** A call waiting in a queue. */
export interface RoutingCall {
  readonly id: string;
  readonly queueId: string;
  /** Epoch ms the caller entered the queue; unchanged when an offer is not answered (the caller keeps its place). */
  readonly enqueuedAt: number;
  /** Base priority, e.g. from the customer tier; higher is served first. */
  readonly basePriority: number;
  /** Per-call requirements (e.g. a language picked in the IVR) replacing the queue's relaxation steps. */
  readonly relaxation?: readonly RelaxationStep[];
  /** Present while the call is being offered. */
  readonly offer?: RoutingOffer;
}

/** An agent's membership in a queue. */
export interface RoutingMembership {
  readonly queueId: string;
  /** Order for top-down, ring-progressively and round-robin: lower first. */
  readonly position: number;
}

/** What routing needs to know about an agent. */
export interface RoutingAgent {
  readonly id: string;
  readonly state: AgentState;
  readonly skills: readonly AgentSkill[];
  readonly queues: readonly RoutingMembership[];
  /** Concurrent calls the agent may hold (1 for voice). */
  readonly capacity: number;
  readonly activeCalls: number;
  /** Epoch ms before which the agent must not be offered (after a reject, busy or no-answer). */
  readonly unavailableUntil?: number;
  /** Epoch ms the agent became ready (longest-idle). */
  readonly idleSince: number;
  /** Talk seconds in the engine's current period (least-talk-time). */
  readonly talkSeconds: number;
  /** Calls handled in the engine's current period (fewest-calls). */
  readonly callsHandled: number;
}

/** Everything the router decides from. */
export interface RouteInput {
  readonly queues: readonly RoutingQueue[];
  readonly waitingCalls: readonly RoutingCall[];
  readonly agents: readonly RoutingAgent[];
  /** Epoch ms. */
  readonly now: number;
  /** Required when any queue with waiting calls uses `random`. */
  readonly seed?: number;
}

/** One routing decision: offer `callId` to `agentIds` (several for ring-all / ring-progressively extensions). */
export interface Assignment {
  readonly callId: string;
  readonly queueId: string;
  readonly agentIds: readonly string[];
  readonly strategy: RoutingStrategy;
  /** `offer` starts an offer; `extend` adds agents to the call's offer in progress. */
  readonly kind: 'offer' | 'extend';
  /** Index of the relaxation step in force (-1 when the call has no steps). */
  readonly relaxationStep: number;
  /** Why these agents, in words a supervisor understands. */
  readonly reason: string;
}

/** The router's decision. */
export interface RouteOutput {
  readonly assignments: readonly Assignment[];
  /** New round-robin cursors, only for queues whose cursor moved. */
  readonly roundRobinCursors: Readonly<Record<string, string>>;
  /** The next time the same input would route differently on its own (a step relaxes, a delay ends, a ring grows). */
  readonly nextReviewAt?: number;
  /** Calls skipped because their input is inconsistent (e.g. unknown queue), with the reason. */
  readonly skipped: readonly { readonly callId: string; readonly reason: string }[];
}
