// Deterministic ids of everything the routing manager creates, so a retried or replayed reaction reuses them.
import { uuidV5 } from '../../../domain/ids/deterministic-id.ts';

/**
 * One offer of a call to one agent, by one routing instance, decided from one state of both streams (their revisions
 * in the instance's model). Any change of either stream gives a new id; the instance is part of it so that two
 * instances racing for the same agent never share command ids (the loser's OfferCall is refused, not taken for a retry
 * of the winner's). The same id again means "already tried from exactly this state": the model is stale, skip.
 */
export const offerIdFor = (callId: string, callRevision: bigint, agentId: string, agentRevision: bigint, instanceId: string): string =>
  uuidV5(`offer|${callId}@${callRevision}|${agentId}@${agentRevision}|${instanceId}`);

/** The agent leg's origination uuid: from the offer, so a restart never dials a second leg for it. */
export const agentLegUuidFor = (offerId: string): string => uuidV5(`agent-leg|${offerId}`);

/** A command id for step `step` of the engine's handling of `subject` (an offer id, a call id…). */
export const engineCommandId = (subject: string, step: string, ...more: (string | number)[]): string => uuidV5(`engine|${subject}|${step}|${more.join('|')}`);

/** The attempt of a callback made for one offer (agent first: one dial-back per agent who answered a callback offer). */
export const callbackAttemptIdFor = (offerId: string): string => uuidV5(`callback-attempt|${offerId}`);

/** The customer leg's origination uuid for a callback attempt: a restart never dials the customer twice for it. */
export const callbackLegUuidFor = (attemptId: string): string => uuidV5(`callback-leg|${attemptId}`);

/** The booking of the agent consulted in consult `consultId` of a call (scoped id): one per consult. */
export const consultOfferIdFor = (scopedCallId: string, consultId: string): string => uuidV5(`consult-offer|${scopedCallId}|${consultId}`);

/** The booking of the agent an outbound (click-to-call) call is dialled for: one per call (scoped id). */
export const outboundOfferIdFor = (scopedCallId: string): string => uuidV5(`outbound-offer|${scopedCallId}`);

/** The booking of an agent added to a call's conference as party `partyId` (scoped call id): one per party. */
export const partyOfferIdFor = (scopedCallId: string, partyId: string): string => uuidV5(`party-offer|${scopedCallId}|${partyId}`);
