/*
 * Tenant scoping rule: a tenant-scoped resource lives in stream `<category>-<tenant>.<id>` (`agent-acme.a1`,
 * `queue-acme.q1`, `ivrflow-acme.f1`, `call-acme.c1`); the event data keeps the bare id, the event metadata carries
 * `tenant`. The default (untenanted) tenant uses bare streams `<category>-<id>`. A tenant id has no `.`, so the
 * split is unambiguous as long as a default-tenant id does not itself look like `<tenant>.<rest>`.
 * The "scoped id" is the stream name without `<category>-`: `acme.a1`, or `a1` for the default tenant; it is what
 * the engine puts in switch channel variables and derives deterministic ids from, so two tenants never collide.
 */
import { z } from 'zod';
import { LedgerlineError } from '../errors/ledgerline-error.ts';

const TENANT_PATTERN = '[a-z0-9][a-z0-9_-]{0,62}';

/** A tenant id: lowercase letters, digits, `_` and `-`, 1–63 characters, no `.` (the stream-name separator). */
export const tenantSchema = z.string().regex(new RegExp(`^${TENANT_PATTERN}$`), 'lowercase letters, digits, _ and -, starting with a letter or digit, at most 63');

/** A stream name split into its parts; `tenant` is undefined for a default-tenant (bare) stream. */
export interface TenantStreamName {
  readonly category: string;
  readonly tenant: string | undefined;
  readonly id: string;
}

/** The id inside a stream name: `<tenant>.<id>`, or the bare `id` for the default tenant. */
export function scopedId(tenant: string | undefined, id: string): string {
  return tenant === undefined ? id : `${tenant}.${id}`;
}

/** The stream of resource `id` of `category` in `tenant`, e.g. `agent-acme.a1`; `agent-a1` for the default tenant. */
export function tenantStream(category: string, tenant: string | undefined, id: string): string {
  return `${category}-${scopedId(tenant, id)}`;
}

const SCOPED = new RegExp(`^(${TENANT_PATTERN})\\.(.+)$`);

/** Splits a scoped id (`acme.a1` or `a1`) into tenant and bare id. */
export function parseScopedId(scoped: string): { tenant: string | undefined; id: string } {
  const m = SCOPED.exec(scoped);
  return m ? { tenant: m[1]!, id: m[2]! } : { tenant: undefined, id: scoped };
}

/** Splits a stream name into category, tenant (undefined for bare streams) and bare id; throws VALIDATION_FAILED when it has no `<category>-`. */
export function parseTenantStream(stream: string): TenantStreamName {
  const m = /^([a-z]+)-(.+)$/.exec(stream);
  if (!m) throw new LedgerlineError('VALIDATION_FAILED', `not a <category>-<id> stream name: ${stream}`, { stream });
  return { category: m[1]!, ...parseScopedId(m[2]!) };
}

/** The scoped id of a stream (the name without `<category>-`): `call-acme.c1` → `acme.c1`. */
export function streamScopedId(stream: string): string {
  const { tenant, id } = parseTenantStream(stream);
  return scopedId(tenant, id);
}
