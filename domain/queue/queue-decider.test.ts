import { describe, expect, it } from 'vitest';
import { fold } from '../decider.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { QUEUE_COMMAND_TYPES, SECTION_COMMANDS, type QueueCommand, type QueueCommandType } from './queue-commands.ts';
import { queueDecider } from './queue-decider.ts';
import type { QueueEvent, QueueEventType } from './queue-events.ts';
import { COMMAND, GIVEN_BY_STATE, QUEUE_STATES, SAME, type QueueStatus } from './queue-fixtures.ts';

type Outcome = readonly QueueEventType[] | ErrorCode;

const sectionEvent = (t: QueueCommandType): Outcome => [SECTION_COMMANDS[t as keyof typeof SECTION_COMMANDS].event];

/** Every command in every state; on an active queue the fixture commands all change something. */
const EXPECTED: Record<QueueStatus, Record<QueueCommandType, Outcome>> = {
  absent: Object.fromEntries(QUEUE_COMMAND_TYPES.map((t) => [t, t === 'CreateQueue' ? ['QueueCreated'] : 'QUEUE_NOT_FOUND'])) as Record<QueueCommandType, Outcome>,
  active: Object.fromEntries(
    QUEUE_COMMAND_TYPES.map((t) => [
      t,
      t === 'CreateQueue'
        ? 'QUEUE_ALREADY_EXISTS'
        : t === 'DeleteQueue'
          ? ['QueueDeleted']
          : t === 'AssignAgentsToQueue'
            ? ['QueueAgentsAssigned']
            : t === 'UnassignAgentsFromQueue'
              ? ['QueueAgentsUnassigned']
              : sectionEvent(t),
    ]),
  ) as Record<QueueCommandType, Outcome>,
  deleted: Object.fromEntries(QUEUE_COMMAND_TYPES.map((t) => [t, t === 'DeleteQueue' ? [] : 'QUEUE_DELETED'])) as Record<QueueCommandType, Outcome>,
};

function run(given: readonly QueueEvent[], command: QueueCommand): { events: QueueEvent[] } | { code: string } {
  try {
    return { events: [...queueDecider.decide(command, fold(queueDecider, given))] };
  } catch (e) {
    if (isLedgerlineError(e)) return { code: e.code };
    throw e;
  }
}

describe('queue decider: every state × every command', () => {
  it('the fixtures reach every state and name every command', () => {
    for (const s of QUEUE_STATES) expect(fold(queueDecider, GIVEN_BY_STATE[s]).status).toBe(s);
    expect(Object.keys(COMMAND).sort()).toEqual([...QUEUE_COMMAND_TYPES].sort());
  });

  for (const state of QUEUE_STATES) {
    describe(`given ${state}`, () => {
      for (const type of QUEUE_COMMAND_TYPES) {
        const expected = EXPECTED[state][type];
        const label = typeof expected === 'string' ? `refuses with ${expected}` : expected.length === 0 ? 'is a no-op' : `emits ${expected.join(', ')}`;
        it(`${type} ${label}`, () => {
          const result = run(GIVEN_BY_STATE[state], COMMAND[type]);
          if (typeof expected === 'string') {
            expect(result).toEqual({ code: expected });
            return;
          }
          if (!('events' in result)) throw new Error(`expected events, got ${result.code}`);
          expect(result.events.map((e) => e.type)).toEqual(expected);
          for (const e of result.events) expect(e.data).toMatchObject({ queueId: COMMAND[type].queueId, at: COMMAND[type].at });
          if (state === 'active' && type in SECTION_COMMANDS) {
            // The change is applied: the section now holds the command's value.
            const { key } = SECTION_COMMANDS[type as keyof typeof SECTION_COMMANDS];
            const after = fold(queueDecider, [...GIVEN_BY_STATE[state], ...result.events]);
            expect(after.config?.[key]).toEqual((COMMAND[type] as unknown as Record<string, unknown>)[key]);
            expect(after.config?.updatedAt).toBe(COMMAND[type].at);
          }
        });
      }
    });
  }

  describe('given active, a command that repeats the current values', () => {
    for (const type of QUEUE_COMMAND_TYPES) {
      const same = SAME[type];
      if (!same) continue;
      it(`${type} is a no-op`, () => {
        expect(run(GIVEN_BY_STATE.active, same)).toEqual({ events: [] });
      });
    }
    it('covers every change command', () => {
      expect(Object.keys(SAME).sort()).toEqual(QUEUE_COMMAND_TYPES.filter((t) => t !== 'CreateQueue' && t !== 'DeleteQueue').sort());
    });
  });
});
