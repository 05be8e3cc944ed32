// Scale-out on one real PostgreSQL database: two routing managers (each with its own store and connection pool, its
// own switch connection and its own timer service) race on the same queue. Both receive every switch fact, as two
// ESL connections would. Afterwards the log shows no agent booked twice and no call handled twice, and no agent leg
// was dialled twice across both switch ports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { createTestDatabase, type TestDatabase } from '../../../infra/test-support/services.ts';
import { RealClock } from '../../clock.ts';
import { FakeSwitchPort, type RecordedSwitchCommand } from '../../test-support/fake-switch-port.ts';
import { agentReady, callerLegOf, callState, createQueue, fact, queueCall } from '../../test-support/engine-fixture.ts';
import { checkRoutingInvariants } from '../../test-support/log-invariants.ts';
import { until } from '../../test-support/wait.ts';
import { TimerService } from '../../timers/timer-service.ts';
import { RoutingManager } from './routing-manager.ts';

const AGENTS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
const CALLS = 40;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The call's and agent's events a violation names, in log order (printed when the test fails, to diagnose). */
async function historyOf(store: EventStore, violation: string): Promise<string> {
  const streams = new Set([...violation.matchAll(/\b(c\d+|a\d+)\b/g)].map((m) => (m[1]!.startsWith('c') ? `call-${m[1]}` : `agent-${m[1]}`)));
  const lines: string[] = [];
  for await (const e of store.readAll()) {
    if (!streams.has(e.streamId)) continue;
    const d = e.data as Record<string, unknown>;
    lines.push(`${e.position.commit}/${e.position.prepare} ${e.streamId}@${e.revision} ${e.type} ${String(d.offerId ?? '').slice(0, 8)} ${String(e.metadata.actor)} ${String(e.metadata.causationId ?? '')}`);
  }
  return lines.join('\n');
}

describe('two routing managers on one PostgreSQL database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('engine_scale_out');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('never book one agent twice nor handle one call twice, and dial every agent leg once', async () => {
    const writer = await openEventStore(db.url);
    const stores: EventStore[] = [await openEventStore(db.url), await openEventStore(db.url)];
    const ports = [new FakeSwitchPort(), new FakeSwitchPort()];
    const clock = new RealClock();
    const random = mulberry32(42);
    const errors: string[] = [];
    const broadcast = (f: Parameters<FakeSwitchPort['emit']>[0]) => {
      for (const p of ports) p.emit(f);
    };
    // The "switch": each dialled agent leg answers (70 %) or is not answered (30 %) after a short while; once the
    // engine bridges the caller to the agent, they talk briefly and the caller hangs up. Facts go to both managers.
    const callOfLeg = new Map<string, string>();
    const script = (c: RecordedSwitchCommand) => {
      if (c.name === 'bridge') {
        const callId = callOfLeg.get(String(c.request.bLegUuid))!;
        setTimeout(() => broadcast(fact('leg_hangup', clock.now(), { legUuid: callerLegOf(callId), callId, role: 'caller' }, { cause: 'NORMAL_CLEARING' })), 50 + random() * 100);
        return;
      }
      if (c.name !== 'originate') return;
      const r = c.request as unknown as { legUuid: string; callId: string; offerId: string };
      callOfLeg.set(r.legUuid, r.callId);
      const leg = { legUuid: r.legUuid, callId: r.callId, offerId: r.offerId, role: 'agent' as const };
      const answers = random() < 0.7;
      setTimeout(() => broadcast(answers ? fact('leg_answered', clock.now(), leg, {}) : fact('leg_hangup', clock.now(), leg, { cause: 'NO_ANSWER' })), 5 + random() * 30);
    };
    for (const p of ports) p.onCommand = script;

    const t0 = clock.now();
    await createQueue(writer, 'sales', t0, { wrapUp: { seconds: 0 }, noAnswer: { maxNoAnswer: 100, ringTimeoutSeconds: 20, rejectDelaySeconds: 0, busyDelaySeconds: 0, noAnswerDelaySeconds: 0 } }, AGENTS);
    for (const a of AGENTS) await agentReady(writer, a, t0);

    const managers = stores.map((store, i) => new RoutingManager({ store, switchPort: ports[i]!, clock, instanceId: `m${i}`, onError: (e, what) => errors.push(`${what}: ${String(e)}`) }));
    const timers = stores.map((store) => new TimerService({ store, clock }));
    try {
      for (const t of timers) t.start();
      await Promise.all(managers.map((m) => m.start()));
      for (let i = 1; i <= CALLS; i++) await queueCall(writer, `c${i}`, 'sales', clock.now());
      await until(async () => {
        for (let i = 1; i <= CALLS; i++) if ((await callState(writer, `c${i}`)).status !== 'ended') return false;
        return true;
      }, 'every call answered and ended', 90_000);

      const { violations, connects } = await checkRoutingInvariants(writer);
      if (violations.length > 0) console.log(violations.join('\n'), '\n', await historyOf(writer, violations[0]!));
      expect(violations).toEqual([]);
      // Callers hang up only after the bridge: each call was answered by an agent, and (unless the hang-up beat the
      // ConnectCall append, which the domain records as an abandon after the answer) connected.
      for (let i = 1; i <= CALLS; i++) {
        const types: string[] = [];
        for await (const e of writer.readStream(`call-c${i}`)) types.push(e.type);
        expect(types, `c${i}`).toContain('AgentLegAnswered');
      }
      expect(connects).toBeGreaterThan(CALLS / 2);
      const originations = new Map<string, number>();
      for (const p of ports) for (const [leg, n] of p.originations) originations.set(leg, (originations.get(leg) ?? 0) + n);
      for (const [leg, n] of originations) expect(n, `originations of ${leg}`).toBe(1);
      // Both instances did real work (not one idle while the other routed everything).
      expect(managers[0]!.stats.offers + managers[1]!.stats.offers).toBeGreaterThanOrEqual(CALLS);
      expect(errors).toEqual([]);
    } finally {
      for (const m of managers) await m.stop();
      for (const t of timers) await t.stop();
      for (const p of ports) p.close();
      for (const s of stores) await s.close();
      await writer.close();
    }
  }, 180_000);
});
