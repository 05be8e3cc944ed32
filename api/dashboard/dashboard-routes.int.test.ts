import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardSnapshot } from '../../projections/dashboard/dashboard-query.ts';
import { startDashboardTestApp, type DashboardTestApp } from './dashboard-test-app.ts';
import { SseReader } from './sse-test-reader.ts';
import { applyChange, type DashboardChange } from './snapshot-diff.ts';

let t: DashboardTestApp;
let base: string;
const keys: Record<string, string> = {};

const queueBody = (queueId: string, name: string) => ({ queueId, settings: { name, routing: { strategy: 'longest-idle' } } });

beforeAll(async () => {
  t = await startDashboardTestApp({ timings: { pollMs: 50, heartbeatMs: 300, timeRefreshMs: 60_000 }, maxStreamsPerKey: 2 });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  for (const role of ['admin', 'supervisor', 'auditor', 'integrator'] as const) keys[role] = await t.key(role, 'acme');
  keys.agentA1 = await t.key('agent', 'acme', 'a1');
  keys.globex = await t.key('supervisor', 'globex');
  keys.streamer = await t.key('supervisor', 'acme');

  for (const [id, name] of [['support', 'Support'], ['sales', 'Sales']]) {
    expect((await t.call('POST', '/v1/queues', { key: keys.supervisor, body: queueBody(id!, name!) })).statusCode).toBe(201);
  }
  expect((await t.call('POST', '/v1/queues', { key: keys.globex, body: queueBody('support', 'Globex support') })).statusCode).toBe(201);
  for (const agentId of ['a1', 'a2']) {
    expect((await t.call('POST', `/v1/agents/${agentId}/login`, { key: keys.supervisor, body: { skills: [], capacity: { voice: 1 }, ready: true } })).statusCode).toBe(200);
  }
  await t.arriveAndQueue('acme', 'c1', 'support', Date.now());
  await t.eventually('the projections to show the queues, agents and call', async () => {
    const s = (await t.call('GET', '/v1/dashboard', { key: keys.supervisor })).json() as DashboardSnapshot;
    return s.queues.length === 2 && s.agents.length === 2 && s.calls.length === 1 && s.queues.find((q) => q.queueId === 'support')?.waiting === 1 ? s : undefined;
  });
});
afterAll(async () => t?.close());

describe('GET /v1/dashboard', () => {
  it('gives supervisors, admins, auditors and integrators the snapshot of their own tenant', async () => {
    for (const role of ['admin', 'supervisor', 'auditor', 'integrator']) {
      const r = await t.call('GET', '/v1/dashboard', { key: keys[role] });
      expect(r.statusCode).toBe(200);
      const s = r.json() as DashboardSnapshot;
      expect(s.tenant).toBe('acme');
      expect(typeof s.position).toBe('string');
      expect(s.queues.map((q) => [q.queueId, q.name, q.waiting]).sort()).toEqual([['sales', 'Sales', 0], ['support', 'Support', 1]]);
      expect(s.agents.map((a) => a.agentId).sort()).toEqual(['a1', 'a2']);
      expect(s.calls.map((c) => [c.callId, c.state, c.queueId])).toEqual([['c1', 'queued', 'support']]);
      expect(s.serviceLevelToday.every((p) => ['sales', 'support'].includes(p.queueId))).toBe(true);
    }
  });

  it('gives another tenant only its own queue, and no agents or calls of acme', async () => {
    const s = (await t.call('GET', '/v1/dashboard', { key: keys.globex })).json() as DashboardSnapshot;
    expect([s.tenant, s.queues.map((q) => q.name), s.agents, s.calls]).toEqual(['globex', ['Globex support'], [], []]);
  });

  it('gives an agent key its own agent only, no queues and none of the calls it is not on', async () => {
    const s = (await t.call('GET', '/v1/dashboard', { key: keys.agentA1 })).json() as DashboardSnapshot;
    expect([s.queues, s.serviceLevelToday, s.agents.map((a) => a.agentId), s.calls]).toEqual([[], [], ['a1'], []]);
  });

  it('refuses a request without a valid key (401)', async () => {
    expect((await t.call('GET', '/v1/dashboard')).statusCode).toBe(401);
    expect((await t.call('GET', '/v1/dashboard', { key: `${keys.supervisor}x` })).statusCode).toBe(401);
  });
});

