import { describe, expect, it } from 'vitest';
import type { DashboardSnapshot } from '../../projections/dashboard/dashboard-query.ts';
import { scopeSnapshot } from './dashboard-scope.ts';

const agent = (agentId: string) => ({ tenant: 'acme', agentId, state: 'available', since: 1, reasonCode: null, callId: null, callsHandled: 0, ahtSeconds: null, occupancy: null });
const call = (callId: string, agentId: string | null) => ({ tenant: 'acme', callId, state: 'connected', queueId: 'q1', agentId, ivrPath: [], arrivedAt: 1, queuedAt: 1, holdMs: 0, onHold: false });
const snapshot = {
  tenant: 'acme',
  at: 1,
  position: 'p',
  queues: [{ queueId: 'q1' }],
  agents: [agent('a1'), agent('a2')],
  calls: [call('c1', 'a1'), call('c2', 'a2'), call('c3', null)],
  serviceLevelToday: [{ at: 1, queueId: 'q1', serviceLevel: 1, abandonmentRate: 0 }],
} as unknown as DashboardSnapshot;

describe('scopeSnapshot', () => {
  it('gives supervisors, auditors, integrators and admins the whole tenant', () => {
    for (const role of ['admin', 'supervisor', 'auditor', 'integrator'] as const) expect(scopeSnapshot({ role, agentId: null }, snapshot)).toBe(snapshot);
  });

  it('gives an agent key only its own agent and calls, and no queues', () => {
    const s = scopeSnapshot({ role: 'agent', agentId: 'a1' }, snapshot);
    expect([s.queues, s.serviceLevelToday, s.agents.map((a) => a.agentId), s.calls.map((c) => c.callId)]).toEqual([[], [], ['a1'], ['c1']]);
  });

  it('gives an agent key bound to no agent nothing', () => {
    const s = scopeSnapshot({ role: 'agent', agentId: null }, snapshot);
    expect([s.agents, s.calls]).toEqual([[], []]);
  });
});
