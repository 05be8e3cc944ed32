import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { AGENT_STATES } from '../shared/contact-center.ts';
import type { AgentCommand } from './agent-commands.ts';
import { agentDecider } from './agent-decider.ts';
import { agentEvents, type AgentEvent } from './agent-events.ts';
import { POLICY } from './agent-fixtures.ts';
import type { OfferPolicy } from './agent-schemas.ts';
import type { AgentDeciderState } from './agent-state.ts';

const OFFERS = ['o1', 'o2', 'o3'];
const CALL_STATES = new Set(['offered', 'ringing', 'talking', 'wrap_up']);
const byType = new Map(agentEvents.map((d) => [d.type as string, d]));

/** A command without envelope: the run adds commandId, a non-decreasing `at` and the agent id. */
function commandArb(policy: OfferPolicy): fc.Arbitrary<Record<string, unknown>> {
  // Mostly the offer in hand, sometimes a stale one; the happy path and misses weigh more so runs get deep.
  const offerId = fc.oneof({ arbitrary: fc.constant(OFFERS[0]!), weight: 6 }, { arbitrary: fc.constantFrom(...OFFERS.slice(1)), weight: 1 });
  const w = (weight: number, arbitrary: fc.Arbitrary<Record<string, unknown>>) => ({ weight, arbitrary });
  return fc.oneof(
    w(2, fc.record({ type: fc.constant('LogIn'), skills: fc.constant([{ skill: 's', proficiency: 3 }]), capacity: fc.constant({ voice: 1 }), ready: fc.boolean() })),
    w(3, fc.record({ type: fc.constant('MakeReady') })),
    w(1, fc.record({ type: fc.constant('MakeNotReady'), reasonCode: fc.constantFrom('break', 'lunch') })),
    w(6, fc.record({ type: fc.constant('OfferCall'), offerId, callId: fc.constantFrom('c1', 'c2'), queueId: fc.constant('q'), policy: fc.constant(policy) })),
    w(3, fc.record({ type: fc.constant('RecordTalking'), offerId })),
    w(3, fc.record({ type: fc.constant('StartWrapUp'), offerId })),
    w(3, fc.record({ type: fc.constantFrom('RecordRinging', 'HoldCall', 'RetrieveCall'), offerId })),
    w(1, fc.record({ type: fc.constant('ExtendWrapUp'), offerId, bySeconds: fc.integer({ min: 1, max: 60 }) })),
    w(2, fc.record({ type: fc.constant('EndWrapUp'), offerId, reason: fc.constantFrom('agent', 'timeout') })),
    w(5, fc.record({ type: fc.constant('RecordOfferMissed'), offerId, reason: fc.constantFrom('no_answer', 'rejected', 'busy') })),
    w(1, fc.record({ type: fc.constant('CancelOffer'), offerId, reason: fc.constantFrom('caller_abandoned', 'answered_elsewhere', 'rescinded') })),
    w(1, fc.record({ type: fc.constant('LogOut') })),
    w(1, fc.record({ type: fc.constant('ChangeSkills'), skills: fc.constantFrom([], [{ skill: 'x', proficiency: 2 }]) })),
    w(1, fc.record({ type: fc.constant('ForceState'), to: fc.constantFrom('ready', 'not_ready', 'logged_out') })),
  );
}

const LOG_IN_READY = { type: 'LogIn', skills: [{ skill: 's', proficiency: 3 }], capacity: { voice: 1 }, ready: true };

const runArb = fc.integer({ min: 1, max: 4 }).chain((maxNoAnswer) => {
  const policy = { ...POLICY, maxNoAnswer, wrapUpSeconds: 5 };
  return fc.record({
    maxNoAnswer: fc.constant(maxNoAnswer),
    // Runs start logged in and ready (the logged-out rows are the matrix's job) so short runs still get deep.
    steps: fc
      .array(fc.tuple(commandArb(policy), fc.integer({ min: 0, max: 20_000 })), { minLength: 10, maxLength: 80 })
      .map((steps) => [[LOG_IN_READY, 0] as const, ...steps]),
  });
});

interface Trace {
  readonly events: AgentEvent[];
  readonly states: AgentDeciderState[];
}

