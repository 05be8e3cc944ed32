import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DashboardAgent, DashboardCall, DashboardQueue, DashboardSnapshot } from '../../projections/dashboard/dashboard-query.ts';
import { applyChange, diffSnapshots } from './snapshot-diff.ts';

const metrics = { offered: 0, answered: 0, abandoned: 0, serviceLevel: null, serviceLevelFormula: 'answered-within / offered', serviceLevelThresholdSeconds: 20, asaSeconds: null, ahtSeconds: null, abandonmentRate: null };
function queue(queueId: string, waiting: number): DashboardQueue {
  return {
    tenant: 'acme', queueId, name: queueId.toUpperCase(), waiting, longestWaitMs: waiting * 1000,
    agents: { available: 1, onContact: 0, afterCallWork: 0, notProductive: 0, staffed: 1 },
    rolling15: metrics, today: metrics, waitEstimate: { kind: 'unknown' }, pendingCallbacks: 0, staffing: { recommendedAgents: null, staffedAgents: 1 },
  };
}
function agent(agentId: string, state: string): DashboardAgent {
  return { tenant: 'acme', agentId, state, since: 1, reasonCode: null, callId: null, callsHandled: 0, ahtSeconds: null, occupancy: null };
}
function call(callId: string, state: string): DashboardCall {
  return { tenant: 'acme', callId, state, queueId: 'q1', agentId: null, ivrPath: [], arrivedAt: 1, queuedAt: 2, holdMs: 0, onHold: false };
}
function snapshot(parts: Partial<DashboardSnapshot>): DashboardSnapshot {
  return { tenant: 'acme', at: 1, position: 'p1', queues: [], agents: [], calls: [], serviceLevelToday: [], ...parts };
}
const byId = <T>(rows: T[], id: (r: T) => string) => [...rows].sort((a, b) => id(a).localeCompare(id(b)));
const normal = (s: DashboardSnapshot) => ({ ...s, queues: byId(s.queues, (q) => q.queueId), agents: byId(s.agents, (a) => a.agentId), calls: byId(s.calls, (c) => c.callId) });

describe('diffSnapshots', () => {
  it('is null when only the time moved', () => {
    const s = snapshot({ queues: [queue('q1', 0)] });
    expect(diffSnapshots(s, { ...s, at: 99 })).toBeNull();
  });

  it('sends changed and new rows whole, removed rows by id, and only the sections that changed', () => {
    const prev = snapshot({ queues: [queue('q1', 0), queue('q2', 0)], agents: [agent('a1', 'available')], calls: [call('c1', 'queued')] });
    const next = snapshot({ position: 'p2', queues: [queue('q1', 1), queue('q2', 0)], agents: [agent('a1', 'available')], calls: [call('c2', 'queued')] });
    expect(diffSnapshots(prev, next)).toEqual({
      at: 1, position: 'p2',
      queues: { upserted: [queue('q1', 1)], removed: [] },
      calls: { upserted: [call('c2', 'queued')], removed: ['c1'] },
    });
  });

  it('appends new chart points over the provisional point of the last snapshot, and replaces the series when history went away (a new day)', () => {
    const p = (at: number, sl: number) => ({ at, queueId: 'q1', serviceLevel: sl, abandonmentRate: 0 });
    const prev = snapshot({ at: 2, serviceLevelToday: [p(1, 0.9), p(2, 0.85)] });
    const next = snapshot({ at: 3, serviceLevelToday: [p(1, 0.9), p(3, 0.8)] });
    expect(diffSnapshots(prev, next)?.serviceLevelToday).toEqual({ replace: false, points: [p(3, 0.8)] });
    expect(applyChange(prev, diffSnapshots(prev, next)!).serviceLevelToday).toEqual(next.serviceLevelToday);
    expect(diffSnapshots(prev, snapshot({ at: 9, serviceLevelToday: [p(9, 1)] }))?.serviceLevelToday).toEqual({ replace: true, points: [p(9, 1)] });
    expect(diffSnapshots(prev, { ...prev })).toBeNull();
  });

  it('applied to the previous snapshot gives the next one (any two snapshots)', () => {
    const ids = fc.constantFrom('x1', 'x2', 'x3', 'x4');
    const rows = <T>(make: (id: string, v: number) => T, idOf: (r: T) => string) =>
      fc.uniqueArray(fc.tuple(ids, fc.nat(3)), { selector: ([id]) => id, maxLength: 4 }).map((xs) => byId(xs.map(([id, v]) => make(id, v)), idOf));
    const points = fc.uniqueArray(fc.record({ at: fc.nat(5), queueId: ids, serviceLevel: fc.constantFrom(null, 0.5, 1), abandonmentRate: fc.constantFrom(null, 0) }), {
      selector: (pt) => `${pt.queueId}@${pt.at}`,
      maxLength: 5,
    });
    const snap = fc.record({
      at: fc.nat(5),
      position: fc.constantFrom(null, 'p1', 'p2'),
      queues: rows((id, v) => queue(id, v), (q) => q.queueId),
      agents: rows((id, v) => agent(id, ['available', 'on-contact', 'not-ready', 'logged-out'][v]!), (a) => a.agentId),
      calls: rows((id, v) => call(id, ['queued', 'ringing', 'connected', 'ivr'][v]!), (c) => c.callId),
      serviceLevelToday: points,
    }).map((parts) => snapshot(parts));
    fc.assert(
      fc.property(snap, snap, (prev, next) => {
        const change = diffSnapshots(prev, next);
        const after = change ? applyChange(prev, change) : prev;
        const chartKeys = (s: DashboardSnapshot) => s.serviceLevelToday.map((pt) => JSON.stringify(pt)).sort();
        expect({ ...normal(after), serviceLevelToday: chartKeys(after) }).toEqual({ ...normal(next), at: after.at, serviceLevelToday: chartKeys(next) });
      }),
    );
  });
});