describe('lists', () => {
  it('GET /v1/queues: the tenant\'s queues, for the roles holding queues.read; agents are refused', async () => {
    for (const role of ['admin', 'supervisor', 'auditor', 'integrator']) {
      const r = await t.call('GET', '/v1/queues', { key: keys[role] });
      expect(r.statusCode).toBe(200);
      expect(r.json().queues.map((q: { queueId: string }) => q.queueId).sort()).toEqual(['sales', 'support']);
    }
    expect((await t.call('GET', '/v1/queues', { key: keys.globex })).json().queues.map((q: { name: string }) => q.name)).toEqual(['Globex support']);
    const agent = await t.call('GET', '/v1/queues', { key: keys.agentA1 });
    expect([agent.statusCode, agent.json().error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await t.call('GET', '/v1/queues')).statusCode).toBe(401);
  });

  it('GET /v1/agents: the tenant\'s agents (filter by state); an agent key sees only itself', async () => {
    const all = await t.call('GET', '/v1/agents', { key: keys.auditor });
    expect(all.json().agents.map((a: { agentId: string; state: string }) => [a.agentId, a.state]).sort()).toEqual([['a1', 'ready'], ['a2', 'ready']]);
    expect((await t.call('GET', '/v1/agents?state=not_ready', { key: keys.supervisor })).json().agents).toEqual([]);
    expect((await t.call('GET', '/v1/agents', { key: keys.agentA1 })).json().agents.map((a: { agentId: string }) => a.agentId)).toEqual(['a1']);
    expect((await t.call('GET', '/v1/agents', { key: keys.globex })).json().agents).toEqual([]);
  });

  it('GET /v1/calls: calls in progress (filter by state and queue); an agent key sees only the calls it is on', async () => {
    const ids = async (url: string, key: string) => (await t.call('GET', url, { key })).json().calls.map((c: { callId: string }) => c.callId);
    expect(await ids('/v1/calls', keys.integrator)).toEqual(['c1']);
    expect(await ids('/v1/calls?state=queued&queueId=support', keys.admin)).toEqual(['c1']);
    expect(await ids('/v1/calls?queueId=sales', keys.admin)).toEqual([]);
    expect(await ids('/v1/calls', keys.agentA1)).toEqual([]);
    expect(await ids('/v1/calls', keys.globex)).toEqual([]);
  });

  it('refuses unknown or malformed query parameters with the offending path', async () => {
    const unknown = await t.call('GET', '/v1/calls?bogus=1', { key: keys.admin });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const bad = await t.call('GET', '/v1/agents?state=%20drop', { key: keys.admin });
    expect([bad.statusCode, bad.json().error.details.path]).toEqual([400, 'query.state']);
  });

  it('documents every route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    for (const path of ['/v1/dashboard', '/v1/dashboard/stream', '/v1/queues', '/v1/agents', '/v1/calls']) expect(doc.paths[path]?.get, path).toBeDefined();
    expect(doc.paths['/']).toBeUndefined();
  });
});

describe('the wallboard page', () => {
  it('is served at / with its module, styles and a strict content security policy', async () => {
    const page = await t.app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('<script type="module" src="/wallboard.js"></script>');
    for (const [url, type] of [['/wallboard.js', 'text/javascript'], ['/sse-client.js', 'text/javascript'], ['/wallboard.css', 'text/css']]) {
      const r = await t.app.inject({ url: url! });
      expect([url, r.statusCode, r.headers['content-type']]).toEqual([url, 200, `${type}; charset=utf-8`]);
    }
    expect((await t.app.inject({ url: '/../package.json' })).statusCode).toBe(404);
  });
});

/** Opens the stream with fetch; `abort()` disconnects. */
async function openStream(key: string | undefined, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const res = await fetch(`${base}/v1/dashboard/stream`, { headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers }, signal: abort.signal });
  return { res, reader: res.ok && res.body ? new SseReader(res.body) : undefined, abort: () => abort.abort() };
}

