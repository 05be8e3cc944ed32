import type { Decider } from '../decider.ts';
import type { CallCommand } from './call-commands.ts';
import { decideCall } from './call-decide.ts';
import type { CallEvent } from './call-events.ts';
import { evolveCall } from './call-evolve.ts';
import { initialCallState, type CallState } from './call-state.ts';

/** The call aggregate: one `call-<callId>` stream per customer interaction. */
export const callDecider: Decider<CallCommand, CallEvent, CallState> = {
  decide: decideCall,
  evolve: evolveCall,
  initialState: initialCallState,
};

/** The stream a call's events live in. */
export function callStreamName(callId: string): string {
  return `call-${callId}`;
}
