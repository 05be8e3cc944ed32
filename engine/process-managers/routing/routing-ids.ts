// Deterministic ids of everything the routing manager creates, so a retried or replayed reaction reuses them.
import { uuidV5 } from '../../../domain/ids/deterministic-id.ts';

/** One offer of a call to one agent: the call's n-th offer, to this agent. Two routers racing pick the same id only for the same agent. */
export const offerIdFor = (callId: string, offerNumber: number, agentId: string): string => uuidV5(`offer|${callId}|${offerNumber}|${agentId}`);

/** The agent leg's origination uuid: from the offer, so a restart never dials a second leg for it. */
export const agentLegUuidFor = (offerId: string): string => uuidV5(`agent-leg|${offerId}`);

/** A command id for step `step` of the engine's handling of `subject` (an offer id, a call id…). */
export const engineCommandId = (subject: string, step: string, ...more: (string | number)[]): string => uuidV5(`engine|${subject}|${step}|${more.join('|')}`);