describe('GET /v1/dashboard/stream', () => {
  it('sends a snapshot, then only what changed when a call arrives, with the position as the event id, and heartbeats', async () => {
    const { res, reader, abort } = await openStream(keys.supervisor);
    try {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(res.headers.get('x-request-id')).toBeTruthy();
      const first = await reader!.next((f) => f.event !== undefined);
      expect(first.event).toBe('snapshot');
      const snapshot = JSON.parse(first.data!) as DashboardSnapshot;
      expect(first.id).toBe(snapshot.position);
      expect(snapshot.queues.find((q) => q.queueId === 'support')?.waiting).toBe(1);

      await t.arriveAndQueue('acme', 'c2', 'support', Date.now());
      // Apply the changes as a client does until the new call shows.
      let state = snapshot;
      const changes: DashboardChange[] = [];
      while (!(state.calls.some((c) => c.callId === 'c2') && state.queues.find((q) => q.queueId === 'support')?.waiting === 2)) {
        const frame = await reader!.next((f) => f.event !== undefined);
        expect(frame.event).toBe('change');
        const change = JSON.parse(frame.data!) as DashboardChange;
        expect(frame.id).toBe(change.position);
        changes.push(change);
        state = applyChange(state, change);
      }
      expect(state.position).not.toBe(snapshot.position);
      expect(changes.flatMap((c) => c.calls?.upserted ?? [])).toEqual([expect.objectContaining({ callId: 'c2', state: 'queued', queueId: 'support' })]);
      // Only what changed is sent: the other queue and the first call did not.
      expect(changes.flatMap((c) => c.queues?.upserted ?? []).map((q) => q.queueId)).not.toContain('sales');
      expect(changes.flatMap((c) => c.calls?.removed ?? [])).toEqual([]);
      expect((await reader!.next((f) => f.comment === 'heartbeat')).comment).toBe('heartbeat');
    } finally {
      abort();
    }
  });

  it('on reconnect with Last-Event-ID sends a snapshot only when the read models moved since that id', async () => {
    const first = await openStream(keys.auditor);
    const snap = await first.reader!.next((f) => f.event === 'snapshot');
    first.abort();

    const resumed = await openStream(keys.auditor, { 'last-event-id': snap.id! });
    try {
      const f = await resumed.reader!.next((x) => x.event !== undefined || x.comment?.startsWith('resumed') === true);
      expect(f.comment).toBe(`resumed at ${snap.id}`);
    } finally {
      resumed.abort();
    }
    const stale = await openStream(keys.auditor, { 'last-event-id': 'an-old-position' });
    try {
      expect((await stale.reader!.next((x) => x.event !== undefined)).event).toBe('snapshot');
    } finally {
      stale.abort();
    }
  });

  it('keeps tenants and agents apart on the stream too', async () => {
    const globex = await openStream(keys.globex);
    const agent = await openStream(keys.agentA1);
    try {
      const g = JSON.parse((await globex.reader!.next((f) => f.event === 'snapshot')).data!) as DashboardSnapshot;
      expect([g.tenant, g.queues.map((q) => q.name), g.calls]).toEqual(['globex', ['Globex support'], []]);
      const a = JSON.parse((await agent.reader!.next((f) => f.event === 'snapshot')).data!) as DashboardSnapshot;
      expect([a.queues, a.agents.map((x) => x.agentId), a.calls]).toEqual([[], ['a1'], []]);
    } finally {
      globex.abort();
      agent.abort();
    }
  });

  it('refuses a missing key (401), and a key holding the maximum of open streams (429) until one disconnects', async () => {
    expect((await openStream(undefined)).res.status).toBe(401);
    const one = await openStream(keys.streamer);
    const two = await openStream(keys.streamer);
    await one.reader!.next((f) => f.event === 'snapshot');
    await two.reader!.next((f) => f.event === 'snapshot');
    const three = await openStream(keys.streamer);
    expect(three.res.status).toBe(429);
    expect(((await three.res.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    one.abort();
    const again = await t.eventually('the server to release the closed stream\'s slot', async () => {
      const s = await openStream(keys.streamer);
      if (s.res.status === 200) return s;
      await s.res.body?.cancel();
      return undefined;
    });
    expect((await again.reader!.next((f) => f.event === 'snapshot')).event).toBe('snapshot');
    again.abort();
    two.abort();
  });

  it('refuses a malformed Last-Event-ID header', async () => {
    const r = await openStream(keys.admin, { 'last-event-id': 'x'.repeat(2000) });
    expect(r.res.status).toBe(400);
  });
});

describe('shutdown', () => {
  it('closing the app ends the open streams (server.close does not wait for them)', async () => {
    const other = await startDashboardTestApp();
    try {
      await other.app.listen({ host: '127.0.0.1', port: 0 });
      const key = await other.key('supervisor', 'acme');
      const res = await fetch(`http://127.0.0.1:${(other.app.server.address() as AddressInfo).port}/v1/dashboard/stream`, { headers: { authorization: `Bearer ${key}` } });
      const reader = new SseReader(res.body!);
      await reader.next((f) => f.event === 'snapshot');
      await other.app.close();
      await expect(reader.next(() => false)).rejects.toThrow('The SSE stream ended');
    } finally {
      await other.close();
    }
  });
});
