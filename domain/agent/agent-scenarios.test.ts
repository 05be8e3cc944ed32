import { describe, expect, it } from 'vitest';
import { fold } from '../decider.ts';
import { isLedgerlineError, type LedgerlineError } from '../errors/ledgerline-error.ts';
import { parseAgentCommand, type AgentCommand } from './agent-commands.ts';
import { agentDecider, agentStream } from './agent-decider.ts';
import { agentEvents, type AgentEvent } from './agent-events.ts';
import { AGENT, COMMAND, COMMAND_VARIANTS, EXTRA_GIVENS, GIVEN_BY_STATE, POLICY } from './agent-fixtures.ts';
import type { OfferPolicy } from './agent-schemas.ts';

/** Runs commands in order from an empty stream, returning all events; throws on the first refusal. */
function play(commands: readonly AgentCommand[], given: readonly AgentEvent[] = []): AgentEvent[] {
  const events = [...given];
  for (const c of commands) events.push(...agentDecider.decide(c, fold(agentDecider, events)));
  return events;
}

function refusal(events: readonly AgentEvent[], command: AgentCommand): LedgerlineError {
  try {
    agentDecider.decide(command, fold(agentDecider, events));
  } catch (e) {
    if (isLedgerlineError(e)) return e;
    throw e;
  }
  throw new Error(`${command.type} was accepted`);
}

let n = 0;
const env = (at: number) => ({ commandId: `c${++n}`, at, agentId: AGENT });
const logIn = (at: number): AgentCommand => ({ type: 'LogIn', ...env(at), skills: [{ skill: 'sales', proficiency: 3 }], capacity: { voice: 1 }, ready: true });
const offer = (at: number, offerId: string, policy: OfferPolicy = POLICY): AgentCommand => ({
  type: 'OfferCall',
  ...env(at),
  offerId,
  callId: `call-${offerId}`,
  queueId: 'q1',
  policy,
});
const ofr = (type: 'RecordRinging' | 'RecordTalking' | 'HoldCall' | 'RetrieveCall' | 'StartWrapUp', at: number, offerId: string): AgentCommand =>
  ({ type, ...env(at), offerId }) as AgentCommand;
const miss = (at: number, offerId: string, reason: 'no_answer' | 'rejected' | 'busy' = 'no_answer'): AgentCommand => ({
  type: 'RecordOfferMissed',
  ...env(at),
  offerId,
  reason,
});

