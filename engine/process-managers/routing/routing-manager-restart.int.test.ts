// Restart: a manager is stopped mid-stream (offers out, legs ringing, one answered while nobody listened, one agent
// offer left half-done by a "crashed" manager); a new manager starts from the log and everything completes with no
// agent leg dialled twice (the fake switch port counts originates per origination uuid).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { VirtualClock } from '../../clock.ts';
import { FakeSwitchPort } from '../../test-support/fake-switch-port.ts';
import { agentDoes, agentReady, agentState, callerLegOf, callState, createQueue, fact, queueCall } from '../../test-support/engine-fixture.ts';
import { until } from '../../test-support/wait.ts';
import { TimerService } from '../../timers/timer-service.ts';
import { agentLegUuidFor } from './routing-ids.ts';
import { RoutingManager } from './routing-manager.ts';
import { offerPolicyOf } from '../../../domain/queue/queue-offer-policy.ts';
import { queueDecider, queueStream } from '../../../domain/queue/queue-decider.ts';
import { loadAggregate } from '../../command-handling/handle-command.ts';

const T0 = 1_700_000_000_000;

describe('RoutingManager restart', () => {
  let store: EventStore;
  let clock: VirtualClock;
  let port: FakeSwitchPort;
  const running: { stop(): Promise<void> }[] = [];

  beforeEach(async () => {
    store = await openEventStore('pglite:memory');
    clock = new VirtualClock(T0);
    port = new FakeSwitchPort();
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop();
    port.close();
    await store.close();
  });

  async function start(name: string): Promise<{ manager: RoutingManager; timers: TimerService }> {
    const manager = new RoutingManager({ store, switchPort: port, clock, instanceId: name, danglingOfferGraceMs: 5000 });
    const timers = new TimerService({ store, clock });
    timers.start();
    await manager.start();
    running.push(manager, timers);
    return { manager, timers };
  }

  const legs = () => port.named('originate').map((c) => c.request as unknown as { legUuid: string; callId: string; offerId: string });

  it('a new manager resumes from the log: connects the leg answered while it was down, cancels a half-done offer, dials nobody twice', async () => {
    const agents = ['a1', 'a2', 'a3', 'a4'];
    await createQueue(store, 'sales', T0, { wrapUp: { seconds: 5 } }, [...agents, 'a5']);
    for (const [i, a] of agents.entries()) await agentReady(store, a, T0 + i);
    const first = await start('first');
    for (let i = 1; i <= 4; i++) await queueCall(store, `c${i}`, 'sales', T0 + 1000 + i);
    await until(() => legs().length === 4, 'four offers');
    await first.manager.idle();
    const byCall = new Map(legs().map((l) => [l.callId, l]));
    for (const c of ['c1', 'c2']) {
      const l = byCall.get(c)!;
      port.emit(fact('leg_answered', clock.now(), { legUuid: l.legUuid, callId: c, offerId: l.offerId, role: 'agent' }, {}));
    }
    await until(async () => (await callState(store, 'c2')).status === 'connected' && (await callState(store, 'c1')).status === 'connected', 'two connected');
    await first.manager.stop();
    await first.timers.stop();

    // While no manager runs: c3's agent answers (the fact is lost), two more callers queue, and a5 holds an offer for
    // c5 that a crashed manager appended on the agent stream only.
    port.statuses.set(byCall.get('c3')!.legUuid, 'answered');
    await queueCall(store, 'c5', 'sales', T0 + 2000);
    await queueCall(store, 'c6', 'sales', T0 + 2001);
    await agentReady(store, 'a5', T0 + 2002);
    const config = (await loadAggregate(store, queueDecider, queueStream('sales'))).state.config!;
    await agentDoes(store, { type: 'OfferCall', commandId: 'crashed-offer', at: T0 + 2003, agentId: 'a5', offerId: 'dangling', callId: 'c5', queueId: 'sales', policy: offerPolicyOf(config) });
    await clock.advanceBy(10_000);

    const second = await start('second');
    await until(async () => (await callState(store, 'c3')).status === 'connected', 'c3 connected on resume');
    await until(async () => (await agentState(store, 'a5')).call?.offerId !== 'dangling', 'dangling offer cancelled');
    // a5 is free again and takes one of the new callers.
    await until(() => legs().some((l) => l.callId === 'c5') && legs().some((l) => l.callId === 'c6') === false, 'c5 offered to a5');
    expect(port.named('bridge').filter((b) => b.request.bLegUuid === byCall.get('c3')!.legUuid)).toHaveLength(1);

    // The callers of c1..c3 hang up; wrap-up timers (scheduled by the first manager for none of them yet) free the agents.
    for (const c of ['c1', 'c2', 'c3']) port.emit(fact('leg_hangup', clock.now(), { legUuid: callerLegOf(c), callId: c, role: 'caller' }, { cause: 'NORMAL_CLEARING' }));
    await until(async () => (await callState(store, 'c3')).status === 'ended', 'c1..c3 ended');
    await second.manager.idle();
    await new Promise((r) => setTimeout(r, 100));
    await second.manager.idle();
    await clock.advanceBy(6000);
    await until(() => legs().some((l) => l.callId === 'c6'), 'c6 offered after a wrap-up ended');

    for (const [legUuid, n] of port.originations) expect(n, `originations of ${legUuid}`).toBe(1);
    for (const l of legs()) expect(l.legUuid).toBe(agentLegUuidFor(l.offerId));
    expect(new Set(legs().map((l) => l.legUuid)).size).toBe(legs().length);
  });
});
