import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../decider.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import { isLedgerlineError, type LedgerlineError } from '../errors/ledgerline-error.ts';
import { toStoredEvent } from '../events/registry.ts';
import { NUMBER_COMMAND_TYPES, parseNumberCommand, type NumberCommand } from './number-commands.ts';
import { numberDecider } from './number-decider.ts';
import type { NumberEvent, NumberEventType } from './number-events.ts';
import { numberKey, numberStream, parseNumberStream } from './number-key.ts';

const NUMBER = '+3225550100';
let n = 0;
const env = (at = 10_000) => ({ commandId: `c${++n}`, at, number: NUMBER });
const assign = (flowId: string, at?: number): NumberCommand => ({ type: 'AssignNumber', ...env(at), flowId });
const release = (at?: number): NumberCommand => ({ type: 'ReleaseNumber', ...env(at) });

/** Runs commands from `given` and returns every event; throws on the first refusal. */
function play(commands: readonly NumberCommand[], given: readonly NumberEvent[] = []): NumberEvent[] {
  const events = [...given];
  for (const c of commands) events.push(...numberDecider.decide(c, fold(numberDecider, events)));
  return events;
}

function refusal(given: readonly NumberEvent[], command: NumberCommand): LedgerlineError {
  try {
    numberDecider.decide(command, fold(numberDecider, given));
  } catch (e) {
    if (isLedgerlineError(e)) return e;
    throw e;
  }
  throw new Error(`${command.type} was accepted`);
}

const GIVEN = {
  never: [] as NumberEvent[],
  assigned: play([assign('main', 1)]),
  released: play([assign('main', 1), release(2)]),
};
type Given = keyof typeof GIVEN;

/** Assign to `main` (the flow it may already answer), assign to `sales`, release. */
const COMMANDS: Record<string, NumberCommand> = { 'AssignNumber main': assign('main'), 'AssignNumber sales': assign('sales'), ReleaseNumber: release() };
const EXPECTED: Record<Given, Record<string, readonly NumberEventType[] | ErrorCode>> = {
  never: { 'AssignNumber main': ['NumberAssigned'], 'AssignNumber sales': ['NumberAssigned'], ReleaseNumber: 'NUMBER_NOT_ASSIGNED' },
  assigned: { 'AssignNumber main': [], 'AssignNumber sales': ['NumberAssigned'], ReleaseNumber: ['NumberReleased'] },
  released: { 'AssignNumber main': ['NumberAssigned'], 'AssignNumber sales': ['NumberAssigned'], ReleaseNumber: 'NUMBER_NOT_ASSIGNED' },
};

describe('number decider: every state × every command', () => {
  it('the fixtures name every command type', () => {
    expect([...new Set(Object.values(COMMANDS).map((c) => c.type))].sort()).toEqual([...NUMBER_COMMAND_TYPES].sort());
  });
  for (const given of Object.keys(GIVEN) as Given[]) {
    for (const [label, command] of Object.entries(COMMANDS)) {
      const expected = EXPECTED[given][label]!;
      const outcome = typeof expected === 'string' ? `refuses with ${expected}` : expected.length === 0 ? 'is a no-op' : `emits ${expected.join(', ')}`;
      it(`given ${given}, ${label} ${outcome}`, () => {
        if (typeof expected === 'string') {
          expect(refusal(GIVEN[given], command).code).toBe(expected);
          return;
        }
        const out = numberDecider.decide(command, fold(numberDecider, GIVEN[given]));
        expect(out.map((e) => e.type)).toEqual(expected);
        for (const e of out) {
          expect(e.data).toMatchObject({ number: NUMBER, at: command.at });
          expect(() => toStoredEvent(e)).not.toThrow();
        }
      });
    }
  }
});