describe('agent scenarios', () => {
  it('a handled call: talk, hold and wrap-up time add up, and lastCallEndedAt is the hang-up', () => {
    const events = play([
      logIn(0),
      offer(1_000, 'o1'),
      ofr('RecordRinging', 1_500, 'o1'),
      ofr('RecordTalking', 5_000, 'o1'),
      ofr('HoldCall', 10_000, 'o1'),
      ofr('RetrieveCall', 13_000, 'o1'),
      ofr('StartWrapUp', 65_000, 'o1'),
      { type: 'EndWrapUp', ...env(95_000), offerId: 'o1', reason: 'timeout' },
    ]);
    const s = fold(agentDecider, events);
    expect(s.state).toBe('ready');
    expect(s.since).toBe(95_000);
    expect(s.call).toBeNull();
    expect(s.lastCallEndedAt).toBe(65_000);
    expect(s.totals).toEqual({ offers: 1, answered: 1, handled: 1, missed: 0, talkMs: 57_000, holdMs: 3_000, wrapUpMs: 30_000 });
    expect(events.find((e) => e.type === 'AgentWrapUpStarted')?.data).toMatchObject({ deadline: 95_000, talkMs: 57_000, holdMs: 3_000 });
    expect(events.find((e) => e.type === 'AgentOffered')?.data).toMatchObject({ expiresAt: 21_000, queueId: 'q1', callId: 'call-o1' });
  });

  it('a call that ends while on hold counts the open hold interval as hold, not talk', () => {
    const events = play([logIn(0), offer(0, 'o1'), ofr('RecordTalking', 0, 'o1'), ofr('HoldCall', 4_000, 'o1'), ofr('StartWrapUp', 10_000, 'o1')]);
    expect(events.at(-1)?.data).toMatchObject({ talkMs: 4_000, holdMs: 6_000 });
  });

  it('after a reject the agent is ready but refuses offers until the reject delay has passed', () => {
    const events = play([logIn(0), offer(1_000, 'o1'), miss(2_000, 'o1', 'rejected')]);
    expect(events.at(-1)).toMatchObject({ type: 'AgentOfferMissed', data: { reason: 'rejected', consecutiveMisses: 1, unavailableUntil: 7_000 } });
    expect(fold(agentDecider, events)).toMatchObject({ state: 'ready', unavailableUntil: 7_000 });
    const e = refusal(events, offer(6_999, 'o2'));
    expect(e.code).toBe('AGENT_NOT_AVAILABLE');
    expect(e.details).toMatchObject({ reason: 'delay', unavailableUntil: 7_000 });
    expect(play([offer(7_000, 'o2')], events).at(-1)?.type).toBe('AgentOffered');
  });

  it('each miss reason applies its own delay', () => {
    for (const [reason, delay] of [['no_answer', 15_000], ['busy', 10_000], ['rejected', 5_000]] as const) {
      const events = play([logIn(0), offer(0, 'o1'), miss(1_000, 'o1', reason)]);
      expect(events.at(-1)?.data).toMatchObject({ unavailableUntil: 1_000 + delay });
    }
  });

  it('breaks out exactly at maxNoAnswer consecutive misses, and returning resets the count', () => {
    const events = play([logIn(0), offer(0, 'o1'), miss(1, 'o1'), offer(20_000, 'o2'), miss(20_001, 'o2')]);
    expect(fold(agentDecider, events)).toMatchObject({ state: 'ready', consecutiveMisses: 2 });
    const third = play([offer(40_000, 'o3'), miss(40_001, 'o3', 'busy')], events).slice(events.length);
    expect(third.map((e) => e.type)).toEqual(['AgentOffered', 'AgentOfferMissed', 'AgentBrokeOut']);
    expect(third[2]?.data).toEqual({ agentId: AGENT, at: 40_001, consecutiveMisses: 3 });
    const broken = [...events, ...third];
    expect(fold(agentDecider, broken).state).toBe('break_out');
    expect(refusal(broken, offer(99_000, 'o4')).code).toBe('AGENT_NOT_AVAILABLE');
    const back = play([{ type: 'MakeReady', ...env(100_000) }], broken);
    expect(fold(agentDecider, back)).toMatchObject({ state: 'ready', consecutiveMisses: 0 });
  });

  it('an answered call resets the consecutive misses', () => {
    const events = play([logIn(0), offer(0, 'o1'), miss(1, 'o1'), offer(20_000, 'o2'), ofr('RecordTalking', 20_001, 'o2')]);
    expect(fold(agentDecider, events).consecutiveMisses).toBe(0);
  });

  it('a caller hang-up during ringing cancels the offer with no miss and no delay', () => {
    const events = play([logIn(0), offer(0, 'o1'), ofr('RecordRinging', 1, 'o1'), { type: 'CancelOffer', ...env(2), offerId: 'o1', reason: 'caller_abandoned' }]);
    expect(events.at(-1)).toMatchObject({ type: 'AgentOfferCancelled', data: { reason: 'caller_abandoned', callId: 'call-o1', queueId: 'q1' } });
    expect(fold(agentDecider, events)).toMatchObject({ state: 'ready', consecutiveMisses: 0, unavailableUntil: null, call: null });
    expect(play([offer(3, 'o2')], events).at(-1)?.type).toBe('AgentOffered');
  });

  it('refuses reports about another offer than the one held (stale switch events)', () => {
    const events = play([logIn(0), offer(0, 'o1')]);
    const e = refusal(events, ofr('RecordTalking', 1, 'stale'));
    expect(e.code).toBe('AGENT_OFFER_MISMATCH');
    expect(e.details).toMatchObject({ offerId: 'stale', heldOfferId: 'o1' });
    expect(refusal(events, miss(1, 'stale')).code).toBe('AGENT_OFFER_MISMATCH');
    const talking = play([ofr('RecordTalking', 1, 'o1')], events);
    expect(refusal(talking, ofr('StartWrapUp', 2, 'stale')).code).toBe('AGENT_OFFER_MISMATCH');
  });

  it('a wrap-up timer that fires before an extended deadline is refused, so wrap-up never ends early', () => {
    const events = play([logIn(0), offer(0, 'o1'), ofr('RecordTalking', 0, 'o1'), ofr('StartWrapUp', 10_000, 'o1'), { type: 'ExtendWrapUp', ...env(20_000), offerId: 'o1', bySeconds: 60 }]);
    expect(events.at(-1)?.data).toMatchObject({ deadline: 100_000 });
    const e = refusal(events, { type: 'EndWrapUp', ...env(40_000), offerId: 'o1', reason: 'timeout' });
    expect(e.code).toBe('AGENT_WRAP_UP_NOT_DUE');
    expect(e.details).toMatchObject({ deadline: 100_000 });
    expect(play([{ type: 'EndWrapUp', ...env(100_000), offerId: 'o1', reason: 'timeout' }], events).at(-1)).toMatchObject({
      type: 'AgentWrapUpEnded',
      data: { reason: 'timeout', wrapUpMs: 90_000 },
    });
    // The agent may end wrap-up whenever they like.
    expect(play([{ type: 'EndWrapUp', ...env(40_000), offerId: 'o1', reason: 'agent' }], events).at(-1)?.type).toBe('AgentWrapUpEnded');
  });

  it('logout while talking is deferred to the end of wrap-up', () => {
    const events = play([logIn(0), offer(0, 'o1'), ofr('RecordTalking', 0, 'o1'), { type: 'LogOut', ...env(5) }]);
    expect(fold(agentDecider, events)).toMatchObject({ state: 'talking', pending: { state: 'logged_out' } });
    const ended = play([ofr('StartWrapUp', 10, 'o1'), { type: 'EndWrapUp', ...env(20), offerId: 'o1', reason: 'agent' }], events);
    expect(ended.slice(-2).map((e) => e.type)).toEqual(['AgentWrapUpEnded', 'AgentLoggedOut']);
    expect(fold(agentDecider, ended)).toMatchObject({ state: 'logged_out', pending: null, skills: [] });
  });

  it('not-ready while talking, on a queue with no wrap-up, lands not ready when the call ends', () => {
    const noWrap = { ...POLICY, wrapUpSeconds: 0 };
    const events = play([logIn(0), offer(0, 'o1', noWrap), ofr('RecordTalking', 0, 'o1'), { type: 'MakeNotReady', ...env(5), reasonCode: 'lunch' }, ofr('StartWrapUp', 10, 'o1')]);
    expect(events.slice(-3).map((e) => [e.type, 'reason' in e.data ? e.data.reason : 'reasonCode' in e.data ? e.data.reasonCode : null])).toEqual([
      ['AgentWrapUpStarted', null],
      ['AgentWrapUpEnded', 'skipped'],
      ['AgentNotReady', 'lunch'],
    ]);
    expect(fold(agentDecider, events)).toMatchObject({ state: 'not_ready', notReadyReason: 'lunch', pending: null, call: null });
  });

  it('a supervisor forcing a ringing agent cancels the offer and records who forced it', () => {
    const events = play([logIn(0), offer(0, 'o1'), ofr('RecordRinging', 1, 'o1'), { type: 'ForceState', ...env(2), actor: 'supervisor:s9', to: 'logged_out' }]);
    expect(events.slice(-2)).toEqual([
      { type: 'AgentOfferCancelled', data: { agentId: AGENT, at: 2, offerId: 'o1', callId: 'call-o1', queueId: 'q1', reason: 'forced' } },
      { type: 'AgentStateForced', data: { agentId: AGENT, at: 2, from: 'ringing', to: 'logged_out', reasonCode: null, by: 'supervisor:s9' } },
    ]);
    expect(fold(agentDecider, events).state).toBe('logged_out');
  });

  it('forced not ready without a reason uses `forced`; forcing the same state and reason is a no-op', () => {
    const events = play([logIn(0), { type: 'ForceState', ...env(1), to: 'not_ready' }]);
    expect(fold(agentDecider, events)).toMatchObject({ state: 'not_ready', notReadyReason: 'forced' });
    expect(play([{ type: 'ForceState', ...env(2), to: 'not_ready' }], events)).toHaveLength(events.length);
  });

  it('an agent without voice capacity is never offered a voice call', () => {
    const events = play([{ type: 'LogIn', ...env(0), skills: [], capacity: { voice: 0 }, ready: true }]);
    const e = refusal(events, offer(1, 'o1'));
    expect(e.code).toBe('AGENT_NOT_AVAILABLE');
    expect(e.details).toMatchObject({ reason: 'capacity' });
  });

  it('changing skills to the same set (in any order) is a no-op', () => {
    const events = play([{ type: 'LogIn', ...env(0), skills: [{ skill: 'a', proficiency: 1 }, { skill: 'b', proficiency: 5 }], capacity: { voice: 1 }, ready: false }]);
    const same: AgentCommand = { type: 'ChangeSkills', ...env(1), skills: [{ skill: 'b', proficiency: 5 }, { skill: 'a', proficiency: 1 }] };
    expect(agentDecider.decide(same, fold(agentDecider, events))).toEqual([]);
    const other: AgentCommand = { type: 'ChangeSkills', ...env(1), skills: [{ skill: 'b', proficiency: 4 }, { skill: 'a', proficiency: 1 }] };
    expect(agentDecider.decide(other, fold(agentDecider, events)).map((e) => e.type)).toEqual(['AgentSkillsChanged']);
  });

  it('since-when: not ready records the reason and its start; logout keeps lifetime totals', () => {
    const events = play([logIn(0), { type: 'MakeNotReady', ...env(10), reasonCode: 'break' }, { type: 'MakeNotReady', ...env(20), reasonCode: 'lunch' }]);
    expect(fold(agentDecider, events)).toMatchObject({ state: 'not_ready', since: 20, notReadyReason: 'lunch', loggedInAt: 0 });
    const out = play([{ type: 'LogOut', ...env(30) }], events);
    expect(fold(agentDecider, out)).toMatchObject({ state: 'logged_out', since: 30, loggedInAt: null, notReadyReason: null });
  });

  it('names its stream agent-<agentId>', () => {
    expect(agentStream('42')).toBe('agent-42');
  });
});

