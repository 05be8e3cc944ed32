import type { Decider } from '../../domain/decider.ts';
import type { CallCommand } from '../../domain/call/call-commands.ts';
import { callDecider } from '../../domain/call/call-decider.ts';
import type { CallEvent } from '../../domain/call/call-events.ts';
import type { CallState } from '../../domain/call/call-state.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import type { Principal } from '../auth/principal.ts';

/**
 * The call decider as `principal` may use it. An agent key acts only on calls its agent handles (the call's `agentId`:
 * the connected agent, or the agent an outbound call was dialled for); anything else is 403. The check runs inside
 * `decide`, on the state the append is made against, so a call that changes hands between read and write is
 * checked again on the fresh state (handleCommand retries a conflicting append). An empty stream falls through to
 * the decider's own CALL_NOT_FOUND (404), so an agent learns nothing about calls that do not exist. Other roles with
 * the route's permission act on any call of their tenant.
 */
export function callDeciderFor(principal: Principal): Decider<CallCommand, CallEvent, CallState> {
  if (principal.role !== 'agent') return callDecider;
  return {
    ...callDecider,
    decide: (command, state) => {
      if (state.status !== 'none') requireOwnCall(principal, state);
      return callDecider.decide(command, state);
    },
  };
}

/** For agent keys: refuses (403) a call whose agent is not the key's own. Other roles pass. */
export function requireOwnCall(principal: Principal, state: CallState): void {
  if (principal.role === 'agent' && (state.agentId === null || state.agentId !== principal.agentId)) {
    throw new LedgerlineError('FORBIDDEN', `This key acts on the calls of agent ${principal.agentId} only`, { callId: state.callId });
  }
}
