// Properties over random command sequences: whatever the order, the decider only emits valid events that fold into
// a coherent state, refuses with coded errors only, and folding is deterministic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../decider.ts';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { parseStoredEvent, toStoredEvent } from '../events/registry.ts';
import { CALL_COMMAND_TYPES, type CallCommand, type CallCommandType } from './call-commands.ts';
import { callDecider } from './call-decider.ts';
import type { CallEvent } from './call-events.ts';
import { callTransitions } from './call-state-machine.ts';
import { CALL_STATUSES, type CallState } from './call-state.ts';
import { cmd, sampleCommand } from './call-fixtures.ts';

// Small id pools so that generated commands often match (and sometimes miss) the call's offers, consults, parties.
const agent = fc.constantFrom('a1', 'a2', 'a3');
const offerId = fc.constantFrom('o1', 'o2');
const variants: Partial<Record<CallCommandType, fc.Arbitrary<Record<string, unknown>>>> = {
  OriginateCall: fc.record({ destinationNumber: fc.constant('+1'), callerIdNumber: fc.constant('+2'), switchId: fc.constant('fs'), channelUuid: fc.constant('u'), agentId: fc.option(agent) }),
  IdentifyCaller: fc.record({ customerId: fc.constantFrom('x', 'y'), tier: fc.constantFrom('gold', 'vip'), source: fc.constant('crm') }),
  QueueCall: fc.record({ queueId: fc.constantFrom('q1', 'q2'), priority: fc.integer({ min: 0, max: 999 }) }),
  ChangeCallPriority: fc.record({ priority: fc.constantFrom(10, 50) }),
  ScheduleCallback: fc.record({ callbackId: fc.constant('cb'), notBefore: fc.constantFrom(0, 10 ** 12) }),
  AttemptCallback: fc.record({ attemptId: fc.constantFrom('t1', 't2'), channelUuid: fc.constant('u') }),
  CompleteCallback: fc.record({ attemptId: fc.constantFrom('t1', 't2') }),
  FailCallback: fc.record({ attemptId: fc.constantFrom('t1', 't2'), cause: fc.constant('busy'), retry: fc.boolean() }),
  OfferToAgent: fc.record({ agentId: agent, offerId }),
  RecordAgentLegRinging: fc.record({ offerId, channelUuid: fc.constant('u') }),
  RecordAgentLegAnswered: fc.record({ offerId }),
  RecordAgentLegFailed: fc.record({ offerId, cause: fc.constantFrom('no_answer', 'rejected') }),
  ConnectCall: fc.record({ offerId: fc.option(offerId) }),
  TransferCall: fc.record({
    target: fc.oneof(
      fc.record({ kind: fc.constant('queue'), queueId: fc.constantFrom('q1', 'q2'), priority: fc.constant(1), requiredSkills: fc.constant([]) }),
      fc.record({ kind: fc.constant('agent'), agentId: agent, offerId }),
      fc.record({ kind: fc.constant('external'), number: fc.constant('+9') }),
    ),
  }),
  StartConsult: fc.record({ consultId: fc.constantFrom('k1', 'k2'), target: fc.oneof(fc.record({ kind: fc.constant('agent'), agentId: agent }), fc.constant({ kind: 'external', number: '+8' })) }),
  CompleteConsult: fc.record({ consultId: fc.constantFrom('k1', 'k2'), mode: fc.constantFrom('transfer', 'conference') }),
  CancelConsult: fc.record({ consultId: fc.constantFrom('k1', 'k2') }),
  RecordConsultAnswered: fc.record({ consultId: fc.constantFrom('k1', 'k2') }),
  AddConferenceParty: fc.record({ partyId: fc.constantFrom('p1', 'p2', 'k1'), party: fc.constant({ kind: 'external', number: '+7' }) }),
  RemoveConferenceParty: fc.record({ partyId: fc.constantFrom('p1', 'p2', 'k1') }),
  JoinSupervisor: fc.record({ supervisorId: fc.constantFrom('s1', 's2'), mode: fc.constantFrom('listen', 'barge') }),
  LeaveSupervisor: fc.record({ supervisorId: fc.constantFrom('s1', 's2') }),
  OverflowCall: fc.record({
    reason: fc.constant('max_wait'),
    exit: fc.constantFrom({ kind: 'queue', queueId: 'q2' }, { kind: 'queue', queueId: 'q1' }, { kind: 'voicemail', mailbox: 'm' }, { kind: 'callback' }, { kind: 'hangup' }),
  }),
  EndCall: fc.record({ cause: fc.constant('NORMAL_CLEARING'), hungUpBy: fc.constantFrom('caller', 'agent', 'system', 'remote') }),
  DispositionCall: fc.record({ agentId: agent, wrapUpCode: fc.constant('X') }),
};