describe('agent events and commands at the edge', () => {
  it('every emitted event validates against its definition', () => {
    const byType = new Map(agentEvents.map((d) => [d.type as string, d]));
    const givens = { ...GIVEN_BY_STATE, ...EXTRA_GIVENS };
    let checked = 0;
    for (const given of Object.values(givens)) {
      for (const e of given) byType.get(e.type)!.schema.parse(e.data);
      for (const c of COMMAND_VARIANTS) {
        try {
          for (const e of agentDecider.decide(c, fold(agentDecider, given))) {
            byType.get(e.type)!.schema.parse(e.data);
            checked++;
          }
        } catch (e) {
          if (!isLedgerlineError(e)) throw e;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('definitions: unique past-tense names, category agent, version 1', () => {
    const types = agentEvents.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const d of agentEvents) {
      expect(d.category).toBe('agent');
      expect(d.version).toBe(1);
      expect(d.type).toMatch(/^Agent[A-Za-z]*(ed|Held|In|Out|Ready|Ringing|Talking)$/);
      expect(d.description.length).toBeGreaterThan(10);
    }
  });

  it('parses valid commands and applies defaults', () => {
    const c = parseAgentCommand({ type: 'LogIn', commandId: 'x', at: 1, agentId: 'a', skills: [{ skill: 's', proficiency: 5 }], capacity: { voice: 1 } });
    expect(c).toMatchObject({ type: 'LogIn', ready: false });
    for (const v of Object.values(COMMAND)) expect(parseAgentCommand(v)).toEqual(v);
  });

  it.each([
    ['an unknown type', { type: 'Dance', commandId: 'x', at: 1, agentId: 'a' }],
    ['a proficiency of 6', { ...COMMAND.LogIn, skills: [{ skill: 's', proficiency: 6 }] }],
    ['a skill listed twice', { ...COMMAND.ChangeSkills, skills: [{ skill: 's', proficiency: 1 }, { skill: 's', proficiency: 2 }] }],
    ['a voice capacity of 2', { ...COMMAND.LogIn, capacity: { voice: 2 } }],
    ['a negative time', { ...COMMAND.MakeReady, at: -1 }],
    ['no command id', { ...COMMAND.MakeReady, commandId: '' }],
    ['a zero maxNoAnswer', { ...COMMAND.OfferCall, policy: { ...POLICY, maxNoAnswer: 0 } }],
    ['a timeout ending wrap-up as skipped', { ...COMMAND.EndWrapUp, reason: 'skipped' }],
    ['a cancel claiming to be forced', { ...COMMAND.CancelOffer, reason: 'forced' }],
    ['forcing an agent into talking', { ...COMMAND.ForceState, to: 'talking' }],
  ])('refuses %s with AGENT_COMMAND_INVALID', (_label, input) => {
    try {
      parseAgentCommand(input);
      throw new Error('accepted');
    } catch (e) {
      expect(isLedgerlineError(e, 'AGENT_COMMAND_INVALID')).toBe(true);
    }
  });
});

describe('agent stream identity', () => {
  it('refuses a command that names another agent than the stream holds', () => {
    const e = refusal(GIVEN_BY_STATE.ready, { ...COMMAND.MakeNotReady, agentId: 'someone-else' });
    expect(e.code).toBe('AGENT_COMMAND_INVALID');
  });
});
