// What an offer's outcome does to the agent (delays, break_out) and to the call (back to its place, or connected).
import { LedgerlineError } from '../errors/ledgerline-error.ts';
import type { AgentState } from '../shared/contact-center.ts';
import type { RoutingCall } from './routing-view.ts';

/** How an offer to one agent ended. `rescinded`: the caller hung up or another agent answered first. */
export const OFFER_OUTCOMES = ['answered', 'no-answer', 'rejected', 'busy', 'rescinded'] as const;
export type OfferOutcome = (typeof OFFER_OUTCOMES)[number];

/** Per-queue (or per-agent) offer policy, as in mod_callcenter. */
export interface OfferPolicy {
  /** Consecutive unanswered offers before the agent goes to break_out; 0 disables. */
  readonly maxNoAnswer: number;
  readonly noAnswerDelaySeconds: number;
  readonly rejectDelaySeconds: number;
  readonly busyDelaySeconds: number;
}

/** The agent after an offer. */
export interface AgentAfterOffer {
  readonly state: AgentState;
  /** Set when the agent must not be offered again before then. */
  readonly unavailableUntil?: number;
  readonly consecutiveNoAnswers: number;
}

/** Throws OFFER_OUTCOME_INVALID for negative delays or counts. */
export function validateOfferPolicy(p: OfferPolicy): void {
  for (const [k, v] of Object.entries(p)) {
    if (!(Number.isFinite(v) && v >= 0)) throw new LedgerlineError('OFFER_OUTCOME_INVALID', `${k} must be a finite number ≥ 0`, { [k]: v });
  }
}

/**
 * The agent's state after an offer ends: answered → talking (the no-answer streak resets); no-answer → ready
 * after the no-answer delay, or break_out once the streak reaches `maxNoAnswer`; rejected / busy → ready after
 * their delays; rescinded → ready at once, no penalty.
 */
export function agentAfterOffer(outcome: OfferOutcome, consecutiveNoAnswers: number, policy: OfferPolicy, now: number): AgentAfterOffer {
  validateOfferPolicy(policy);
  const delayed = (seconds: number, streak: number): AgentAfterOffer =>
    seconds > 0 ? { state: 'ready', unavailableUntil: now + seconds * 1000, consecutiveNoAnswers: streak } : { state: 'ready', consecutiveNoAnswers: streak };
  switch (outcome) {
    case 'answered':
      return { state: 'talking', consecutiveNoAnswers: 0 };
    case 'no-answer': {
      const streak = consecutiveNoAnswers + 1;
      if (policy.maxNoAnswer > 0 && streak >= policy.maxNoAnswer) return { state: 'break_out', consecutiveNoAnswers: streak };
      return delayed(policy.noAnswerDelaySeconds, streak);
    }
    case 'rejected':
      return delayed(policy.rejectDelaySeconds, consecutiveNoAnswers);
    case 'busy':
      return delayed(policy.busyDelaySeconds, consecutiveNoAnswers);
    case 'rescinded':
      return { state: 'ready', consecutiveNoAnswers };
  }
}

/** The call after one agent's offer ends. */
export type CallAfterOffer =
  | { readonly kind: 'connected'; readonly agentId: string; /** other agents still ringing: rescind their offers */ readonly rescind: readonly string[] }
  | { readonly kind: 'still-offered'; readonly call: RoutingCall }
  | { readonly kind: 'back-in-queue'; readonly call: RoutingCall };

/**
 * The call after `agentId`'s offer ends. Unanswered: the agent moves to the offer's released list; when nobody is
 * left ringing the call is back in the queue at its ORIGINAL place (enqueuedAt unchanged, offer cleared).
 */
export function callAfterOffer(call: RoutingCall, agentId: string, outcome: OfferOutcome): CallAfterOffer {
  const ringing = call.offer?.ringingAgentIds ?? [];
  if (outcome === 'answered') return { kind: 'connected', agentId, rescind: ringing.filter((id) => id !== agentId) };
  const stillRinging = ringing.filter((id) => id !== agentId);
  if (stillRinging.length > 0 && call.offer) {
    const released = call.offer.releasedAgentIds.includes(agentId) ? call.offer.releasedAgentIds : [...call.offer.releasedAgentIds, agentId];
    return { kind: 'still-offered', call: { ...call, offer: { ...call.offer, ringingAgentIds: stillRinging, releasedAgentIds: released } } };
  }
  const { offer: _ended, ...waiting } = call;
  return { kind: 'back-in-queue', call: waiting };
}
