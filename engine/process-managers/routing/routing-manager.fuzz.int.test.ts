// Property: whatever the interleaving of callers arriving and hanging up, agents going ready and not ready, offers
// answered, missed or timing out and agents hanging up, the log never shows an agent booked for two calls, a call
// offered twice at once, or a call offered/connected to an agent whose own stream does not hold that offer; and once
// things settle, no caller waits while a member agent is free.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openEventStore } from '../../../adapters/event-store/open-event-store.ts';
import { VirtualClock } from '../../clock.ts';
import { FakeSwitchPort } from '../../test-support/fake-switch-port.ts';
import { agentDoes, agentReady, callerLegOf, createQueue, fact, queueCall } from '../../test-support/engine-fixture.ts';
import { checkRoutingInvariants } from '../../test-support/log-invariants.ts';
import { TimerService } from '../../timers/timer-service.ts';
import { RoutingManager } from './routing-manager.ts';

const T0 = 1_700_000_000_000;
const AGENTS = ['a1', 'a2', 'a3'];

const step = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'call' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ready' as const), agent: fc.constantFrom(...AGENTS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('notReady' as const), agent: fc.constantFrom(...AGENTS) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('answer' as const), pick: fc.nat(10) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('miss' as const), pick: fc.nat(10), cause: fc.constantFrom('NO_ANSWER', 'USER_BUSY', 'CALL_REJECTED', 'USER_NOT_REGISTERED') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('callerHangup' as const), pick: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('agentHangup' as const), pick: fc.nat(10) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 100, max: 15_000 }) }) },
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

const seen = { offers: 0, connects: 0 };

async function runScenario(steps: Step[]): Promise<void> {
  const store = await openEventStore('pglite:memory');
  const clock = new VirtualClock(T0);
  const port = new FakeSwitchPort();
  const manager = new RoutingManager({ store, switchPort: port, clock, instanceId: 'fuzz' });
  const timers = new TimerService({ store, clock });
  try {
    await createQueue(store, 'q', T0, { wrapUp: { seconds: 3 }, noAnswer: { maxNoAnswer: 50, ringTimeoutSeconds: 10, rejectDelaySeconds: 1, busyDelaySeconds: 2, noAnswerDelaySeconds: 2 } }, AGENTS);
    for (const a of AGENTS) await agentReady(store, a, T0);
    timers.start();
    await manager.start();
    const legs = () => port.named('originate').map((c) => c.request as unknown as { legUuid: string; callId: string; offerId: string });
    const answered = new Set<string>();
    const gone = new Set<string>();
    let calls = 0;
    const ignore = () => undefined;
    for (const s of steps) {
      const at = clock.now();
      const open = legs().filter((l) => !gone.has(l.legUuid) && !answered.has(l.legUuid));
      const up = legs().filter((l) => answered.has(l.legUuid) && !gone.has(l.legUuid));
      switch (s.kind) {
        case 'call':
          await queueCall(store, `c${++calls}`, 'q', at);
          break;
        case 'ready':
          await agentDoes(store, { type: 'MakeReady', commandId: `r-${at}-${s.agent}`, at, agentId: s.agent }).catch(ignore);
          break;
        case 'notReady':
          await agentDoes(store, { type: 'MakeNotReady', commandId: `nr-${at}-${s.agent}`, at, agentId: s.agent, reasonCode: 'break' }).catch(ignore);
          break;
        case 'answer': {
          const l = open[s.pick % Math.max(1, open.length)];
          if (l) {
            answered.add(l.legUuid);
            port.emit(fact('leg_answered', at, { legUuid: l.legUuid, callId: l.callId, offerId: l.offerId, role: 'agent' }, {}));
          }
          break;
        }
        case 'miss': {
          const l = open[s.pick % Math.max(1, open.length)];
          if (l) {
            gone.add(l.legUuid);
            port.emit(fact('leg_hangup', at, { legUuid: l.legUuid, callId: l.callId, offerId: l.offerId, role: 'agent' }, { cause: s.cause }));
          }
          break;
        }
        case 'callerHangup': {
          const callId = `c${(s.pick % Math.max(1, calls)) + 1}`;
          if (calls > 0 && !gone.has(callerLegOf(callId))) {
            gone.add(callerLegOf(callId));
            port.emit(fact('leg_hangup', at, { legUuid: callerLegOf(callId), callId, role: 'caller' }, { cause: 'NORMAL_CLEARING' }));
          }
          break;
        }
        case 'agentHangup': {
          const l = up[s.pick % Math.max(1, up.length)];
          if (l) {
            gone.add(l.legUuid);
            port.emit(fact('leg_hangup', at, { legUuid: l.legUuid, callId: l.callId, offerId: l.offerId, role: 'agent' }, { cause: 'NORMAL_CLEARING' }));
          }
          break;
        }
        case 'advance':
          await clock.advanceBy(s.ms);
          break;
      }
      await manager.idle();
    }
    // Settle: let the log reach the manager, timers fire, delays and wrap-ups end.
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 60));
      await manager.idle();
      await timers.idle();
      await clock.advanceBy(20_000);
    }
    await new Promise((r) => setTimeout(r, 100));
    await manager.idle();

    const { violations, offers, connects } = await checkRoutingInvariants(store);
    seen.offers += offers;
    seen.connects += connects;
    expect(violations).toEqual([]);
    // Liveness at rest: nobody waits in the queue while a member agent is ready and past its delay.
    const now = clock.now();
    const waiting = [...manager.model.calls.values()].filter((c) => c.state.status === 'queued');
    const free = [...manager.model.agents.values()].filter((a) => a.state.state === 'ready' && (a.state.unavailableUntil ?? 0) <= now);
    expect(waiting.length === 0 || free.length === 0, `${waiting.length} waiting while ${free.length} agents are free`).toBe(true);
  } finally {
    await manager.stop();
    await timers.stop();
    port.close();
    await store.close();
  }
}

describe('RoutingManager under random interleavings', () => {
  it('never double-books an agent nor offers a call twice at once, and leaves nobody waiting next to a free agent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 30 }), async (steps) => {
        await runScenario(steps);
      }),
      { numRuns: 5, endOnFailure: true },
    );
    // The runs exercised what they check.
    expect(seen.offers).toBeGreaterThan(0);
    expect(seen.connects).toBeGreaterThan(0);
  }, 600_000);
});
