import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { parseIvrFlowCommand, type IvrFlowCommand } from './ivr-flow-commands.ts';
import { ivrFlowDecider } from './ivr-flow-decider.ts';

describe('IVR flow commands under arbitrary input', () => {
  it('parseIvrFlowCommand returns a command or throws IVR_FLOW_COMMAND_INVALID, nothing else', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        try {
          parseIvrFlowCommand(input);
        } catch (e) {
          expect(isLedgerlineError(e, 'IVR_FLOW_COMMAND_INVALID')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('any JSON draft can be saved, and publishing it either yields version 1 or IVR_FLOW_INVALID', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (flow) => {
        const save = parseIvrFlowCommand({ type: 'SaveIvrFlowDraft', commandId: 'c1', at: 1, flowId: 'f', flow });
        let s = ivrFlowDecider.initialState;
        for (const e of ivrFlowDecider.decide(save, s)) s = ivrFlowDecider.evolve(s, e);
        const publish: IvrFlowCommand = { type: 'PublishIvrFlow', commandId: 'c2', at: 2, flowId: 'f' };
        try {
          expect(ivrFlowDecider.decide(publish, s)).toMatchObject([{ type: 'IvrFlowPublished', data: { version: 1 } }]);
        } catch (e) {
          expect(isLedgerlineError(e, 'IVR_FLOW_INVALID')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
