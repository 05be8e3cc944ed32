import { describe, expect, it } from 'vitest';
import { fold } from '../decider.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { AGENT_STATES, type AgentState } from '../shared/contact-center.ts';
import { AGENT_COMMAND_TYPES, type AgentCommand, type AgentCommandType } from './agent-commands.ts';
import { agentDecider } from './agent-decider.ts';
import type { AgentEvent, AgentEventType } from './agent-events.ts';
import { COMMAND, COMMAND_VARIANTS, EXTRA_GIVENS, GIVEN_BY_STATE } from './agent-fixtures.ts';
import { agentTransitions } from './agent-state-machine.ts';

type Outcome = readonly AgentEventType[] | ErrorCode;

/** What every command does in every state (the first variant of each command, see agent-fixtures.ts). */
const EXPECTED: Record<AgentState, Record<AgentCommandType, Outcome>> = {
  logged_out: {
    LogIn: ['AgentLoggedIn'],
    MakeReady: 'AGENT_NOT_LOGGED_IN',
    MakeNotReady: 'AGENT_NOT_LOGGED_IN',
    OfferCall: 'AGENT_NOT_AVAILABLE',
    RecordRinging: 'AGENT_NOT_LOGGED_IN',
    RecordTalking: 'AGENT_NOT_LOGGED_IN',
    HoldCall: 'AGENT_NOT_LOGGED_IN',
    RetrieveCall: 'AGENT_NOT_LOGGED_IN',
    StartWrapUp: 'AGENT_NOT_LOGGED_IN',
    ExtendWrapUp: 'AGENT_NOT_LOGGED_IN',
    EndWrapUp: 'AGENT_NOT_LOGGED_IN',
    RecordOfferMissed: 'AGENT_NOT_LOGGED_IN',
    CancelOffer: 'AGENT_NOT_LOGGED_IN',
    LogOut: [],
    ChangeSkills: 'AGENT_NOT_LOGGED_IN',
    ForceState: 'AGENT_NOT_LOGGED_IN',
  },
  ready: {
    LogIn: 'AGENT_ALREADY_LOGGED_IN',
    MakeReady: [],
    MakeNotReady: ['AgentNotReady'],
    OfferCall: ['AgentOffered'],
    RecordRinging: 'AGENT_NO_OFFER',
    RecordTalking: 'AGENT_NO_OFFER',
    HoldCall: 'AGENT_NOT_IN_CALL',
    RetrieveCall: 'AGENT_NOT_IN_CALL',
    StartWrapUp: 'AGENT_NOT_IN_CALL',
    ExtendWrapUp: 'AGENT_NOT_IN_WRAP_UP',
    EndWrapUp: 'AGENT_NOT_IN_WRAP_UP',
    RecordOfferMissed: 'AGENT_NO_OFFER',
    CancelOffer: 'AGENT_NO_OFFER',
    LogOut: ['AgentLoggedOut'],
    ChangeSkills: ['AgentSkillsChanged'],
    ForceState: ['AgentStateForced'],
  },
  not_ready: {
    LogIn: 'AGENT_ALREADY_LOGGED_IN',
    MakeReady: ['AgentReady'],
    MakeNotReady: ['AgentNotReady'],
    OfferCall: 'AGENT_NOT_AVAILABLE',
    RecordRinging: 'AGENT_NO_OFFER',
    RecordTalking: 'AGENT_NO_OFFER',
    HoldCall: 'AGENT_NOT_IN_CALL',
    RetrieveCall: 'AGENT_NOT_IN_CALL',
    StartWrapUp: 'AGENT_NOT_IN_CALL',
    ExtendWrapUp: 'AGENT_NOT_IN_WRAP_UP',
    EndWrapUp: 'AGENT_NOT_IN_WRAP_UP',
    RecordOfferMissed: 'AGENT_NO_OFFER',
    CancelOffer: 'AGENT_NO_OFFER',
    LogOut: ['AgentLoggedOut'],
    ChangeSkills: ['AgentSkillsChanged'],
    ForceState: ['AgentStateForced'],
  },
  offered: {
    LogIn: 'AGENT_ALREADY_LOGGED_IN',
    MakeReady: 'AGENT_BUSY',
    MakeNotReady: 'AGENT_BUSY',
    OfferCall: 'AGENT_NOT_AVAILABLE',
    RecordRinging: ['AgentRinging'],
    RecordTalking: ['AgentTalking'],
    HoldCall: 'AGENT_NOT_IN_CALL',
    RetrieveCall: 'AGENT_NOT_IN_CALL',
    StartWrapUp: 'AGENT_NOT_IN_CALL',
    ExtendWrapUp: 'AGENT_NOT_IN_WRAP_UP',
    EndWrapUp: 'AGENT_NOT_IN_WRAP_UP',
    RecordOfferMissed: ['AgentOfferMissed'],
    CancelOffer: ['AgentOfferCancelled'],
    LogOut: ['AgentOfferCancelled', 'AgentLoggedOut'],
    ChangeSkills: ['AgentSkillsChanged'],
    ForceState: ['AgentOfferCancelled', 'AgentStateForced'],
  },
  ringing: {
    LogIn: 'AGENT_ALREADY_LOGGED_IN',
    MakeReady: 'AGENT_BUSY',
    MakeNotReady: 'AGENT_BUSY',
    OfferCall: 'AGENT_NOT_AVAILABLE',
    RecordRinging: [],
    RecordTalking: ['AgentTalking'],
    HoldCall: 'AGENT_NOT_IN_CALL',
    RetrieveCall: 'AGENT_NOT_IN_CALL',
    StartWrapUp: 'AGENT_NOT_IN_CALL',
    ExtendWrapUp: 'AGENT_NOT_IN_WRAP_UP',
    EndWrapUp: 'AGENT_NOT_IN_WRAP_UP',
    RecordOfferMissed: ['AgentOfferMissed'],
    CancelOffer: ['AgentOfferCancelled'],
    LogOut: ['AgentOfferCancelled', 'AgentLoggedOut'],
    ChangeSkills: ['AgentSkillsChanged'],
    ForceState: ['AgentOfferCancelled', 'AgentStateForced'],
  },
  talking: {
    LogIn: 'AGENT_ALREADY_LOGGED_IN',
    MakeReady: 'AGENT_BUSY',
    MakeNotReady: ['AgentNotReadyDeferred'],
    OfferCall: 'AGENT_NOT_AVAILABLE',
    RecordRinging: [],
    RecordTalking: [],
    HoldCall: ['AgentCallHeld'],
    RetrieveCall: [],
    StartWrapUp: ['AgentWrapUpStarted'],
    ExtendWrapUp: 'AGENT_NOT_IN_WRAP_UP',
    EndWrapUp: 'AGENT_NOT_IN_WRAP_UP',
    RecordOfferMissed: 'AGENT_NO_OFFER',
    CancelOffer: 'AGENT_NO_OFFER',
    LogOut: ['AgentLogoutDeferred'],
    ChangeSkills: ['AgentSkillsChanged'],
    ForceState: 'AGENT_BUSY',
  },
  wrap_up: {
    LogIn: 'AGENT_ALREADY_LOGGED_IN',
    MakeReady: ['AgentWrapUpEnded'],
    MakeNotReady: ['AgentWrapUpEnded', 'AgentNotReady'],
    OfferCall: 'AGENT_NOT_AVAILABLE',
    RecordRinging: 'AGENT_NO_OFFER',
    RecordTalking: 'AGENT_NO_OFFER',
    HoldCall: 'AGENT_NOT_IN_CALL',
    RetrieveCall: 'AGENT_NOT_IN_CALL',
    StartWrapUp: [],
    ExtendWrapUp: ['AgentWrapUpExtended'],
    EndWrapUp: ['AgentWrapUpEnded'],
    RecordOfferMissed: 'AGENT_NO_OFFER',
    CancelOffer: 'AGENT_NO_OFFER',
    LogOut: ['AgentWrapUpEnded', 'AgentLoggedOut'],
    ChangeSkills: ['AgentSkillsChanged'],
    ForceState: ['AgentWrapUpEnded', 'AgentStateForced'],
  },
  break_out: {
    LogIn: 'AGENT_ALREADY_LOGGED_IN',
    MakeReady: ['AgentReady'],
    MakeNotReady: ['AgentNotReady'],
    OfferCall: 'AGENT_NOT_AVAILABLE',
    RecordRinging: 'AGENT_NO_OFFER',
    RecordTalking: 'AGENT_NO_OFFER',
    HoldCall: 'AGENT_NOT_IN_CALL',
    RetrieveCall: 'AGENT_NOT_IN_CALL',
    StartWrapUp: 'AGENT_NOT_IN_CALL',
    ExtendWrapUp: 'AGENT_NOT_IN_WRAP_UP',
    EndWrapUp: 'AGENT_NOT_IN_WRAP_UP',
    RecordOfferMissed: 'AGENT_NO_OFFER',
    CancelOffer: 'AGENT_NO_OFFER',
    LogOut: ['AgentLoggedOut'],
    ChangeSkills: ['AgentSkillsChanged'],
    ForceState: ['AgentStateForced'],
  },
};

