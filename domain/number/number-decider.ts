import type { Decider } from '../decider.ts';
import { LedgerlineError } from '../errors/ledgerline-error.ts';
import type { NumberCommand } from './number-commands.ts';
import type { NumberEvent } from './number-events.ts';
import { numberKey } from './number-key.ts';
import { evolveNumber, initialNumberState, type NumberState } from './number-state.ts';

/**
 * Decides a number command. Assigning a number to the flow it already answers emits nothing (a PUT retried without
 * its key changes nothing); assigning it to another flow is a reassignment that names the previous flow. Releasing
 * an unassigned number is refused (NUMBER_NOT_ASSIGNED): the caller asked about a routing that does not exist.
 * Which tenant owns a number is the stream's business (numberStream); a dialled number answered by two tenants is
 * resolved by the directory (first assignment in the log wins), not here: a decider sees one stream.
 */
export function decideNumber(c: NumberCommand, s: NumberState): NumberEvent[] {
  const number = s.number ?? c.number;
  if (numberKey(number) !== numberKey(c.number)) {
    throw new LedgerlineError('NUMBER_COMMAND_INVALID', `Command for number ${c.number} sent to the stream of number ${number}`, { number: c.number });
  }
  switch (c.type) {
    case 'AssignNumber':
      if (s.status === 'assigned' && s.flowId === c.flowId) return [];
      return [{ type: 'NumberAssigned', data: { number, at: c.at, flowId: c.flowId, previousFlowId: s.status === 'assigned' ? s.flowId : null } }];
    case 'ReleaseNumber':
      if (s.status !== 'assigned' || s.flowId === null) throw new LedgerlineError('NUMBER_NOT_ASSIGNED', `Number ${c.number} is not assigned to a flow`, { number: c.number });
      return [{ type: 'NumberReleased', data: { number, at: c.at, flowId: s.flowId } }];
  }
}

/** The number decider for stream `number-<tenant>.<digits>` (number-key.ts). */
export const numberDecider: Decider<NumberCommand, NumberEvent, NumberState> = {
  decide: decideNumber,
  evolve: evolveNumber,
  initialState: initialNumberState,
};