// Deep states are improbable from uniform picks (a call ends early), so two thirds of the steps pick a command that
// moves a call forward without ending it.
const forward: CallCommandType[] = [
  'ReceiveCall',
  'StartIvr',
  'CompleteIvr',
  'QueueCall',
  'OfferToAgent',
  'RecordAgentLegRinging',
  'RecordAgentLegAnswered',
  'ConnectCall',
  'HoldCall',
  'ResumeCall',
  'RequestCallback',
  'ScheduleCallback',
  'AttemptCallback',
  'CompleteCallback',
  'StartConsult',
  'CompleteConsult',
  'AddConferenceParty',
  'JoinSupervisor',
  'StartRecording',
  'DispositionCall',
];
const commandArb: fc.Arbitrary<{ type: CallCommandType; fields: Record<string, unknown> | null; dt: number }> = fc
  .record({
    type: fc.oneof({ arbitrary: fc.constantFrom(...CALL_COMMAND_TYPES), weight: 1 }, { arbitrary: fc.constantFrom(...forward), weight: 2 }),
    dt: fc.integer({ min: 0, max: 60_000 }),
  })
  .chain(({ type, dt }) => (variants[type] ?? fc.constant(null)).map((fields) => ({ type, fields, dt })));

// Sequences open with an arrival or an origination (the empty stream is covered by the table test), then run long.
const opening = fc.oneof(
  fc.constant({ type: 'ReceiveCall' as CallCommandType, fields: null, dt: 0 }),
  variants.OriginateCall!.map((fields) => ({ type: 'OriginateCall' as CallCommandType, fields, dt: 0 })),
);
const sequenceArb = (max: number) => fc.tuple(opening, fc.array(commandArb, { minLength: 1, maxLength: max, size: 'max' })).map(([o, rest]) => [o, ...rest]);

function build(step: { type: CallCommandType; fields: Record<string, unknown> | null }, at: number): CallCommand {
  return step.fields === null ? sampleCommand(step.type, at) : cmd(step.type, step.fields, at);
}

const OFFERING = ['offered', 'ringing', 'agent_answered'];
const CALLBACK = ['callback_requested', 'callback_pending', 'callback_dialing'];

const listed = new Set(callTransitions.map((r) => `${r.from} ${r.command} ${r.to}`));

/** Runs a sequence, ignoring refusals; returns every accepted transition as `from command to`. */
function transitionsOf(steps: readonly { type: CallCommandType; fields: Record<string, unknown> | null; dt: number }[]): string[] {
  let state = callDecider.initialState;
  let at = 1_000;
  const seen: string[] = [];
  for (const step of steps) {
    at += step.dt;
    try {
      const c = build(step, at);
      const before = state.status;
      for (const e of callDecider.decide(c, state)) state = callDecider.evolve(state, e);
      seen.push(`${before} ${c.type} ${state.status}`);
    } catch (e) {
      if (!isLedgerlineError(e)) throw e;
    }
  }
  return seen;
}

