import type { z } from 'zod';
import type { agentLegFailureCauseSchema } from './call-schemas.ts';

/** Why an agent leg failed, as the call records it. */
export type AgentLegFailureCause = z.infer<typeof agentLegFailureCauseSchema>;

/**
 * The failure cause of an agent leg that hung up before it connected, from the switch's hangup cause (FreeSWITCH
 * names, Q.850 based). NO_USER_RESPONSE (Q.850 18: the phone never answered the setup in time) counts as no answer,
 * like a ring timeout, so it moves the agent toward break_out rather than being treated as an outage.
 */
export function agentLegFailureCause(hangupCause: string): Exclude<AgentLegFailureCause, 'agent_unavailable'> {
  switch (hangupCause) {
    case 'NO_ANSWER':
    case 'ORIGINATOR_CANCEL':
    case 'PROGRESS_TIMEOUT':
    case 'ALLOTTED_TIMEOUT':
    case 'NO_USER_RESPONSE':
      return 'no_answer';
    case 'USER_BUSY':
    case 'NORMAL_CIRCUIT_CONGESTION':
    case 'SWITCH_CONGESTION':
      return 'busy';
    case 'CALL_REJECTED':
    case 'DECLINE':
    case 'BUSY_EVERYWHERE':
      return 'rejected';
    case 'USER_NOT_REGISTERED':
    case 'SUBSCRIBER_ABSENT':
    case 'UNALLOCATED_NUMBER':
    case 'NO_ROUTE_DESTINATION':
    case 'DESTINATION_OUT_OF_ORDER':
    case 'RECOVERY_ON_TIMER_EXPIRE':
    case 'NETWORK_OUT_OF_ORDER':
    case 'GATEWAY_DOWN':
      return 'unreachable';
    default:
      return 'error';
  }
}