describe('number scenarios', () => {
  it('given nothing, when assigned, then NumberAssigned names the flow and no previous flow', () => {
    expect(play([assign('main', 5)])).toEqual([{ type: 'NumberAssigned', data: { number: NUMBER, at: 5, flowId: 'main', previousFlowId: null } }]);
  });
  it('given assigned to main, when assigned to sales, then the reassignment names main and keeps the assignment start', () => {
    const events = play([assign('sales', 9)], GIVEN.assigned);
    expect(events.at(-1)).toEqual({ type: 'NumberAssigned', data: { number: NUMBER, at: 9, flowId: 'sales', previousFlowId: 'main' } });
    expect(fold(numberDecider, events)).toEqual({ status: 'assigned', number: NUMBER, flowId: 'sales', assignedAt: 1 });
  });
  it('given assigned to main, when released, then NumberReleased names main and the number is unassigned', () => {
    const events = play([release(7)], GIVEN.assigned);
    expect(events.at(-1)).toEqual({ type: 'NumberReleased', data: { number: NUMBER, at: 7, flowId: 'main' } });
    expect(fold(numberDecider, events)).toEqual({ status: 'unassigned', number: NUMBER, flowId: null, assignedAt: null });
  });
  it('given a number assigned as +E.164, the bare-digit spelling addresses the same number and keeps the first spelling', () => {
    const out = numberDecider.decide({ type: 'AssignNumber', commandId: 'x', at: 3, number: '3225550100', flowId: 'sales' }, fold(numberDecider, GIVEN.assigned));
    expect(out).toEqual([{ type: 'NumberAssigned', data: { number: NUMBER, at: 3, flowId: 'sales', previousFlowId: 'main' } }]);
  });
  it('refuses a command for another number sent to this stream', () => {
    const e = refusal(GIVEN.assigned, { type: 'ReleaseNumber', commandId: 'y', at: 3, number: '+3225550199' });
    expect(e.code).toBe('NUMBER_COMMAND_INVALID');
  });
  it('property: after any command sequence, the state is assigned exactly when the last effective event is NumberAssigned', () => {
    const cmd = fc.oneof(fc.constantFrom('main', 'sales', 'vip').map((f) => assign(f)), fc.constant(null).map(() => release()));
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 30 }), (commands) => {
        const events: NumberEvent[] = [];
        for (const c of commands) {
          try {
            events.push(...numberDecider.decide(c, fold(numberDecider, events)));
          } catch (e) {
            expect(isLedgerlineError(e, 'NUMBER_NOT_ASSIGNED')).toBe(true);
            expect(fold(numberDecider, events).status).toBe('unassigned');
          }
        }
        const s = fold(numberDecider, events);
        const last = events.at(-1);
        expect(s.status).toBe(last?.type === 'NumberAssigned' ? 'assigned' : 'unassigned');
        if (last?.type === 'NumberAssigned') expect(s.flowId).toBe(last.data.flowId);
        // Every reassignment names the flow the number answered just before.
        events.forEach((e, i) => {
          if (e.type === 'NumberAssigned') expect(e.data.previousFlowId).toBe(fold(numberDecider, events.slice(0, i)).flowId);
        });
      }),
    );
  });
});

describe('number commands and streams', () => {
  it('parses commands and refuses bad ones with NUMBER_COMMAND_INVALID', () => {
    expect(parseNumberCommand({ type: 'AssignNumber', commandId: 'a', at: 1, number: '+3225550100', flowId: 'main' }).type).toBe('AssignNumber');
    for (const bad of [{ type: 'AssignNumber', commandId: 'a', at: 1, number: '+32 2555', flowId: 'main' }, { type: 'AssignNumber', commandId: 'a', at: 1, number: '12' }, { type: 'Nope' }]) {
      let code: string | undefined;
      try {
        parseNumberCommand(bad);
      } catch (e) {
        code = isLedgerlineError(e) ? e.code : 'other';
      }
      expect(code).toBe('NUMBER_COMMAND_INVALID');
    }
  });
  it('names streams per the tenancy contract and parses them back', () => {
    expect(numberStream('acme', '+3225550100')).toBe('number-acme.3225550100');
    expect(numberStream(undefined, '3225550100')).toBe('number-3225550100');
    expect(parseNumberStream('number-acme.3225550100')).toEqual({ tenant: 'acme', key: '3225550100' });
    expect(parseNumberStream('number-3225550100')).toEqual({ tenant: undefined, key: '3225550100' });
    expect(parseNumberStream('ivrflow-acme.main')).toBeUndefined();
    expect(parseNumberStream('number-acme.+32')).toBeUndefined();
    expect(numberKey('+1818')).toBe(numberKey('1818'));
  });
});
