import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/api-harness.ts';

const login = { skills: [{ skill: 'en', proficiency: 4 }], capacity: { voice: 1 } };

describe('agent routes', () => {
  let h: Harness;
  let sup: string;
  let agentKey: string;
  let otherTenant: string;
  let now = 1_700_000_000_000;
  beforeAll(async () => {
    h = await startHarness({ clock: () => now++ });
    sup = await h.key('supervisor', 'acme');
    agentKey = await h.key('agent', 'acme', 'ann');
    otherTenant = await h.key('admin', 'globex');
  });
  afterAll(async () => h.close());

  it('runs the agent day: login, ready, not ready, read, forced state, logout, each as events with actor and tenant', async () => {
    const r1 = await h.call('POST', '/v1/agents/ann/login', { key: agentKey, body: login });
    expect(r1.statusCode).toBe(200);
    expect(r1.json()).toMatchObject({ duplicate: false, events: ['AgentLoggedIn'], revision: 0 });
    expect((await h.call('POST', '/v1/agents/ann/ready', { key: agentKey })).json()).toMatchObject({ events: ['AgentReady'], revision: 1 });
    expect((await h.call('POST', '/v1/agents/ann/not-ready', { key: agentKey, body: { reasonCode: 'lunch' } })).json().events).toEqual(['AgentNotReady']);

    const view = await h.call('GET', '/v1/agents/ann', { key: agentKey });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ agentId: 'ann', state: 'not_ready', notReadyReason: 'lunch', skills: login.skills, capacity: { voice: 1 }, revision: 2 });

    const forced = await h.call('POST', '/v1/agents/ann/forced-state', { key: sup, body: { to: 'ready' } });
    expect(forced.statusCode).toBe(200);
    expect(forced.json().events.length).toBeGreaterThan(0);
    expect((await h.call('POST', '/v1/agents/ann/logout', { key: sup })).json().events).toEqual(['AgentLoggedOut']);

    const stored = await h.events('agent-acme.ann');
    expect(stored.map((e) => e.type)).toEqual(['AgentLoggedIn', 'AgentReady', 'AgentNotReady', ...forced.json().events, 'AgentLoggedOut']);
    expect(stored[0]!.metadata).toMatchObject({ tenant: 'acme', actor: 'agent:ann' });
    expect(String(stored.at(-1)!.metadata.actor)).toMatch(/^supervisor:[0-9a-f]{20}$/);
    expect(stored[0]!.data).toMatchObject({ agentId: 'ann', at: expect.any(Number) });
  });

  it('maps the decider\'s refusals through the catalogue (409, never 500)', async () => {
    const r = await h.call('POST', '/v1/agents/bob/ready', { key: sup });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('AGENT_NOT_LOGGED_IN');
    await h.call('POST', '/v1/agents/bob/login', { key: sup, body: login });
    const again = await h.call('POST', '/v1/agents/bob/login', { key: sup, body: login });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'AGENT_ALREADY_LOGGED_IN']);
  });

  it('answers 404 for an agent that never logged in', async () => {
    const r = await h.call('GET', '/v1/agents/nobody', { key: sup });
    expect([r.statusCode, r.json().error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('applies a command once per Idempotency-Key: the retry reports duplicate and writes nothing', async () => {
    const headers = { 'idempotency-key': 'login-carl-1' };
    const first = await h.call('POST', '/v1/agents/carl/login', { key: sup, body: login, headers });
    const second = await h.call('POST', '/v1/agents/carl/login', { key: sup, body: login, headers });
    expect(first.json()).toMatchObject({ commandId: 'login-carl-1', duplicate: false, events: ['AgentLoggedIn'] });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ commandId: 'login-carl-1', duplicate: true, events: [], revision: 0 });
    expect(await h.events('agent-acme.carl')).toHaveLength(1);
  });

  it('refuses a malformed Idempotency-Key with the header path', async () => {
    const r = await h.call('POST', '/v1/agents/carl/ready', { key: sup, headers: { 'idempotency-key': 'has spaces' } });
    expect([r.statusCode, r.json().error.details.path]).toEqual([400, 'headers.idempotency-key']);
  });

  it('keeps tenants apart: another tenant sees 404 and its commands touch only its own agent of the same id', async () => {
    const read = await h.call('GET', '/v1/agents/ann', { key: otherTenant });
    expect(read.statusCode).toBe(404);
    const before = (await h.events('agent-acme.bob')).length;
    const r = await h.call('POST', '/v1/agents/bob/ready', { key: otherTenant });
    expect([r.statusCode, r.json().error.code]).toEqual([409, 'AGENT_NOT_LOGGED_IN']);
    const lg = await h.call('POST', '/v1/agents/bob/login', { key: otherTenant, body: login });
    expect(lg.statusCode).toBe(200);
    expect((await h.events('agent-acme.bob')).length).toBe(before);
    expect((await h.events('agent-globex.bob')).map((e) => e.metadata.tenant)).toEqual(['globex']);
    expect((await h.call('GET', '/v1/agents/bob', { key: sup })).json().state).toBe('not_ready');
  });

  it('rejects bad input with VALIDATION_FAILED and the offending path', async () => {
    const cases: [string, unknown, string][] = [
      ['/v1/agents/ann/login', { ...login, extra: 1 }, 'body.extra'],
      ['/v1/agents/ann/login', { skills: [{ skill: 'en', proficiency: 4, level: 'x' }], capacity: { voice: 1 } }, 'body.skills.0.level'],
      ['/v1/agents/ann/login', { skills: [{ skill: 'en', proficiency: 9 }], capacity: { voice: 1 } }, 'body.skills.0.proficiency'],
      ['/v1/agents/ann/login', { skills: 'en', capacity: { voice: 1 } }, 'body.skills'],
      ['/v1/agents/ann/login', { capacity: { voice: 1 } }, 'body.skills'],
      ['/v1/agents/ann/not-ready', { reasonCode: 42 }, 'body.reasonCode'],
      ['/v1/agents/ann/ready', { now: true }, 'body.now'],
      ['/v1/agents/ann/forced-state', { to: 'talking' }, 'body.to'],
      ['/v1/agents/bad%20id/ready', undefined, 'params.agentId'],
      [`/v1/agents/${'x'.repeat(101)}/ready`, undefined, 'params.agentId'],
    ];
    for (const [url, body, path] of cases) {
      const r = await h.call('POST', url, { key: sup, ...(body !== undefined ? { body } : {}) });
      expect([url, r.statusCode, r.json().error?.code, r.json().error?.details?.path], r.body).toEqual([url, 400, 'VALIDATION_FAILED', path]);
    }
  });
});
