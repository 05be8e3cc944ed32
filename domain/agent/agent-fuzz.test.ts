import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { AGENT_COMMAND_TYPES, parseAgentCommand } from './agent-commands.ts';

describe('agent commands under arbitrary input', () => {
  it('parseAgentCommand returns a command or throws AGENT_COMMAND_INVALID, nothing else', () => {
    const envelopeish = fc.record({
      type: fc.constantFrom(...AGENT_COMMAND_TYPES),
      commandId: fc.string(),
      at: fc.oneof(fc.integer(), fc.double()),
      agentId: fc.string(),
      offerId: fc.string(),
      skills: fc.anything(),
      policy: fc.anything(),
    });
    fc.assert(
      fc.property(fc.oneof(fc.anything(), envelopeish), (input) => {
        try {
          parseAgentCommand(input);
        } catch (e) {
          expect(isLedgerlineError(e, 'AGENT_COMMAND_INVALID')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
