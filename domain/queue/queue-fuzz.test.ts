import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../decider.ts';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { parseQueueCommand, SECTION_COMMANDS, type QueueCommand } from './queue-commands.ts';
import { queueDecider } from './queue-decider.ts';
import { COMMAND, GIVEN_BY_STATE } from './queue-fixtures.ts';
import { queueSettingsSchema } from './queue-settings.ts';

const active = fold(queueDecider, GIVEN_BY_STATE.active);

describe('queue commands under arbitrary input', () => {
  it('parseQueueCommand returns a command or throws QUEUE_CONFIG_INVALID, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ type: fc.constantFrom(...Object.keys(COMMAND)), commandId: fc.string(), at: fc.integer(), queueId: fc.string() })), (input) => {
        try {
          parseQueueCommand(input);
        } catch (e) {
          expect(isLedgerlineError(e, 'QUEUE_CONFIG_INVALID')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('decide, even handed an unchecked section value, emits a valid section or refuses with QUEUE_CONFIG_INVALID', () => {
    const types = Object.keys(SECTION_COMMANDS) as (keyof typeof SECTION_COMMANDS)[];
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.anything(), (type, value) => {
        const { key } = SECTION_COMMANDS[type];
        const command = { ...COMMAND[type], [key]: value } as QueueCommand;
        try {
          const events = queueDecider.decide(command, active);
          const after = fold(queueDecider, [...GIVEN_BY_STATE.active, ...events]);
          expect(queueSettingsSchema.safeParse(after.config).success).toBe(true);
        } catch (e) {
          expect(isLedgerlineError(e, 'QUEUE_CONFIG_INVALID')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