/** Plays the steps, keeping the accepted commands' events and the state after each command. */
function play(steps: readonly (readonly [Record<string, unknown>, number])[]): Trace {
  let state = agentDecider.initialState;
  let at = 0;
  const events: AgentEvent[] = [];
  const states: AgentDeciderState[] = [state];
  steps.forEach(([body, dt], i) => {
    at += dt;
    const command = { ...body, commandId: `c${i}`, at, agentId: 'a' } as AgentCommand;
    try {
      const out = agentDecider.decide(command, state);
      for (const e of out) state = agentDecider.evolve(state, e);
      events.push(...out);
      states.push(state);
    } catch (e) {
      if (!isLedgerlineError(e)) throw e;
    }
  });
  return { events, states };
}

describe('agent properties', () => {
  it('the generator reaches deep states (offers, talk, wrap-up, break_out), so the properties below can fail', () => {
    const runs = fc.sample(runArb, { numRuns: 200, seed: 7 }).map((r) => play(r.steps).events.map((e) => e.type));
    const share = (type: string) => runs.filter((types) => types.includes(type as AgentEvent['type'])).length / runs.length;
    expect(share('AgentOffered')).toBeGreaterThan(0.5);
    expect(share('AgentWrapUpStarted')).toBeGreaterThan(0.1);
    expect(share('AgentBrokeOut')).toBeGreaterThan(0.1);
  });

  it('no sequence of accepted commands ever leaves an agent holding two calls', () => {
    fc.assert(
      fc.property(runArb, ({ steps }) => {
        // An independent model of open offers, from the events alone.
        let open = 0;
        for (const e of play(steps).events) {
          if (e.type === 'AgentOffered') open++;
          if (['AgentOfferMissed', 'AgentOfferCancelled', 'AgentWrapUpEnded'].includes(e.type)) open--;
          if (e.type === 'AgentLoggedOut' || e.type === 'AgentStateForced') open = 0;
          expect(open).toBeGreaterThanOrEqual(0);
          expect(open).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the folded state is always one of AGENT_STATES, and holds a call exactly in the call states', () => {
    fc.assert(
      fc.property(runArb, ({ steps }) => {
        for (const s of play(steps).states) {
          expect(AGENT_STATES).toContain(s.state);
          expect(s.call !== null).toBe(CALL_STATES.has(s.state));
          expect(s.pending === null || s.state === 'talking' || s.state === 'wrap_up').toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('break_out happens exactly when consecutive misses reach maxNoAnswer', () => {
    fc.assert(
      fc.property(runArb, ({ maxNoAnswer, steps }) => {
        const { events } = play(steps);
        events.forEach((e, i) => {
          if (e.type === 'AgentOfferMissed') {
            expect(e.data.consecutiveMisses).toBeLessThanOrEqual(maxNoAnswer);
            expect(events[i + 1]?.type === 'AgentBrokeOut').toBe(e.data.consecutiveMisses === maxNoAnswer);
          }
          if (e.type === 'AgentBrokeOut') expect(events[i - 1]?.type).toBe('AgentOfferMissed');
        });
      }),
      { numRuns: 300 },
    );
  });

  it('every event the decider emits validates against its definition, and counters stay consistent', () => {
    fc.assert(
      fc.property(runArb, ({ steps }) => {
        const { events, states } = play(steps);
        for (const e of events) byType.get(e.type)!.schema.parse(e.data);
        for (const s of states) {
          const t = s.totals;
          expect(t.handled).toBeLessThanOrEqual(t.answered);
          expect(t.answered + t.missed).toBeLessThanOrEqual(t.offers);
          for (const v of [t.talkMs, t.holdMs, t.wrapUpMs]) expect(v).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('an offer is accepted only from ready, past the miss delay', () => {
    fc.assert(
      fc.property(runArb, ({ steps }) => {
        const { events, states } = play(steps);
        // States are recorded per accepted command; rebuild per event to see the state before each offer.
        let s = agentDecider.initialState;
        for (const e of events) {
          if (e.type === 'AgentOffered') {
            expect(s.state).toBe('ready');
            expect(s.unavailableUntil === null || e.data.at >= s.unavailableUntil).toBe(true);
          }
          s = agentDecider.evolve(s, e);
        }
        expect(s).toEqual(states.at(-1));
      }),
      { numRuns: 200 },
    );
  });
});
