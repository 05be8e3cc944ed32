import { describe, expect, it } from 'vitest';
import { ApiKeyIndex } from './api-key-index.ts';

const created = (keyId: string, tenant: string, at: number) => ({
  type: 'ApiKeyCreated' as const,
  data: { keyId, hash: `sha256:${'0'.repeat(64)}`, role: 'auditor' as const, tenant, agentId: null, name: '', at },
});

describe('ApiKeyIndex.apply', () => {
  it('folds created and revoked events; applying one twice (own append, then the subscription) changes nothing', () => {
    const index = new ApiKeyIndex();
    index.apply(created('k1', 'acme', 10));
    index.apply(created('k1', 'acme', 99));
    expect(index.get('k1')).toMatchObject({ createdAt: 10, revokedAt: null });
    index.apply({ type: 'ApiKeyRevoked', data: { keyId: 'k1', at: 20 } });
    index.apply({ type: 'ApiKeyRevoked', data: { keyId: 'k1', at: 30 } });
    expect(index.get('k1')?.revokedAt).toBe(20);
  });

  it('lists per tenant, oldest first, and names the tenants', () => {
    const index = new ApiKeyIndex();
    index.apply(created('k2', 'acme', 20));
    index.apply(created('k1', 'acme', 10));
    index.apply(created('k3', 'globex', 5));
    expect(index.list('acme').map((k) => k.keyId)).toEqual(['k1', 'k2']);
    expect(index.list('nobody')).toEqual([]);
    expect(index.tenants()).toEqual(['acme', 'globex']);
  });

  it('is not ready before it started', () => {
    expect(() => new ApiKeyIndex().check()).toThrow(/not started/);
  });
});
