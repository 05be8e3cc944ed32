import type { AgentSkill, AgentState } from '../shared/contact-center.ts';
import type { AgentEvent } from './agent-events.ts';
import type { ChannelCapacity, OfferPolicy } from './agent-schemas.ts';

/** The call an agent holds from the offer until wrap-up ends. */
export interface AgentCall {
  readonly offerId: string;
  readonly callId: string;
  readonly queueId: string;
  readonly policy: OfferPolicy;
  readonly offeredAt: number;
  /** When the offer times out as no-answer (the engine's timer; the decider does not enforce it). */
  readonly expiresAt: number;
  readonly ringingAt: number | null;
  readonly answeredAt: number | null;
  /** Set while the call is on hold. */
  readonly heldSince: number | null;
  /** Hold time of this call, completed hold intervals only. */
  readonly holdMs: number;
  readonly wrapUpStartedAt: number | null;
  readonly wrapUpDeadline: number | null;
}

/** What the agent asked for while talking, applied when wrap-up ends. */
export type AgentPendingState = { readonly state: 'not_ready'; readonly reasonCode: string } | { readonly state: 'logged_out' };

/** Lifetime counters metrics read (windowed figures are the projections' business). */
export interface AgentTotals {
  readonly offers: number;
  readonly answered: number;
  /** Calls answered and ended (wrap-up started). */
  readonly handled: number;
  readonly missed: number;
  readonly talkMs: number;
  readonly holdMs: number;
  readonly wrapUpMs: number;
}

/** The agent decider's state: what routing and metrics need, and nothing the events do not say. */
export interface AgentDeciderState {
  readonly agentId: string | null;
  readonly state: AgentState;
  /** When the current state (for not_ready: the current reason) began; null before the first event. */
  readonly since: number | null;
  readonly loggedInAt: number | null;
  readonly notReadyReason: string | null;
  readonly skills: readonly AgentSkill[];
  readonly capacity: ChannelCapacity;
  /** Non-null exactly in offered, ringing, talking and wrap_up: one agent, at most one call. */
  readonly call: AgentCall | null;
  readonly pending: AgentPendingState | null;
  /** Misses since the last answered call, login or return from break_out. */
  readonly consecutiveMisses: number;
  /** No offer is accepted before this instant (the reject/busy/no-answer delay). */
  readonly unavailableUntil: number | null;
  /** When the agent's last call ended (hang-up, before wrap-up): longest-idle routing ranks on it. */
  readonly lastCallEndedAt: number | null;
  readonly totals: AgentTotals;
}

/** The state of an agent stream with no events: logged out, never seen. */
export const initialAgentState: AgentDeciderState = {
  agentId: null,
  state: 'logged_out',
  since: null,
  loggedInAt: null,
  notReadyReason: null,
  skills: [],
  capacity: { voice: 0 },
  call: null,
  pending: null,
  consecutiveMisses: 0,
  unavailableUntil: null,
  lastCallEndedAt: null,
  totals: { offers: 0, answered: 0, handled: 0, missed: 0, talkMs: 0, holdMs: 0, wrapUpMs: 0 },
};

function enter(s: AgentDeciderState, state: AgentState, at: number): AgentDeciderState {
  // Leaving break_out is the agent's (or a supervisor's) fresh start: the miss count starts over.
  const consecutiveMisses = s.state === 'break_out' && state !== 'break_out' ? 0 : s.consecutiveMisses;
  return { ...s, state, since: at, consecutiveMisses };
}

function loggedOut(s: AgentDeciderState, at: number): AgentDeciderState {
  return {
    ...enter(s, 'logged_out', at),
    loggedInAt: null,
    notReadyReason: null,
    skills: [],
    capacity: { voice: 0 },
    call: null,
    pending: null,
    consecutiveMisses: 0,
    unavailableUntil: null,
  };
}

function withCall(s: AgentDeciderState, patch: Partial<AgentCall>): AgentDeciderState {
  return s.call ? { ...s, call: { ...s.call, ...patch } } : s;
}

