// handleCommand over a real (embedded) event store: Given a stream, When a command runs, Then these events exist.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../adapters/event-store/open-event-store.ts';
import type { EventStore, RecordedEvent } from '../../adapters/event-store/port.ts';
import { parseAgentCommand, type AgentCommand } from '../../domain/agent/agent-commands.ts';
import { agentDecider, agentStream } from '../../domain/agent/agent-decider.ts';
import { isLedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { eventIdFor } from '../../domain/ids/deterministic-id.ts';
import { handleCommand, loadAggregate } from './handle-command.ts';

const logIn = (commandId: string, at = 1_000): AgentCommand =>
  parseAgentCommand({ type: 'LogIn', commandId, at, actor: 'agent:a1', agentId: 'a1', skills: [{ skill: 'en', proficiency: 4 }], capacity: { voice: 1 } });
const ready = (commandId: string, at = 2_000): AgentCommand => parseAgentCommand({ type: 'MakeReady', commandId, at, actor: 'agent:a1', agentId: 'a1' });

async function all(store: EventStore, stream: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of store.readStream(stream)) out.push(e);
  return out;
}

describe('handleCommand', () => {
  let store: EventStore;
  beforeEach(async () => {
    store = await openEventStore('pglite:memory');
  });
  afterEach(async () => store.close());

  it('appends the decided events with ids derived from the command and metadata carrying actor and tenant', async () => {
    const out = await handleCommand(store, agentDecider, agentStream('a1'), logIn('c1'), { tenant: 't1', correlationId: 'corr-1' });
    expect(out.duplicate).toBe(false);
    expect(out.events.map((e) => e.type)).toEqual(['AgentLoggedIn']);
    const stored = await all(store, 'agent-a1');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).toBe(eventIdFor('c1', 0));
    expect(stored[0]!.metadata).toMatchObject({ actor: 'agent:a1', tenant: 't1', correlationId: 'corr-1', commandId: 'c1', schemaVersion: 1 });
    expect(out.state.state).toBe('not_ready');
  });

  it('recognises a retried command and writes nothing the second time', async () => {
    await handleCommand(store, agentDecider, agentStream('a1'), logIn('c1'));
    const again = await handleCommand(store, agentDecider, agentStream('a1'), logIn('c1'));
    expect(again.duplicate).toBe(true);
    expect(again.events).toEqual([]);
    expect(await all(store, 'agent-a1')).toHaveLength(1);
  });

  it('rejects a command that does not apply with the decider\'s coded error and writes nothing', async () => {
    await expect(handleCommand(store, agentDecider, agentStream('a1'), ready('c0'))).rejects.toSatisfy((e) => isLedgerlineError(e, 'AGENT_NOT_LOGGED_IN'));
    await expect(store.headPosition()).resolves.toBeUndefined();
  });

  it('decides again on fresh state when another writer appended first (expected revision conflict)', async () => {
    await handleCommand(store, agentDecider, agentStream('a1'), logIn('c1'));
    // Two commands race on the same stream; both were decided on revision 0, one must be re-decided.
    const [r1, r2] = await Promise.all([
      handleCommand(store, agentDecider, agentStream('a1'), ready('c2', 2_000)),
      handleCommand(store, agentDecider, agentStream('a1'), parseAgentCommand({ type: 'MakeNotReady', commandId: 'c3', at: 2_001, agentId: 'a1', reasonCode: 'lunch' })),
    ]);
    const stored = await all(store, 'agent-a1');
    expect(stored.map((e) => e.revision)).toEqual([0n, 1n, 2n].slice(0, stored.length));
    expect(r1.events.length + r2.events.length).toBe(stored.length - 1);
    const { state } = await loadAggregate(store, agentDecider, agentStream('a1'));
    expect(['ready', 'not_ready']).toContain(state.state);
  });
});
