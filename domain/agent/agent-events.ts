import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../events/event-definition.ts';
import { AGENT_STATES } from '../shared/contact-center.ts';
import {
  agentSkillsSchema,
  channelCapacitySchema,
  epochMs,
  FORCEABLE_STATES,
  id,
  OFFER_CANCEL_REASONS,
  OFFER_MISS_REASONS,
  offerPolicySchema,
  reasonCodeSchema,
  WRAP_UP_END_REASONS,
} from './agent-schemas.ts';

// Every agent event names the agent and the command's time (`at`, epoch ms), so projections reading the
// `agent` category need neither the stream name nor the store's clock.
const base = { agentId: id, at: epochMs };
const offerRef = { offerId: id, callId: id };
const category = 'agent';

export const AgentLoggedIn = defineEvent({
  type: 'AgentLoggedIn',
  category,
  schema: z.object({ ...base, skills: agentSkillsSchema, capacity: channelCapacitySchema }),
  description: 'The agent logged in with these skills and channel capacity; they start not ready (reason `login`).',
});

export const AgentReady = defineEvent({
  type: 'AgentReady',
  category,
  schema: z.object(base),
  description: 'The agent became ready to be offered calls.',
});

export const AgentNotReady = defineEvent({
  type: 'AgentNotReady',
  category,
  schema: z.object({ ...base, reasonCode: reasonCodeSchema }),
  description: 'The agent became (or stayed, with a new reason) not ready, with a reason code.',
});

export const AgentNotReadyDeferred = defineEvent({
  type: 'AgentNotReadyDeferred',
  category,
  schema: z.object({ ...base, offerId: id, reasonCode: reasonCodeSchema }),
  description: 'The agent asked to go not ready while talking; it takes effect when wrap-up ends.',
});

export const AgentLogoutDeferred = defineEvent({
  type: 'AgentLogoutDeferred',
  category,
  schema: z.object({ ...base, offerId: id }),
  description: 'The agent asked to log out while talking; the logout takes effect when wrap-up ends.',
});

export const AgentOffered = defineEvent({
  type: 'AgentOffered',
  category,
  schema: z.object({ ...base, ...offerRef, queueId: id, expiresAt: epochMs, policy: offerPolicySchema }),
  description: 'A call was reserved for the ready agent (the offer); no other call can be offered until it resolves.',
});

export const AgentRinging = defineEvent({
  type: 'AgentRinging',
  category,
  schema: z.object({ ...base, ...offerRef }),
  description: "The offered call is ringing on the agent's device.",
});

export const AgentTalking = defineEvent({
  type: 'AgentTalking',
  category,
  schema: z.object({ ...base, ...offerRef }),
  description: 'The agent answered: the call is connected. Consecutive misses reset to zero.',
});

export const AgentCallHeld = defineEvent({
  type: 'AgentCallHeld',
  category,
  schema: z.object({ ...base, ...offerRef }),
  description: 'The agent put the call on hold (a sub-state of talking).',
});

export const AgentCallRetrieved = defineEvent({
  type: 'AgentCallRetrieved',
  category,
  schema: z.object({ ...base, ...offerRef, heldMs: z.int().nonnegative() }),
  description: 'The agent took the call off hold after `heldMs`.',
});

export const AgentWrapUpStarted = defineEvent({
  type: 'AgentWrapUpStarted',
  category,
  schema: z.object({
    ...base,
    ...offerRef,
    deadline: epochMs,
    talkMs: z.int().nonnegative(),
    holdMs: z.int().nonnegative(),
  }),
  description: 'The call ended; after-call work runs until `deadline`. Carries the talk and hold time of the call.',
});

export const AgentWrapUpExtended = defineEvent({
  type: 'AgentWrapUpExtended',
  category,
  schema: z.object({ ...base, ...offerRef, bySeconds: z.int().positive(), deadline: epochMs }),
  description: 'Wrap-up was extended; `deadline` is the new end.',
});

export const AgentWrapUpEnded = defineEvent({
  type: 'AgentWrapUpEnded',
  category,
  schema: z.object({ ...base, ...offerRef, reason: z.enum(WRAP_UP_END_REASONS), wrapUpMs: z.int().nonnegative() }),
  description: 'After-call work ended and the agent is ready, unless a deferred not-ready or logout follows.',
});

export const AgentOfferMissed = defineEvent({
  type: 'AgentOfferMissed',
  category,
  schema: z.object({
    ...base,
    ...offerRef,
    queueId: id,
    reason: z.enum(OFFER_MISS_REASONS),
    consecutiveMisses: z.int().positive(),
    maxNoAnswer: z.int().positive(),
    unavailableUntil: epochMs,
  }),
  description: 'The agent did not take the offer (no answer, rejected or busy); no new offer before `unavailableUntil`.',
});

export const AgentBrokeOut = defineEvent({
  type: 'AgentBrokeOut',
  category,
  schema: z.object({ ...base, consecutiveMisses: z.int().positive() }),
  description: 'After `maxNoAnswer` consecutive misses the agent was put in break_out until they or a supervisor act.',
});

export const AgentOfferCancelled = defineEvent({
  type: 'AgentOfferCancelled',
  category,
  schema: z.object({ ...base, ...offerRef, queueId: id, reason: z.enum(OFFER_CANCEL_REASONS) }),
  description: 'The offer was withdrawn without fault of the agent (caller hung up, answered elsewhere, rescinded, logout, forced).',
});

export const AgentLoggedOut = defineEvent({
  type: 'AgentLoggedOut',
  category,
  schema: z.object(base),
  description: 'The agent logged out.',
});

export const AgentSkillsChanged = defineEvent({
  type: 'AgentSkillsChanged',
  category,
  schema: z.object({ ...base, skills: agentSkillsSchema }),
  description: 'The agent now has exactly these skills; routing uses them from the next offer.',
});

export const AgentStateForced = defineEvent({
  type: 'AgentStateForced',
  category,
  schema: z.object({
    ...base,
    from: z.enum(AGENT_STATES),
    to: z.enum(FORCEABLE_STATES),
    reasonCode: reasonCodeSchema.nullable(),
    by: z.string().nullable(),
  }),
  description: 'A supervisor forced the agent into ready, not ready or logged out.',
});

/** Every agent event definition: the registry imports exactly this name. */
export const agentEvents = [
  AgentLoggedIn,
  AgentReady,
  AgentNotReady,
  AgentNotReadyDeferred,
  AgentLogoutDeferred,
  AgentOffered,
  AgentRinging,
  AgentTalking,
  AgentCallHeld,
  AgentCallRetrieved,
  AgentWrapUpStarted,
  AgentWrapUpExtended,
  AgentWrapUpEnded,
  AgentOfferMissed,
  AgentBrokeOut,
  AgentOfferCancelled,
  AgentLoggedOut,
  AgentSkillsChanged,
  AgentStateForced,
] as const;

type EventOf<D> = D extends EventDefinition<infer T, infer S> ? { readonly type: T; readonly data: z.infer<S> } : never;

/** An agent event as deciders emit it: `{ type, data }`. */
export type AgentEvent = EventOf<(typeof agentEvents)[number]>;
export type AgentEventType = AgentEvent['type'];
/** The event of one type. */
export type AgentEventOf<T extends AgentEventType> = Extract<AgentEvent, { type: T }>;
