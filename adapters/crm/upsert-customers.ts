import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { tenantSchema } from '../../domain/shared/tenant-stream.ts';
import { normalizePhone, tenantColumn, type CrmTables } from './customers-schema.ts';

/** One customer to import: the id is the tenant's own (a CRM key), phone numbers in any common spelling. */
export const customerRowSchema = z.strictObject({
  id: z.string().trim().min(1).max(200),
  phoneNumbers: z
    .array(z.string().refine((p) => normalizePhone(p) !== undefined, 'a phone number with 2 to 20 digits'))
    .max(50)
    .default([]),
  name: z.string().max(500).nullish(),
  tier: z.string().max(100).nullish(),
  segment: z.string().max(100).nullish(),
  /** Anything else the flows may use; top-level scalars become `attributes.<key>` look-up fields. */
  attributes: z.record(z.string(), z.json()).default({}),
});
export type CustomerRow = z.input<typeof customerRowSchema>;

/** Rows per INSERT statement: well under PostgreSQL's 65 535 bind parameters. */
const CHUNK = 500;

/**
 * Inserts or replaces customers of `tenant` (undefined: the default tenant), all or nothing: every row is validated
 * first (VALIDATION_FAILED names the first bad row and its issues), then written in one transaction. A row replaces
 * the stored customer with the same id entirely; an id given twice keeps its last row.
 */
export async function upsertCustomers(db: Kysely<unknown>, tenant: string | undefined, rows: readonly unknown[]): Promise<{ upserted: number }> {
  if (tenant !== undefined && !tenantSchema.safeParse(tenant).success) throw new LedgerlineError('VALIDATION_FAILED', `Invalid tenant ${JSON.stringify(tenant)}`, { tenant });
  const byId = new Map<string, z.output<typeof customerRowSchema>>();
  rows.forEach((row, index) => {
    const r = customerRowSchema.safeParse(row);
    if (!r.success) throw new LedgerlineError('VALIDATION_FAILED', `Customer row ${index + 1}: ${z.prettifyError(r.error)}`, { row: index + 1, issues: r.error.issues });
    byId.set(r.data.id, r.data);
  });
  const values = [...byId.values()].map((c) => ({
    tenant: tenantColumn(tenant),
    id: c.id,
    phone_numbers: [...new Set(c.phoneNumbers.map((p) => normalizePhone(p)!))],
    name: c.name ?? null,
    tier: c.tier ?? null,
    segment: c.segment ?? null,
    attributes: JSON.stringify(c.attributes),
  }));
  if (values.length === 0) return { upserted: 0 };
  const typed = db.withTables<CrmTables>();
  await typed.transaction().execute(async (tx) => {
    for (let i = 0; i < values.length; i += CHUNK) {
      await tx
        .insertInto('customers')
        .values(values.slice(i, i + CHUNK).map((v) => ({ ...v, phone_numbers: sql<string[]>`${toTextArray(v.phone_numbers)}::text[]`, attributes: sql<string>`${v.attributes}::jsonb` })))
        .onConflict((oc) =>
          oc.columns(['tenant', 'id']).doUpdateSet((eb) => ({
            phone_numbers: eb.ref('excluded.phone_numbers'),
            name: eb.ref('excluded.name'),
            tier: eb.ref('excluded.tier'),
            segment: eb.ref('excluded.segment'),
            attributes: eb.ref('excluded.attributes'),
            updated_at: sql`now()`,
          })),
        )
        .execute();
    }
  });
  return { upserted: values.length };
}

/** A PostgreSQL array literal of digit strings (no quoting needed: normalizePhone leaves digits only). */
function toTextArray(digits: readonly string[]): string {
  return `{${digits.join(',')}}`;
}