function checkInvariants(s: CallState): void {
  expect(CALL_STATUSES).toContain(s.status);
  // A callback being dialled holds its agent's offer (agent first); a callback offer keeps its callback.
  expect(s.offer !== null, `offer in ${s.status}`).toBe(OFFERING.includes(s.status) || s.status === 'callback_dialing');
  if (CALLBACK.includes(s.status)) expect(s.callback, `callback in ${s.status}`).not.toBeNull();
  if (s.callback !== null) expect([...CALLBACK, ...OFFERING], `callback in ${s.status}`).toContain(s.status);
  if (s.callback !== null && OFFERING.includes(s.status)) expect(s.queue).not.toBeNull();
  expect(s.segmentStart !== null, `segment in ${s.status}`).toBe(s.status === 'connected');
  if (s.status === 'connected') expect(s.agentId).not.toBeNull();
  if (s.held) expect(s.status).toBe('connected');
  if (s.consult || Object.keys(s.parties).length > 0 || Object.keys(s.supervisors).length > 0) expect(s.status).toBe('connected');
  if (['queued', ...CALLBACK].includes(s.status)) expect(s.queue).not.toBeNull();
  if (s.status === 'connected') expect(s.queue).toBeNull();
  if (['ended', 'dispositioned'].includes(s.status)) expect(s.recording).toBeNull();
  if (s.status === 'dispositioned') expect(s.handledBy).toContain(s.disposition?.agentId);
  expect(s.talkMs).toBeGreaterThanOrEqual(0);
  expect(s.holdMs).toBeGreaterThanOrEqual(0);
  if (s.status !== 'none') expect(s.callId).toBe('c-1');
}

describe('call decider properties', () => {
  it('random command sequences: coded refusals only, non-empty valid events, coherent states', () => {
    fc.assert(
      fc.property(sequenceArb(80), (steps) => {
        let state = callDecider.initialState;
        let at = 1_000;
        const history: CallEvent[] = [];
        for (const step of steps) {
          at += step.dt;
          const c = build(step, at);
          let events: readonly CallEvent[];
          try {
            events = callDecider.decide(c, state);
          } catch (e) {
            if (!isLedgerlineError(e)) throw e;
            expect(e.status).toBeGreaterThanOrEqual(400);
            continue;
          }
          expect(events.length, `${c.type} in ${state.status} returned []`).toBeGreaterThan(0);
          for (const e of events) {
            expect(e.data.callId).toBe('c-1');
            expect(e.data.at).toBe(at);
            const stored = toStoredEvent(e); // validates against the schema
            expect(parseStoredEvent(stored.type, stored.schemaVersion, stored.data)).toEqual(e);
            state = callDecider.evolve(state, e);
            if (e.type === 'CallEnded') expect(e.data.talkMs + e.data.holdMs).toBeLessThanOrEqual(e.data.durationMs);
          }
          history.push(...events);
          checkInvariants(state);
        }
        // fold is deterministic and equals the state built step by step.
        expect(fold(callDecider, history)).toEqual(state);
        expect(fold(callDecider, history)).toEqual(fold(callDecider, [...history]));
      }),
      { numRuns: 400 },
    );
  });

  it('decide is pure: the same command on the same state gives the same events and leaves the state untouched', () => {
    fc.assert(
      fc.property(sequenceArb(30), commandArb, (steps, last) => {
        let state = callDecider.initialState;
        let at = 1_000;
        for (const step of steps) {
          at += step.dt;
          try {
            for (const e of callDecider.decide(build(step, at), state)) state = callDecider.evolve(state, e);
          } catch (e) {
            if (!isLedgerlineError(e)) throw e;
          }
        }
        const c = build(last, at + last.dt);
        const snapshot = JSON.stringify(state);
        const attempt = () => {
          try {
            return callDecider.decide(c, state);
          } catch (e) {
            return isLedgerlineError(e) ? e.code : 'other';
          }
        };
        expect(attempt()).toEqual(attempt());
        expect(JSON.stringify(state)).toBe(snapshot);
      }),
      { numRuns: 200 },
    );
  });

  it('every accepted transition is listed in callTransitions', () => {
    fc.assert(
      fc.property(sequenceArb(80), (steps) => {
        for (const tr of transitionsOf(steps)) expect(listed, tr).toContain(tr);
      }),
      { numRuns: 300 },
    );
  });

});
