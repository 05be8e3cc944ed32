import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { parseScopedId, parseTenantStream, scopedId, streamScopedId, tenantSchema, tenantStream } from './tenant-stream.ts';

const tenantArb = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/);
const idArb = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,20}$/);

describe('tenant-scoped stream names', () => {
  it('puts the tenant before the id and splits back', () => {
    expect(tenantStream('agent', 'acme', 'a.1')).toBe('agent-acme.a.1');
    expect(parseTenantStream('agent-acme.a.1')).toEqual({ category: 'agent', tenant: 'acme', id: 'a.1' });
  });

  it('uses bare streams for the default tenant and parses them with an undefined tenant', () => {
    expect(tenantStream('call', undefined, 'c1')).toBe('call-c1');
    expect(scopedId(undefined, 'c1')).toBe('c1');
    expect(parseTenantStream('agent-a1')).toEqual({ category: 'agent', tenant: undefined, id: 'a1' });
    expect(parseTenantStream('call-c-1')).toEqual({ category: 'call', tenant: undefined, id: 'c-1' });
  });

  it('gives two tenants, and a tenant and the default, distinct streams for the same id', () => {
    expect(tenantStream('queue', 'a', 'q')).not.toBe(tenantStream('queue', 'b', 'q'));
    expect(tenantStream('queue', 'a', 'q')).not.toBe(tenantStream('queue', undefined, 'q'));
  });

  it('round-trips any tenant and id through the stream name', () => {
    fc.assert(
      fc.property(tenantArb, idArb, (tenant, id) => {
        expect(parseTenantStream(tenantStream('call', tenant, id))).toEqual({ category: 'call', tenant, id });
        expect(streamScopedId(tenantStream('call', tenant, id))).toBe(scopedId(tenant, id));
        expect(parseScopedId(scopedId(tenant, id))).toEqual({ tenant, id });
      }),
    );
  });

  it('rejects a name without a category with a coded error', () => {
    for (const bad of ['nodash', '-x', 'Agent-a1']) {
      let caught: unknown;
      try {
        parseTenantStream(bad);
      } catch (e) {
        caught = e;
      }
      expect(isLedgerlineError(caught, 'VALIDATION_FAILED')).toBe(true);
    }
  });

  it('accepts only tenant ids without the separator', () => {
    expect(tenantSchema.safeParse('acme-eu_1').success).toBe(true);
    for (const bad of ['', 'a.b', 'Acme', '-x', 'a b', 'x'.repeat(64)]) expect(tenantSchema.safeParse(bad).success).toBe(false);
  });
});
