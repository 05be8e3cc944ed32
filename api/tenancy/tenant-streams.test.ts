import { describe, expect, it } from 'vitest';
import { parseTenantStream, tenantSchema, tenantStream } from './tenant-streams.ts';

describe('tenant-scoped stream names', () => {
  it('puts the tenant before the id and splits back', () => {
    expect(tenantStream('agent', 'acme', 'a.1')).toBe('agent-acme.a.1');
    expect(parseTenantStream('agent-acme.a.1')).toEqual({ category: 'agent', tenant: 'acme', id: 'a.1' });
    expect(parseTenantStream('agent-a1')).toBeUndefined();
  });

  it('gives two tenants distinct streams for the same id', () => {
    expect(tenantStream('queue', 'a', 'q')).not.toBe(tenantStream('queue', 'b', 'q'));
  });

  it('accepts only tenant ids without the separator', () => {
    expect(tenantSchema.safeParse('acme-eu_1').success).toBe(true);
    for (const bad of ['', 'a.b', 'Acme', '-x', 'a b', 'x'.repeat(64)]) expect(tenantSchema.safeParse(bad).success).toBe(false);
  });
});
