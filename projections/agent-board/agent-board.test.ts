import { describe, expect, it } from 'vitest';
import { recorded } from '../queue-stats/recorded-event.ts';
import { agentBoard, agentBoardWrites } from './agent-board.ts';

const T = Date.UTC(2026, 10, 22, 10, 0, 0);
const agent = { tenant: 'acme', agent_id: 'a1' };
const ref = { agentId: 'a1', offerId: 'o1', callId: 'c1' };

describe('agent_board handler', () => {
  it('Given AgentLoggedIn, Then the agent is not ready (login) since then', () => {
    expect(agentBoardWrites(recorded('agent-acme.a1', 'AgentLoggedIn', { agentId: 'a1', at: T, skills: [], capacity: { voice: 1 } }))).toEqual([
      { op: 'upsert', table: 'agents', row: { ...agent, state: 'not_ready', reason_code: 'login', call_id: null, since: T } },
    ]);
  });

  it('Given AgentNotReady with a reason, Then the reason is shown', () => {
    expect(agentBoardWrites(recorded('agent-acme.a1', 'AgentNotReady', { agentId: 'a1', at: T, reasonCode: 'lunch' }))).toEqual([
      { op: 'upsert', table: 'agents', row: { ...agent, state: 'not_ready', reason_code: 'lunch', call_id: null, since: T } },
    ]);
  });

  it('Given AgentTalking, Then the agent talks on that call; holding does not move `since`', () => {
    expect(agentBoardWrites(recorded('agent-acme.a1', 'AgentTalking', { ...ref, at: T }))).toEqual([
      { op: 'upsert', table: 'agents', row: { ...agent, state: 'talking', reason_code: null, call_id: 'c1', since: T } },
    ]);
    expect(agentBoardWrites(recorded('agent-acme.a1', 'AgentCallHeld', { ...ref, at: T + 5 }))).toEqual([]);
  });

  it('Given wrap-up started then ended, Then the call is handled with talk, hold and wrap-up, and the agent is ready', () => {
    const started = agentBoardWrites(recorded('agent-acme.a1', 'AgentWrapUpStarted', { ...ref, at: T, deadline: T + 30_000, talkMs: 75_000, holdMs: 30_000 }));
    expect(started).toEqual([
      { op: 'upsert', table: 'agents', row: { ...agent, state: 'wrap_up', reason_code: null, call_id: 'c1', since: T } },
      { op: 'delete', table: 'handled', where: { tenant: 'acme', day: '2026-11-20' } },
      {
        op: 'upsert',
        table: 'handled',
        row: { ...agent, offer_id: 'o1', call_id: 'c1', day: '2026-11-22', talk_ms: 75_000, hold_ms: 30_000, wrap_ms: 0, ended_at: null },
        merge: { day: 'keep', talk_ms: 'add', hold_ms: 'add', wrap_ms: 'add', ended_at: 'max' },
      },
    ]);
    const ended = agentBoardWrites(recorded('agent-acme.a1', 'AgentWrapUpEnded', { ...ref, at: T + 30_000, reason: 'agent', wrapUpMs: 30_000 }));
    expect(ended[0]).toEqual({ op: 'upsert', table: 'agents', row: { ...agent, state: 'ready', reason_code: null, call_id: null, since: T + 30_000 } });
    expect(ended[2]).toMatchObject({ row: { talk_ms: 0, hold_ms: 0, wrap_ms: 30_000, ended_at: T + 30_000 } });
  });

  it('Given a supervisor forcing not ready without a reason, Then the reason is `forced`', () => {
    expect(agentBoardWrites(recorded('agent-acme.a1', 'AgentStateForced', { agentId: 'a1', at: T, from: 'ready', to: 'not_ready' }))[0]).toMatchObject({ row: { state: 'not_ready', reason_code: 'forced' } });
  });

  it('ignores events without a tenant, and writes only declared columns', () => {
    expect(agentBoardWrites(recorded('agent-a1', 'AgentReady', { agentId: 'a1', at: T }, { tenant: null }))).toEqual([]);
    for (const w of agentBoardWrites(recorded('agent-acme.a1', 'AgentWrapUpStarted', { ...ref, at: T, deadline: T, talkMs: 1, holdMs: 0 }))) {
      const cells = w.op === 'upsert' ? w.row : w.op === 'update' ? w.set : w.where;
      for (const c of Object.keys(cells)) expect(agentBoard.tables[w.table]!.columns).toHaveProperty(c);
    }
  });
});
