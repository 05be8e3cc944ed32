import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/api-harness.ts';

describe('key routes', () => {
  let h: Harness;
  let admin: string;
  let auditor: string;
  let globex: string;
  beforeAll(async () => {
    h = await startHarness();
    admin = await h.key('admin', 'acme');
    auditor = await h.key('auditor', 'acme');
    globex = await h.key('admin', 'globex');
  });
  afterAll(async () => h.close());

  it('issues a key in the admin\'s tenant: the secret comes back once and works at once; the store keeps only the hash', async () => {
    const r = await h.call('POST', '/v1/keys', { key: admin, body: { role: 'agent', agentId: 'a7', name: 'Ann desk' } });
    expect(r.statusCode).toBe(201);
    const created = r.json();
    expect(created).toMatchObject({ role: 'agent', tenant: 'acme', agentId: 'a7', name: 'Ann desk', revokedAt: null, secret: expect.stringMatching(/^ll_[0-9a-f]{20}\./) });
    const stored = await h.events(`apikey-${created.keyId}`);
    expect(stored.map((e) => e.type)).toEqual(['ApiKeyCreated']);
    expect(JSON.stringify(stored.map((e) => [e.data, e.metadata]))).not.toContain(created.secret.split('.')[1]);
    expect(stored[0]!.metadata).toMatchObject({ tenant: 'acme', actor: expect.stringMatching(/^admin:/) });
    expect((await h.call('GET', '/v1/agents/a7', { key: created.secret })).statusCode).toBe(404);
    const list = (await h.call('GET', '/v1/keys', { key: auditor })).json().keys as Record<string, unknown>[];
    expect(list.map((k) => k.keyId)).toContain(created.keyId);
    for (const k of list) {
      expect(k).not.toHaveProperty('hash');
      expect(k).not.toHaveProperty('secret');
      expect(k.tenant).toBe('acme');
    }
  });

  it('revokes a key: it is refused from then on (401), and revoking again changes nothing', async () => {
    const { keyId, secret } = (await h.call('POST', '/v1/keys', { key: admin, body: { role: 'supervisor' } })).json();
    expect((await h.call('GET', '/v1/agents/x', { key: secret })).statusCode).toBe(404);
    const r = await h.call('DELETE', `/v1/keys/${keyId}`, { key: admin });
    expect([r.statusCode, r.json().revokedAt]).toEqual([200, expect.any(Number)]);
    const denied = await h.call('GET', '/v1/agents/x', { key: secret });
    expect([denied.statusCode, denied.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await h.call('DELETE', `/v1/keys/${keyId}`, { key: admin })).statusCode).toBe(200);
    expect((await h.events(`apikey-${keyId}`)).map((e) => e.type)).toEqual(['ApiKeyCreated', 'ApiKeyRevoked']);
  });

  it('keeps tenants apart: another tenant\'s admin neither lists nor revokes acme keys (404)', async () => {
    const { keyId } = (await h.call('POST', '/v1/keys', { key: admin, body: { role: 'auditor' } })).json();
    const list = (await h.call('GET', '/v1/keys', { key: globex })).json().keys as { keyId: string; tenant: string }[];
    expect(list.every((k) => k.tenant === 'globex')).toBe(true);
    expect(list.map((k) => k.keyId)).not.toContain(keyId);
    const r = await h.call('DELETE', `/v1/keys/${keyId}`, { key: globex });
    expect([r.statusCode, r.json().error.code]).toEqual([404, 'NOT_FOUND']);
    expect(await h.events(`apikey-${keyId}`)).toHaveLength(1);
  });

  it('rejects bad input with the offending path', async () => {
    for (const [method, url, body, path] of [
      ['POST', '/v1/keys', { role: 'root' }, 'body.role'],
      ['POST', '/v1/keys', { role: 'agent' }, 'agentId'],
      ['POST', '/v1/keys', { role: 'auditor', agentId: 'a1' }, 'agentId'],
      ['POST', '/v1/keys', { role: 'auditor', tenant: 'globex' }, 'body.tenant'],
      ['DELETE', '/v1/keys/not-a-key', undefined, 'params.keyId'],
    ] as const) {
      const r = await h.call(method, url, { key: admin, ...(body ? { body } : {}) });
      expect([url, r.statusCode, r.json().error?.details?.path], r.body).toEqual([url, 400, path]);
    }
  });
});