/** Folds one agent event into the state. Total: an event that does not fit the state still applies its facts. */
export function evolveAgent(s: AgentDeciderState, e: AgentEvent): AgentDeciderState {
  const d = e.data;
  const agent = { ...s, agentId: d.agentId };
  switch (e.type) {
    case 'AgentLoggedIn':
      return {
        ...enter(agent, 'not_ready', e.data.at),
        loggedInAt: e.data.at,
        notReadyReason: 'login',
        skills: e.data.skills,
        capacity: e.data.capacity,
        call: null,
        pending: null,
        consecutiveMisses: 0,
        unavailableUntil: null,
      };
    case 'AgentReady':
      return { ...enter(agent, 'ready', e.data.at), notReadyReason: null };
    case 'AgentNotReady':
      return { ...enter(agent, 'not_ready', e.data.at), notReadyReason: e.data.reasonCode };
    case 'AgentNotReadyDeferred':
      return { ...agent, pending: { state: 'not_ready', reasonCode: e.data.reasonCode } };
    case 'AgentLogoutDeferred':
      return { ...agent, pending: { state: 'logged_out' } };
    case 'AgentOffered':
      return {
        ...enter(agent, 'offered', e.data.at),
        call: {
          offerId: e.data.offerId,
          callId: e.data.callId,
          queueId: e.data.queueId,
          policy: e.data.policy,
          offeredAt: e.data.at,
          expiresAt: e.data.expiresAt,
          ringingAt: null,
          answeredAt: null,
          heldSince: null,
          holdMs: 0,
          wrapUpStartedAt: null,
          wrapUpDeadline: null,
        },
        totals: { ...s.totals, offers: s.totals.offers + 1 },
      };
    case 'AgentRinging':
      return withCall(enter(agent, 'ringing', e.data.at), { ringingAt: e.data.at });
    case 'AgentTalking':
      return {
        ...withCall(enter(agent, 'talking', e.data.at), { answeredAt: e.data.at }),
        consecutiveMisses: 0,
        totals: { ...s.totals, answered: s.totals.answered + 1 },
      };
    case 'AgentCallHeld':
      return withCall(agent, { heldSince: e.data.at });
    case 'AgentCallRetrieved':
      return withCall(agent, { heldSince: null, holdMs: (s.call?.holdMs ?? 0) + e.data.heldMs });
    case 'AgentWrapUpStarted':
      return {
        ...withCall(enter(agent, 'wrap_up', e.data.at), { heldSince: null, wrapUpStartedAt: e.data.at, wrapUpDeadline: e.data.deadline }),
        lastCallEndedAt: e.data.at,
        totals: {
          ...s.totals,
          handled: s.totals.handled + 1,
          talkMs: s.totals.talkMs + e.data.talkMs,
          holdMs: s.totals.holdMs + e.data.holdMs,
        },
      };
    case 'AgentWrapUpExtended':
      return withCall(agent, { wrapUpDeadline: e.data.deadline });
    case 'AgentWrapUpEnded':
      return {
        ...enter(agent, 'ready', e.data.at),
        notReadyReason: null,
        call: null,
        pending: null,
        totals: { ...s.totals, wrapUpMs: s.totals.wrapUpMs + e.data.wrapUpMs },
      };
    case 'AgentOfferMissed':
      return {
        ...enter(agent, 'ready', e.data.at),
        call: null,
        consecutiveMisses: e.data.consecutiveMisses,
        unavailableUntil: e.data.unavailableUntil,
        totals: { ...s.totals, missed: s.totals.missed + 1 },
      };
    case 'AgentBrokeOut':
      return { ...enter(agent, 'break_out', e.data.at), consecutiveMisses: e.data.consecutiveMisses };
    case 'AgentOfferCancelled':
      return { ...enter(agent, 'ready', e.data.at), call: null };
    case 'AgentLoggedOut':
      return loggedOut(agent, e.data.at);
    case 'AgentSkillsChanged':
      return { ...agent, skills: e.data.skills };
    case 'AgentStateForced':
      if (e.data.to === 'logged_out') return loggedOut(agent, e.data.at);
      if (e.data.to === 'ready') return { ...enter(agent, 'ready', e.data.at), notReadyReason: null, call: null, pending: null };
      return { ...enter(agent, 'not_ready', e.data.at), notReadyReason: e.data.reasonCode ?? 'forced', call: null, pending: null };
  }
}
