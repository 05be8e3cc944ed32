import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECTION_COMMANDS, type SectionCommandType } from '../../domain/queue/queue-commands.ts';
import { COMMAND, SETTINGS } from '../../domain/queue/queue-fixtures.ts';
import { startHarness, type Harness } from '../testing/api-harness.ts';
import { SECTION_SEGMENTS } from './queues.ts';

describe('queue routes', () => {
  let h: Harness;
  let sup: string;
  let integrator: string;
  let globex: string;
  beforeAll(async () => {
    h = await startHarness();
    sup = await h.key('supervisor', 'acme');
    integrator = await h.key('integrator', 'acme');
    globex = await h.key('admin', 'globex');
  });
  afterAll(async () => h.close());

  it('creates a queue (201), reads it back with defaults applied, and refuses a second create (409)', async () => {
    const r = await h.call('POST', '/v1/queues', { key: sup, body: { queueId: 'support', settings: { name: 'Support', routing: { strategy: 'longest-idle' } } } });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ events: ['QueueCreated'], revision: 0, duplicate: false });
    const view = await h.call('GET', '/v1/queues/support', { key: sup });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ queueId: 'support', status: 'active', revision: 0, config: { name: 'Support', wrapUp: { seconds: 10 }, agents: {} } });
    const again = await h.call('POST', '/v1/queues', { key: sup, body: { queueId: 'support', settings: { name: 'X', routing: { strategy: 'random' } } } });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'QUEUE_ALREADY_EXISTS']);
  });

  it('replaces each section through its own route, one event each, none when unchanged', async () => {
    expect((await h.call('POST', '/v1/queues', { key: integrator, body: { queueId: 'sales', settings: SETTINGS } })).statusCode).toBe(201);
    for (const type of Object.keys(SECTION_SEGMENTS) as SectionCommandType[]) {
      const { key, event } = SECTION_COMMANDS[type];
      const body = { [key]: (COMMAND[type] as unknown as Record<string, unknown>)[key] };
      const r = await h.call('PUT', `/v1/queues/sales/${SECTION_SEGMENTS[type]}`, { key: integrator, body });
      expect([type, r.statusCode, r.json().events]).toEqual([type, 200, [event]]);
      const same = await h.call('PUT', `/v1/queues/sales/${SECTION_SEGMENTS[type]}`, { key: integrator, body });
      expect([type, same.json().events]).toEqual([type, []]);
    }
    const config = (await h.call('GET', '/v1/queues/sales', { key: sup })).json().config;
    expect(config.name).toBe('Sales EMEA');
    expect(config.wrapUp).toEqual({ seconds: 0 });
    expect(config.callback).toBeNull();
  });

  it('assigns and unassigns agents, then deletes the queue (reads as deleted; further changes are 410)', async () => {
    const a = await h.call('POST', '/v1/queues/sales/agents', { key: sup, body: { agents: [{ agentId: 'a1', priority: 5 }, { agentId: 'a2' }] } });
    expect(a.json().events).toEqual(['QueueAgentsAssigned']);
    expect((await h.call('GET', '/v1/queues/sales', { key: sup })).json().config.agents).toEqual({ a1: { priority: 5 }, a2: { priority: 50 } });
    const u = await h.call('POST', '/v1/queues/sales/agents/unassign', { key: sup, body: { agentIds: ['a2'] } });
    expect(u.json().events).toEqual(['QueueAgentsUnassigned']);
    const d = await h.call('DELETE', '/v1/queues/sales', { key: sup });
    expect([d.statusCode, d.json().events]).toEqual([200, ['QueueDeleted']]);
    expect((await h.call('GET', '/v1/queues/sales', { key: sup })).json()).toMatchObject({ status: 'deleted', deletedAt: expect.any(Number) });
    const late = await h.call('PUT', '/v1/queues/sales/name', { key: sup, body: { name: 'Zombie' } });
    expect([late.statusCode, late.json().error.code]).toEqual([410, 'QUEUE_DELETED']);
  });

  it('maps domain refusals: unknown queue 404, self-overflow 422', async () => {
    const missing = await h.call('PUT', '/v1/queues/nope/name', { key: sup, body: { name: 'N' } });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'QUEUE_NOT_FOUND']);
    expect((await h.call('GET', '/v1/queues/nope', { key: sup })).statusCode).toBe(404);
    const self = await h.call('PUT', '/v1/queues/support/overflow', { key: sup, body: { overflow: { queueId: 'support', afterSeconds: 10 } } });
    expect([self.statusCode, self.json().error.code]).toEqual([422, 'QUEUE_CONFIG_INVALID']);
  });

  it('creates once per Idempotency-Key', async () => {
    const body = { queueId: 'billing', settings: { name: 'Billing', routing: { strategy: 'round-robin' } } };
    const headers = { 'idempotency-key': 'create-billing' };
    const first = await h.call('POST', '/v1/queues', { key: sup, body, headers });
    const second = await h.call('POST', '/v1/queues', { key: sup, body, headers });
    expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
    expect(second.json()).toMatchObject({ duplicate: true, events: [] });
    expect(await h.events('queue-acme.billing')).toHaveLength(1);
  });

  it('keeps tenants apart: 404 on read and change, and the same id is another tenant\'s own queue', async () => {
    expect((await h.call('GET', '/v1/queues/support', { key: globex })).statusCode).toBe(404);
    const change = await h.call('PUT', '/v1/queues/support/name', { key: globex, body: { name: 'Hijacked' } });
    expect([change.statusCode, change.json().error.code]).toEqual([404, 'QUEUE_NOT_FOUND']);
    const del = await h.call('DELETE', '/v1/queues/support', { key: globex });
    expect(del.statusCode).toBe(404);
    expect((await h.call('POST', '/v1/queues', { key: globex, body: { queueId: 'support', settings: { name: 'Globex support', routing: { strategy: 'random' } } } })).statusCode).toBe(201);
    expect((await h.call('GET', '/v1/queues/support', { key: sup })).json().config.name).toBe('Support');
    expect((await h.call('GET', '/v1/queues/support', { key: globex })).json().config.name).toBe('Globex support');
  });

  it('rejects bad input with the offending path', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/v1/queues', { queueId: 'q', settings: { name: 'Q', routing: { strategy: 'longest-idle' } }, color: 'red' }, 'body.color'],
      ['POST', '/v1/queues', { queueId: 'q', settings: { name: 'Q', routing: { strategy: 'longest-idle', speed: 1 } } }, 'body.settings.routing.speed'],
      ['POST', '/v1/queues', { queueId: 'q q', settings: { name: 'Q', routing: { strategy: 'longest-idle' } } }, 'body.queueId'],
      ['POST', '/v1/queues', { queueId: 'q', settings: { name: 'Q', routing: { strategy: 'fastest' } } }, 'body.settings.routing.strategy'],
      ['PUT', '/v1/queues/support/wrap-up', { wrapUp: { seconds: '10' } }, 'body.wrapUp.seconds'],
      ['PUT', '/v1/queues/support/wrap-up', { seconds: 10 }, 'body.wrapUp'],
      ['PUT', '/v1/queues/support/limits', { limits: { maxWait: null, maxWaitNoAgent: null, maxLength: null, maxFun: null } }, 'body.limits.maxFun'],
      ['POST', '/v1/queues/support/agents', { agents: [] }, 'body.agents'],
      ['POST', '/v1/queues/support/agents', { agents: [{ agentId: 'a1', priority: 0 }] }, 'body.agents.0.priority'],
      ['POST', '/v1/queues/support/agents/unassign', { agentIds: 'a1' }, 'body.agentIds'],
      ['DELETE', '/v1/queues/support', { force: true }, 'body.force'],
      ['GET', '/v1/queues/bad%20id', undefined, 'params.queueId'],
    ];
    for (const [method, url, body, path] of cases) {
      const r = await h.call(method, url, { key: sup, ...(body !== undefined ? { body } : {}) });
      expect([method, url, r.statusCode, r.json().error?.code, r.json().error?.details?.path], r.body).toEqual([method, url, 400, 'VALIDATION_FAILED', path]);
    }
  });
});