/** The state after each accepted command (same matrix; refused pairs are absent). */
const EXPECTED_STATE_AFTER: Partial<Record<AgentState, Partial<Record<AgentCommandType, AgentState>>>> = {
  logged_out: { LogIn: 'not_ready', LogOut: 'logged_out' },
  ready: { MakeReady: 'ready', MakeNotReady: 'not_ready', OfferCall: 'offered', LogOut: 'logged_out', ChangeSkills: 'ready', ForceState: 'not_ready' },
  not_ready: { MakeReady: 'ready', MakeNotReady: 'not_ready', LogOut: 'logged_out', ChangeSkills: 'not_ready', ForceState: 'not_ready' },
  offered: { RecordRinging: 'ringing', RecordTalking: 'talking', RecordOfferMissed: 'ready', CancelOffer: 'ready', LogOut: 'logged_out', ChangeSkills: 'offered', ForceState: 'not_ready' },
  ringing: { RecordRinging: 'ringing', RecordTalking: 'talking', RecordOfferMissed: 'ready', CancelOffer: 'ready', LogOut: 'logged_out', ChangeSkills: 'ringing', ForceState: 'not_ready' },
  talking: {
    MakeNotReady: 'talking',
    RecordRinging: 'talking',
    RecordTalking: 'talking',
    HoldCall: 'talking',
    RetrieveCall: 'talking',
    StartWrapUp: 'wrap_up',
    LogOut: 'talking',
    ChangeSkills: 'talking',
  },
  wrap_up: { MakeReady: 'ready', MakeNotReady: 'not_ready', StartWrapUp: 'wrap_up', ExtendWrapUp: 'wrap_up', EndWrapUp: 'ready', LogOut: 'logged_out', ChangeSkills: 'wrap_up', ForceState: 'not_ready' },
  break_out: { MakeReady: 'ready', MakeNotReady: 'not_ready', LogOut: 'logged_out', ChangeSkills: 'break_out', ForceState: 'not_ready' },
};

