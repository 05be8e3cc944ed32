import type { OfferPolicy } from '../agent/agent-schemas.ts';
import type { QueueConfig } from './queue-config.ts';

/** The rules an offer from this queue carries to the agent stream (OfferCall.policy). */
export function offerPolicyOf(config: QueueConfig): OfferPolicy {
  const { maxNoAnswer, ringTimeoutSeconds, rejectDelaySeconds, busyDelaySeconds, noAnswerDelaySeconds } = config.noAnswer;
  return { ringTimeoutSeconds, wrapUpSeconds: config.wrapUp.seconds, maxNoAnswer, rejectDelaySeconds, busyDelaySeconds, noAnswerDelaySeconds };
}
