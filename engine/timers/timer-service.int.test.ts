// Durable timers on a real (embedded) store with a virtual clock: Given scheduled timers, When time passes (and the
// service is killed and restarted on the way), Then every due timer's command took effect exactly once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { agentStream } from '../../domain/agent/agent-decider.ts';
import { agentDecider } from '../../domain/agent/agent-decider.ts';
import { parseAgentCommand } from '../../domain/agent/agent-commands.ts';
import { tenantStream } from '../../domain/shared/tenant-stream.ts';
import { VirtualClock } from '../clock.ts';
import { handleCommand } from '../command-handling/handle-command.ts';
import { readAllOf, until } from '../test-support/wait.ts';
import { cancelTimer, scheduleTimer, TimerService } from './timer-service.ts';
import { timerStream } from './timer-events.ts';

const T0 = 1_700_000_000_000;
const AGENTS = ['a0', 'a1', 'a2'];

function notReadyTimer(i: number) {
  const agentId = AGENTS[i % AGENTS.length]!;
  const dueAt = T0 + i * 1000;
  return {
    timerId: `t-${i}`,
    dueAt,
    purpose: 'test',
    dispatch: { category: 'agent' as const, command: { type: 'MakeNotReady', commandId: `timer-cmd-${i}`, at: dueAt, agentId, reasonCode: `r${i}` } },
  };
}

describe('TimerService', () => {
  let store: EventStore;
  let clock: VirtualClock;
  const services: TimerService[] = [];
  beforeEach(async () => {
    store = await openEventStore('pglite:memory');
    clock = new VirtualClock(T0);
    for (const agentId of AGENTS) {
      await handleCommand(store, agentDecider, agentStream(agentId), parseAgentCommand({ type: 'LogIn', commandId: `login-${agentId}`, at: T0, agentId, skills: [], capacity: { voice: 1 } }));
    }
  });
  afterEach(async () => {
    for (const s of services.splice(0)) await s.stop();
    await store.close();
  });

  function startService(extra: Partial<ConstructorParameters<typeof TimerService>[0]> = {}): TimerService {
    const s = new TimerService({ store, clock, ...extra });
    services.push(s);
    s.start();
    return s;
  }

  async function advance(s: TimerService, to: number): Promise<void> {
    await clock.advanceTo(to);
    await s.idle();
    await s.idle();
  }

  it('fires every due timer exactly once in effect across a kill between dispatch and TimerFired and a restart', async () => {
    for (let i = 1; i <= 30; i++) await scheduleTimer(store, notReadyTimer(i), T0);
    // Scheduling again (a retried reaction) writes nothing: same event id.
    await scheduleTimer(store, notReadyTimer(3), T0);
    expect(await readAllOf(store, timerStream('t-3'))).toHaveLength(1);

    const a: TimerService = startService({
      afterDispatch: (timerId) => {
        // The "crash": the command is in the log, TimerFired is not.
        if (timerId === 't-12') void a.stop();
      },
    });
    await until(() => a.pendingCount === 30, 'service A to catch up');
    await advance(a, T0 + 10_500);
    expect(a.fired).toBe(10);
    await advance(a, T0 + 15_500);
    await a.stop();

    const b = startService();
    await until(() => b.pendingCount === 19, 'service B to catch up (t-12 still pending)');
    await advance(b, T0 + 31_000);
    await until(() => b.pendingCount === 0, 'every timer settled');

    const fired = new Map<string, { outcome: string }>();
    for (let i = 1; i <= 30; i++) {
      const events = await readAllOf(store, timerStream(`t-${i}`));
      expect(events.map((e) => e.type)).toEqual(['TimerScheduled', 'TimerFired']);
      fired.set(`t-${i}`, events[1]!.data as { outcome: string });
    }
    expect(fired.get('t-12')!.outcome).toBe('duplicate');
    expect(fired.get('t-5')!.outcome).toBe('applied');

    const commandIds: string[] = [];
    for (const agentId of AGENTS) for (const e of await readAllOf(store, agentStream(agentId))) commandIds.push(e.metadata.commandId as string);
    const timerCommands = commandIds.filter((c) => c.startsWith('timer-cmd-'));
    expect(timerCommands).toHaveLength(30);
    expect(new Set(timerCommands).size).toBe(30);
  });

  it('does not fire a cancelled timer, and records a refusal as the timer outcome', async () => {
    await scheduleTimer(store, notReadyTimer(1), T0);
    await scheduleTimer(store, notReadyTimer(2), T0);
    // A command the agent decider refuses: EndWrapUp for an agent that is not in wrap-up.
    await scheduleTimer(store, { timerId: 't-refused', dueAt: T0 + 3000, purpose: 'test', dispatch: { category: 'agent', command: { type: 'EndWrapUp', commandId: 'c-refused', at: T0 + 3000, agentId: 'a0', offerId: 'o1', reason: 'timeout' } } }, T0);
    expect(await cancelTimer(store, 't-2', T0, 'no longer needed')).toBe(true);
    expect(await cancelTimer(store, 't-2', T0, 'again')).toBe(true); // idempotent: same event id
    const s = startService();
    await until(() => s.pendingCount === 2, 'catch-up');
    await advance(s, T0 + 5000);
    await until(() => s.pendingCount === 0, 'settled');
    expect((await readAllOf(store, timerStream('t-2'))).map((e) => e.type)).toEqual(['TimerScheduled', 'TimerCancelled']);
    expect(await cancelTimer(store, 't-1', T0 + 5000, 'too late')).toBe(false);
    const refused = await readAllOf(store, timerStream('t-refused'));
    expect(refused[1]!.data).toMatchObject({ outcome: 'refused', code: 'AGENT_NOT_IN_WRAP_UP' });
    const a1 = await readAllOf(store, agentStream('a1'));
    expect(a1.some((e) => e.metadata.commandId === 'timer-cmd-2')).toBe(false);
    expect(a1.some((e) => e.metadata.commandId === 'timer-cmd-1')).toBe(true);
  });

  it("dispatches a tenant's timer to the tenant's stream with metadata.tenant, never to the same id of the default tenant", async () => {
    await handleCommand(store, agentDecider, tenantStream('agent', 'acme', 'a1'), parseAgentCommand({ type: 'LogIn', commandId: 'login-acme-a1', at: T0, agentId: 'a1', skills: [], capacity: { voice: 1 } }), { tenant: 'acme' });
    const timer = notReadyTimer(1);
    await scheduleTimer(store, { ...timer, timerId: 't-acme', dispatch: { ...timer.dispatch, tenant: 'acme', command: { ...timer.dispatch.command, commandId: 'acme-cmd' } } }, T0);
    const s = startService();
    await until(() => s.pendingCount === 1, 'catch-up');
    await advance(s, T0 + 5000);
    await until(() => s.pendingCount === 0, 'settled');
    expect((await readAllOf(store, timerStream('t-acme')))[1]!.data).toMatchObject({ outcome: 'applied' });
    const acme = await readAllOf(store, tenantStream('agent', 'acme', 'a1'));
    expect(acme.at(-1)).toMatchObject({ type: 'AgentNotReady', metadata: { commandId: 'acme-cmd', tenant: 'acme' } });
    expect((await readAllOf(store, agentStream('a1'))).some((e) => e.metadata.commandId === 'acme-cmd')).toBe(false);
  });
});