function run(given: readonly AgentEvent[], command: AgentCommand): { events: AgentEvent[] } | { code: string } {
  const state = fold(agentDecider, given);
  try {
    return { events: [...agentDecider.decide(command, state)] };
  } catch (e) {
    if (isLedgerlineError(e)) return { code: e.code };
    throw e;
  }
}

describe('agent decider: every state × every command', () => {
  it('the fixtures reach every state and name every command', () => {
    for (const s of AGENT_STATES) expect(fold(agentDecider, GIVEN_BY_STATE[s]).state).toBe(s);
    expect(Object.keys(COMMAND).sort()).toEqual([...AGENT_COMMAND_TYPES].sort());
    expect(Object.keys(EXPECTED).sort()).toEqual([...AGENT_STATES].sort());
  });

  for (const state of AGENT_STATES) {
    describe(`given ${state}`, () => {
      for (const type of AGENT_COMMAND_TYPES) {
        const expected = EXPECTED[state][type];
        const label = typeof expected === 'string' ? `refuses with ${expected}` : expected.length === 0 ? 'is a no-op' : `emits ${expected.join(', ')}`;
        it(`${type} ${label}`, () => {
          const given = GIVEN_BY_STATE[state];
          const result = run(given, COMMAND[type]);
          if (typeof expected === 'string') {
            expect(result).toEqual({ code: expected });
            return;
          }
          if (!('events' in result)) throw new Error(`expected events, got ${result.code}`);
          expect(result.events.map((e) => e.type)).toEqual(expected);
          for (const e of result.events) {
            expect(e.data.agentId).toBe(COMMAND[type].agentId);
            expect(e.data.at).toBe(COMMAND[type].at);
          }
          const after = fold(agentDecider, [...given, ...result.events]).state;
          expect(after).toBe(EXPECTED_STATE_AFTER[state]?.[type]);
        });
      }
    });
  }
});

describe('agentTransitions', () => {
  it('lists exactly the transitions the decider makes with events (both directions)', () => {
    const givens: Record<string, readonly AgentEvent[]> = { ...GIVEN_BY_STATE, ...EXTRA_GIVENS };
    const observed = new Set<string>();
    for (const given of Object.values(givens)) {
      const from = fold(agentDecider, given).state;
      for (const command of COMMAND_VARIANTS) {
        const result = run(given, command);
        if (!('events' in result) || result.events.length === 0) continue;
        const to = fold(agentDecider, [...given, ...result.events]).state;
        observed.add(`${from} --${command.type}--> ${to}`);
      }
    }
    const table = new Set(agentTransitions.map((r) => `${r.from} --${r.command}--> ${r.to}`));
    expect(table.size).toBe(agentTransitions.length);
    expect([...observed].sort()).toEqual([...table].sort());
  });
});
