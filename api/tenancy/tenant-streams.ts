/*
 * Tenant scoping rule (see domain/shared/tenant-stream.ts): every resource id a client names is scoped to the
 * caller's tenant by the STREAM NAME (`agent-acme.a1`); the event data keeps the bare id. Consequences: two tenants
 * may both have an agent `a1` without knowing of each other, a key of tenant B asking for `a1` reads B's (absent)
 * stream and gets 404, never A's data, and no code path can reach another tenant's stream because the tenant comes
 * from the authenticated key, never from the request. Each event's metadata also carries `tenant` (handleCommand's
 * context), so projections can group without parsing names.
 */
import { parseTenantStream as parseAnyStream } from '../../domain/shared/tenant-stream.ts';

export { scopedId, tenantSchema, tenantStream } from '../../domain/shared/tenant-stream.ts';

/** Splits a tenant-scoped stream name into category, tenant and id, or undefined when it is not tenant-scoped. */
export function parseTenantStream(stream: string): { category: string; tenant: string; id: string } | undefined {
  const parsed = /^[a-z]+-/.test(stream) ? parseAnyStream(stream) : undefined;
  return parsed?.tenant === undefined ? undefined : { category: parsed.category, tenant: parsed.tenant, id: parsed.id };
}
