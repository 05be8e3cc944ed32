import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { given } from '../../domain/call/call-fixtures.ts';
import { toStoredEvent } from '../../domain/events/registry.ts';
import { startHarness, type Harness } from '../testing/api-harness.ts';
import { tenantStream } from '../tenancy/tenant-streams.ts';

describe('call disposition route', () => {
  let h: Harness;
  let a1: string;
  let a2: string;
  let sup: string;
  let globex: string;

  /** An ended call handled by agent a1 (the call fixture's history), as the call engine will write it. */
  async function endedCall(tenant: string, callId: string): Promise<void> {
    const events = given('ended').map((e) => {
      const stored = toStoredEvent({ type: e.type, data: { ...e.data, callId } });
      return { id: randomUUID(), type: stored.type, data: stored.data, metadata: { tenant, schemaVersion: stored.schemaVersion } };
    });
    await h.store.appendToStream(tenantStream('call', tenant, callId), events, { expectedRevision: 'no_stream' });
  }

  beforeAll(async () => {
    h = await startHarness();
    a1 = await h.key('agent', 'acme', 'a1');
    a2 = await h.key('agent', 'acme', 'a2');
    sup = await h.key('supervisor', 'acme');
    globex = await h.key('admin', 'globex');
    await endedCall('acme', 'c-1');
    await endedCall('acme', 'c-2');
  });
  afterAll(async () => h.close());

  it('records the disposition by the agent who handled the call (agent key: its own agent implied)', async () => {
    const r = await h.call('POST', '/v1/calls/c-1/disposition', { key: a1, body: { wrapUpCode: 'SALE', notes: 'renewed' } });
    expect([r.statusCode, r.json().events]).toEqual([200, ['CallDispositioned']]);
    const last = (await h.events('call-acme.c-1')).at(-1)!;
    expect(last.data).toMatchObject({ agentId: 'a1', wrapUpCode: 'SALE', notes: 'renewed' });
    expect(last.metadata).toMatchObject({ tenant: 'acme', actor: 'agent:a1' });
    const twice = await h.call('POST', '/v1/calls/c-1/disposition', { key: a1, body: { wrapUpCode: 'SALE' } });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'CALL_ALREADY_DISPOSITIONED']);
  });

  it('refuses an agent who did not handle the call (409), and another agent named by an agent key (403)', async () => {
    const other = await h.call('POST', '/v1/calls/c-2/disposition', { key: a2, body: { wrapUpCode: 'SALE' } });
    expect([other.statusCode, other.json().error.code]).toEqual([409, 'CALL_NOT_HANDLED']);
    const named = await h.call('POST', '/v1/calls/c-2/disposition', { key: a2, body: { wrapUpCode: 'SALE', agentId: 'a1' } });
    expect([named.statusCode, named.json().error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('lets a supervisor disposition for the handling agent, who must be named', async () => {
    const unnamed = await h.call('POST', '/v1/calls/c-2/disposition', { key: sup, body: { wrapUpCode: 'SALE' } });
    expect([unnamed.statusCode, unnamed.json().error.details.path]).toEqual([400, 'body.agentId']);
    const r = await h.call('POST', '/v1/calls/c-2/disposition', { key: sup, body: { wrapUpCode: 'NO_SALE', agentId: 'a1' }, headers: { 'idempotency-key': 'dispo-c2' } });
    expect(r.json().events).toEqual(['CallDispositioned']);
    const retry = await h.call('POST', '/v1/calls/c-2/disposition', { key: sup, body: { wrapUpCode: 'NO_SALE', agentId: 'a1' }, headers: { 'idempotency-key': 'dispo-c2' } });
    expect([retry.statusCode, retry.json().duplicate]).toEqual([200, true]);
  });

  it('answers 404 for an unknown call and for another tenant\'s call, writing nothing there', async () => {
    const none = await h.call('POST', '/v1/calls/c-404/disposition', { key: a1, body: { wrapUpCode: 'X' } });
    expect([none.statusCode, none.json().error.code]).toEqual([404, 'CALL_NOT_FOUND']);
    const before = (await h.events('call-acme.c-2')).length;
    const foreign = await h.call('POST', '/v1/calls/c-2/disposition', { key: globex, body: { wrapUpCode: 'X', agentId: 'a1' } });
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'CALL_NOT_FOUND']);
    expect((await h.events('call-acme.c-2')).length).toBe(before);
  });

  it('rejects bad input with the offending path', async () => {
    for (const [body, path] of [
      [{ wrapUpCode: '' }, 'body.wrapUpCode'],
      [{ wrapUpCode: 'x'.repeat(65) }, 'body.wrapUpCode'],
      [{ wrapUpCode: 'OK', notes: 5 }, 'body.notes'],
      [{ wrapUpCode: 'OK', mood: 'happy' }, 'body.mood'],
      [{ code: 'OK' }, 'body.wrapUpCode'],
    ] as const) {
      const r = await h.call('POST', '/v1/calls/c-1/disposition', { key: a1, body });
      expect([r.statusCode, r.json().error?.details?.path], r.body).toEqual([400, path]);
    }
  });
});
