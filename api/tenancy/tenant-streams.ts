/*
 * Tenant scoping rule: every resource id a client names is scoped to the caller's tenant by the STREAM NAME.
 * The stream of agent `a1` of tenant `acme` is `agent-acme.a1` (likewise `queue-acme.q1`, `ivrflow-acme.f1`,
 * `call-acme.c1`); the event data keeps the bare id the client uses. A tenant id has no `.` so the split is
 * unambiguous. Consequences: two tenants may both have an agent `a1` without knowing of each other, a key of tenant
 * B asking for `a1` reads B's (absent) stream and gets 404, never A's data, and no code path can reach another
 * tenant's stream because the tenant comes from the authenticated key, never from the request. Each event's
 * metadata also carries `tenant` (handleCommand's context), so projections can group without parsing names.
 */
import { z } from 'zod';

/** A tenant id: lowercase letters, digits, `_` and `-`, 1–63 characters, no `.` (the stream-name separator). */
export const tenantSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, _ and -, starting with a letter or digit, at most 63');

/** The id inside a tenant-scoped stream name: `<tenant>.<id>`. */
export function scopedId(tenant: string, id: string): string {
  return `${tenant}.${id}`;
}

/** The stream of resource `id` of `category` in `tenant`, e.g. `agent-acme.a1`. */
export function tenantStream(category: 'agent' | 'queue' | 'ivrflow' | 'call', tenant: string, id: string): string {
  return `${category}-${scopedId(tenant, id)}`;
}

/** Splits a tenant-scoped stream name back into category, tenant and id, or undefined when it is not one. */
export function parseTenantStream(stream: string): { category: string; tenant: string; id: string } | undefined {
  const m = /^([a-z]+)-([a-z0-9][a-z0-9_-]{0,62})\.(.+)$/.exec(stream);
  return m ? { category: m[1]!, tenant: m[2]!, id: m[3]! } : undefined;
}
