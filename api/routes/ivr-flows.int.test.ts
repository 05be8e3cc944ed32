import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/api-harness.ts';
import { SIMPLE_FLOW } from '../testing/route-table.ts';

describe('IVR flow routes', () => {
  let h: Harness;
  let integrator: string;
  let sup: string;
  let globex: string;
  beforeAll(async () => {
    h = await startHarness();
    integrator = await h.key('integrator', 'acme');
    sup = await h.key('supervisor', 'acme');
    globex = await h.key('admin', 'globex');
  });
  afterAll(async () => h.close());

  it('saves a draft, publishes versions, reads the flow and each version, then retires it', async () => {
    const d1 = await h.call('PUT', '/v1/ivr-flows/main/draft', { key: integrator, body: { flow: SIMPLE_FLOW('main', 'v1') } });
    expect([d1.statusCode, d1.json().events]).toEqual([200, ['IvrFlowDraftSaved']]);
    const p1 = await h.call('POST', '/v1/ivr-flows/main/publish', { key: integrator });
    expect(p1.json().events).toEqual(['IvrFlowPublished']);
    await h.call('PUT', '/v1/ivr-flows/main/draft', { key: integrator, body: { flow: SIMPLE_FLOW('main', 'v2') } });
    const flow = (await h.call('GET', '/v1/ivr-flows/main', { key: sup })).json();
    expect(flow).toMatchObject({ flowId: 'main', status: 'published', versions: [{ version: 1 }], draft: { flow: { name: 'v2' } }, revision: 2 });
    const hash = flow.draft.contentHash as string;
    const p2 = await h.call('POST', '/v1/ivr-flows/main/publish', { key: integrator, body: { expectedDraftHash: hash } });
    expect(p2.statusCode).toBe(200);
    const v1 = await h.call('GET', '/v1/ivr-flows/main/versions/1', { key: sup });
    expect(v1.json()).toMatchObject({ flowId: 'main', version: 1, flow: { name: 'v1' } });
    expect((await h.call('GET', '/v1/ivr-flows/main/versions/2', { key: sup })).json().flow.name).toBe('v2');
    const v9 = await h.call('GET', '/v1/ivr-flows/main/versions/9', { key: sup });
    expect([v9.statusCode, v9.json().error.code]).toEqual([404, 'IVR_FLOW_VERSION_NOT_FOUND']);
    expect((await h.call('POST', '/v1/ivr-flows/main/retire', { key: integrator })).json().events).toEqual(['IvrFlowRetired']);
    const late = await h.call('PUT', '/v1/ivr-flows/main/draft', { key: integrator, body: { flow: SIMPLE_FLOW('main', 'v3') } });
    expect([late.statusCode, late.json().error.code]).toEqual([409, 'IVR_FLOW_RETIRED']);
    expect((await h.call('GET', '/v1/ivr-flows/main/versions/2', { key: sup })).statusCode).toBe(200);
  });

  it('maps refusals: publishing an invalid draft 422, a stale expected hash 409, an unknown flow 404', async () => {
    await h.call('PUT', '/v1/ivr-flows/broken/draft', { key: integrator, body: { flow: { ...SIMPLE_FLOW('broken'), start: 'nowhere' } } });
    const bad = await h.call('POST', '/v1/ivr-flows/broken/publish', { key: integrator });
    expect([bad.statusCode, bad.json().error.code]).toEqual([422, 'IVR_FLOW_INVALID']);
    await h.call('PUT', '/v1/ivr-flows/f2/draft', { key: integrator, body: { flow: SIMPLE_FLOW('f2') } });
    const stale = await h.call('POST', '/v1/ivr-flows/f2/publish', { key: integrator, body: { expectedDraftHash: '0'.repeat(40) } });
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'IVR_FLOW_DRAFT_CHANGED']);
    const none = await h.call('GET', '/v1/ivr-flows/none', { key: sup });
    expect([none.statusCode, none.json().error.code]).toEqual([404, 'IVR_FLOW_NOT_FOUND']);
    const pubNone = await h.call('POST', '/v1/ivr-flows/none/publish', { key: integrator });
    expect(pubNone.statusCode).toBe(404);
  });

  it('saves a draft once per Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'draft-f3' };
    await h.call('PUT', '/v1/ivr-flows/f3/draft', { key: integrator, body: { flow: SIMPLE_FLOW('f3') }, headers });
    const again = await h.call('PUT', '/v1/ivr-flows/f3/draft', { key: integrator, body: { flow: SIMPLE_FLOW('f3') }, headers });
    expect(again.json()).toMatchObject({ duplicate: true, events: [] });
    expect(await h.events('ivrflow-acme.f3')).toHaveLength(1);
  });

  it('keeps tenants apart', async () => {
    expect((await h.call('GET', '/v1/ivr-flows/f2', { key: globex })).statusCode).toBe(404);
    expect((await h.call('GET', '/v1/ivr-flows/main/versions/1', { key: globex })).statusCode).toBe(404);
    const publish = await h.call('POST', '/v1/ivr-flows/f2/publish', { key: globex });
    expect([publish.statusCode, publish.json().error.code]).toEqual([404, 'IVR_FLOW_NOT_FOUND']);
    const retire = await h.call('POST', '/v1/ivr-flows/f2/retire', { key: globex });
    expect(retire.statusCode).toBe(404);
    expect((await h.events('ivrflow-acme.f2')).map((e) => e.type)).toEqual(['IvrFlowDraftSaved']);
  });

  it('rejects bad input with the offending path', async () => {
    const cases: [string, string, unknown, string][] = [
      ['PUT', '/v1/ivr-flows/f4/draft', { flow: SIMPLE_FLOW('f4'), comment: 'x' }, 'body.comment'],
      ['PUT', '/v1/ivr-flows/f4/draft', {}, 'body.flow'],
      ['POST', '/v1/ivr-flows/f4/publish', { expectedDraftHash: 'abc' }, 'body.expectedDraftHash'],
      ['POST', '/v1/ivr-flows/f4/retire', { now: 1 }, 'body.now'],
      ['GET', '/v1/ivr-flows/f4/versions/zero', undefined, 'params.version'],
      ['GET', '/v1/ivr-flows/f4/versions/0', undefined, 'params.version'],
      ['GET', `/v1/ivr-flows/${'f'.repeat(65)}`, undefined, 'params.flowId'],
    ];
    for (const [method, url, body, path] of cases) {
      const r = await h.call(method, url, { key: integrator, ...(body !== undefined ? { body } : {}) });
      expect([method, url, r.statusCode, r.json().error?.code, r.json().error?.details?.path], r.body).toEqual([method, url, 400, 'VALIDATION_FAILED', path]);
    }
  });
});
