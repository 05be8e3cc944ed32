import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/api-harness.ts';
import { SIMPLE_FLOW } from '../testing/route-table.ts';
import { numberRoutes } from './number-routes.ts';

describe('number routes', () => {
  let h: Harness;
  let admin: string;
  let sup: string;
  let globex: string;
  const errorOf = (r: { statusCode: number; json(): { error: { code: string } } }) => [r.statusCode, r.json().error.code];

  beforeAll(async () => {
    h = await startHarness({ plugins: [numberRoutes] });
    admin = await h.key('admin', 'acme');
    sup = await h.key('supervisor', 'acme');
    globex = await h.key('admin', 'globex');
    for (const [key, flowId] of [[admin, 'main'], [admin, 'sales'], [admin, 'old'], [globex, 'front']] as const) {
      expect((await h.call('PUT', `/v1/ivr-flows/${flowId}/draft`, { key, body: { flow: SIMPLE_FLOW(flowId, 'v1') } })).statusCode).toBe(200);
      expect((await h.call('POST', `/v1/ivr-flows/${flowId}/publish`, { key })).statusCode).toBe(200);
    }
    expect((await h.call('POST', '/v1/ivr-flows/old/retire', { key: admin })).statusCode).toBe(200);
  });
  afterAll(async () => h.close());

  it('assigns, lists, reassigns and releases a number of the tenant', async () => {
    const put = await h.call('PUT', '/v1/numbers/+3225550100', { key: admin, body: { flowId: 'main' } });
    expect([put.statusCode, put.json().events]).toEqual([200, ['NumberAssigned']]);
    const [stored] = await h.events('number-acme.3225550100');
    expect(stored).toMatchObject({ type: 'NumberAssigned', data: { number: '+3225550100', flowId: 'main', previousFlowId: null }, metadata: { tenant: 'acme' } });
    // The list reflects the write at once (read-your-writes through the directory).
    const list = await h.call('GET', '/v1/numbers', { key: sup });
    expect([list.statusCode, list.json()]).toEqual([200, { numbers: [{ number: '+3225550100', flowId: 'main', assignedAt: expect.any(Number), routed: true }] }]);
    // The same assignment again writes nothing; %2B is the same number, bare digits too.
    expect((await h.call('PUT', '/v1/numbers/%2B3225550100', { key: admin, body: { flowId: 'main' } })).json().events).toEqual([]);
    const re = await h.call('PUT', '/v1/numbers/3225550100', { key: admin, body: { flowId: 'sales' } });
    expect(re.json().events).toEqual(['NumberAssigned']);
    expect((await h.call('GET', '/v1/numbers', { key: admin })).json().numbers).toEqual([expect.objectContaining({ number: '+3225550100', flowId: 'sales' })]);
    const del = await h.call('DELETE', '/v1/numbers/+3225550100', { key: admin });
    expect([del.statusCode, del.json().events]).toEqual([200, ['NumberReleased']]);
    expect((await h.call('GET', '/v1/numbers', { key: admin })).json()).toEqual({ numbers: [] });
    expect(errorOf(await h.call('DELETE', '/v1/numbers/+3225550100', { key: admin }))).toEqual([404, 'NUMBER_NOT_ASSIGNED']);
  });

  it('replays a PUT with the same Idempotency-Key as a duplicate', async () => {
    const headers = { 'idempotency-key': 'assign-0123' };
    const first = await h.call('PUT', '/v1/numbers/1818', { key: admin, body: { flowId: 'main' }, headers });
    const again = await h.call('PUT', '/v1/numbers/1818', { key: admin, body: { flowId: 'main' }, headers });
    expect([first.json().duplicate, again.json().duplicate, again.json().events]).toEqual([false, true, []]);
  });

  it('answers 401 without a valid key', async () => {
    expect(errorOf(await h.call('GET', '/v1/numbers'))).toEqual([401, 'UNAUTHENTICATED']);
    expect(errorOf(await h.call('PUT', '/v1/numbers/+3225550100', { key: 'll_nope', body: { flowId: 'main' } }))).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('answers 403 to roles other than admin for writes, and other than admin and supervisor for the list', async () => {
    const integrator = await h.key('integrator', 'acme');
    const auditor = await h.key('auditor', 'acme');
    const agent = await h.key('agent', 'acme', 'a1');
    for (const key of [sup, integrator, agent, auditor]) {
      expect(errorOf(await h.call('PUT', '/v1/numbers/+3225550101', { key, body: { flowId: 'main' } }))).toEqual([403, 'FORBIDDEN']);
      expect(errorOf(await h.call('DELETE', '/v1/numbers/+3225550101', { key }))).toEqual([403, 'FORBIDDEN']);
    }
    for (const key of [integrator, agent, auditor]) expect(errorOf(await h.call('GET', '/v1/numbers', { key }))).toEqual([403, 'FORBIDDEN']);
    expect(await h.events('number-acme.3225550101')).toEqual([]);
  });

  it('answers 400 to a bad number, a missing or unknown field, and 404/409 to an unknown or retired flow', async () => {
    for (const bad of ['abc', '+32%2025550100', '1', `${'9'.repeat(21)}`]) {
      expect(errorOf(await h.call('PUT', `/v1/numbers/${bad}`, { key: admin, body: { flowId: 'main' } }))).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect(errorOf(await h.call('PUT', '/v1/numbers/+3225550102', { key: admin, body: {} }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await h.call('PUT', '/v1/numbers/+3225550102', { key: admin, body: { flowId: 'main', tenant: 'globex' } }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(errorOf(await h.call('PUT', '/v1/numbers/+3225550102', { key: admin, body: { flowId: 'nope' } }))).toEqual([404, 'IVR_FLOW_NOT_FOUND']);
    expect(errorOf(await h.call('PUT', '/v1/numbers/+3225550102', { key: admin, body: { flowId: 'old' } }))).toEqual([409, 'IVR_FLOW_RETIRED']);
    expect(await h.events('number-acme.3225550102')).toEqual([]);
  });

  it('keeps tenants apart: own list, own flows, no release of another tenant\'s number, no claim on a number another tenant routes', async () => {
    expect((await h.call('PUT', '/v1/numbers/+3225550200', { key: admin, body: { flowId: 'main' } })).statusCode).toBe(200);
    expect((await h.call('GET', '/v1/numbers', { key: globex })).json()).toEqual({ numbers: [] });
    expect(errorOf(await h.call('DELETE', '/v1/numbers/+3225550200', { key: globex }))).toEqual([404, 'NUMBER_NOT_ASSIGNED']);
    expect(errorOf(await h.call('PUT', '/v1/numbers/+3225550200', { key: globex, body: { flowId: 'front' } }))).toEqual([409, 'NUMBER_IN_USE']);
    // acme cannot route to globex's flow: flow ids are per tenant.
    expect(errorOf(await h.call('PUT', '/v1/numbers/+3225550201', { key: admin, body: { flowId: 'front' } }))).toEqual([404, 'IVR_FLOW_NOT_FOUND']);
    const own = await h.call('PUT', '/v1/numbers/+3225550202', { key: globex, body: { flowId: 'front' } });
    expect(own.statusCode).toBe(200);
    expect((await h.call('GET', '/v1/numbers', { key: globex })).json().numbers.map((n: { number: string }) => n.number)).toEqual(['+3225550202']);
    expect((await h.call('GET', '/v1/numbers', { key: admin })).json().numbers.map((n: { number: string }) => n.number)).not.toContain('+3225550202');
    expect(await h.events('number-globex.3225550200')).toEqual([]);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/numbers', '/v1/numbers/{number}']));
    expect(doc.paths['/v1/numbers/{number}'].put.description).toBe('Requires role admin.');
    expect(doc.paths['/v1/numbers'].get.description).toBe('Requires role admin or supervisor.');
  });
});
