import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { createTestDatabase, type TestDatabase } from '../../infra/test-support/services.ts';
import { PgliteDialect } from '../sql/pglite-dialect.ts';
import { migrateCustomers } from './customers-schema.ts';
import type { CrmLookupFailure } from './lookup-failure.ts';
import { SqlCustomerLookup } from './sql-customer-lookup.ts';
import { upsertCustomers } from './upsert-customers.ts';

interface Backend {
  readonly db: Kysely<unknown>;
  close(): Promise<void>;
}

const backends: Record<string, () => Promise<Backend>> = {
  'PGlite (memory)': async () => {
    const db = new Kysely<unknown>({ dialect: new PgliteDialect({ pglite: new PGlite() }) });
    return { db, close: () => db.destroy() };
  },
  PostgreSQL: async () => {
    const database: TestDatabase = await createTestDatabase('crm_customers');
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 4 }) }) });
    return {
      db,
      async close() {
        await db.destroy();
        await database.drop();
      },
    };
  },
};

const code = (a: unknown) => (a as CrmLookupFailure).code;

describe.each(Object.keys(backends))('SqlCustomerLookup on %s', (label) => {
  let backend: Backend;
  let db: Kysely<unknown>;
  beforeAll(async () => {
    backend = await backends[label]!();
    db = backend.db;
    await migrateCustomers(db);
    // A second run (another process starting) finds nothing to do.
    await migrateCustomers(db);
    await upsertCustomers(db, 'acme', [
      { id: 'c-1', phoneNumbers: ['+32 475 00 00 01', '+32-2-555-01-00'], name: 'Ada Lovelace', tier: 'gold', segment: 'smb', attributes: { openTickets: 2, vip: true, address: { city: 'Brussels' } } },
      { id: 'c-2', phoneNumbers: ['+32475000002'], name: 'Alan Turing' },
    ]);
    await upsertCustomers(db, 'globex', [{ id: 'g-1', phoneNumbers: ['+32475000001'], name: 'Grace Hopper', tier: 'silver' }]);
    await upsertCustomers(db, undefined, [{ id: 'd-1', phoneNumbers: ['3225550199'], tier: 'standard' }]);
  });
  afterAll(async () => backend.close());

  it('finds a customer by phone number in any spelling, with its fields and scalar attributes', async () => {
    const l = new SqlCustomerLookup({ db, tenant: 'acme' });
    const expected = { ok: true, values: { id: 'c-1', name: 'Ada Lovelace', tier: 'gold', segment: 'smb', 'attributes.openTickets': 2, 'attributes.vip': true } };
    expect(await l.lookup('customer-by-number', { number: '+32475000001' })).toEqual(expected);
    expect(await l.lookup('customer-by-number', { number: '32 475 00 00 01' })).toEqual(expected);
    expect(await l.lookup('customer-by-phone', { phone: '+3225550100' })).toEqual(expected);
  });

  it('finds a customer by id; unset fields are null', async () => {
    const l = new SqlCustomerLookup({ db, tenant: 'acme' });
    expect(await l.lookup('customer-by-id', { id: 'c-2' })).toEqual({ ok: true, values: { id: 'c-2', name: 'Alan Turing', tier: null, segment: null } });
  });

  it('keeps tenants apart: the same number answers each tenant its own customer, the default tenant its own', async () => {
    expect(await new SqlCustomerLookup({ db, tenant: 'globex' }).lookup('customer-by-number', { number: '+32475000001' })).toMatchObject({ ok: true, values: { id: 'g-1', tier: 'silver' } });
    const acme = new SqlCustomerLookup({ db, tenant: 'acme' });
    expect(await acme.lookup('customer-by-number', { number: '+32475000001' }, { tenant: 'globex' })).toMatchObject({ values: { id: 'g-1' } });
    expect(code(await acme.lookup('customer-by-id', { id: 'g-1' }))).toBe('CRM_NOT_FOUND');
    expect(code(await acme.lookup('customer-by-number', { number: '3225550199' }))).toBe('CRM_NOT_FOUND');
    expect(await new SqlCustomerLookup({ db }).lookup('customer-by-number', { number: '+3225550199' })).toMatchObject({ ok: true, values: { id: 'd-1', tier: 'standard' } });
  });

  it('answers not_found with a code for no row, no usable key and an unknown look-up name', async () => {
    const l = new SqlCustomerLookup({ db, tenant: 'acme' });
    const none = await l.lookup('customer-by-number', { number: '+32475999999' });
    expect(none).toEqual({ ok: false, reason: 'not_found', code: 'CRM_NOT_FOUND', message: expect.stringMatching(/^CRM_NOT_FOUND: /) });
    expect(code(await l.lookup('customer-by-number', { number: null }))).toBe('CRM_NO_KEY');
    expect(code(await l.lookup('customer-by-number', { number: 'anonymous' }))).toBe('CRM_NO_KEY');
    expect(code(await l.lookup('billing.balance', { account: '1' }))).toBe('CRM_UNKNOWN_LOOKUP');
  });

  it('upserting replaces a customer and its numbers; the newest of customers sharing a number answers', async () => {
    await upsertCustomers(db, 'acme', [{ id: 'c-2', phoneNumbers: ['+32475000003'], name: 'Alan M. Turing', tier: 'platinum' }]);
    const l = new SqlCustomerLookup({ db, tenant: 'acme' });
    expect(code(await l.lookup('customer-by-number', { number: '+32475000002' }))).toBe('CRM_NOT_FOUND');
    expect(await l.lookup('customer-by-number', { number: '+32475000003' })).toMatchObject({ values: { id: 'c-2', name: 'Alan M. Turing', tier: 'platinum' } });
    // Force distinct update times: now() is the transaction's start, the same for two rows of one import.
    await upsertCustomers(db, 'acme', [{ id: 'c-3', phoneNumbers: ['+32475000003'], name: 'Shared line' }]);
    await sql`UPDATE customers SET updated_at = updated_at - interval '1 hour' WHERE tenant = 'acme' AND id = 'c-2'`.execute(db);
    expect(await l.lookup('customer-by-number', { number: '+32475000003' })).toMatchObject({ values: { id: 'c-3' } });
  });

  it('validates every row before writing any: a bad row refuses the whole import with VALIDATION_FAILED', async () => {
    const bad = [{ id: 'c-9', phoneNumbers: ['+32475000009'] }, { id: 'c-10', phoneNumbers: ['n/a'] }];
    let error: unknown;
    try {
      await upsertCustomers(db, 'acme', bad);
    } catch (e) {
      error = e;
    }
    expect(isLedgerlineError(error, 'VALIDATION_FAILED')).toBe(true);
    expect((error as { details: { row: number } }).details.row).toBe(2);
    expect(code(await new SqlCustomerLookup({ db, tenant: 'acme' }).lookup('customer-by-id', { id: 'c-9' }))).toBe('CRM_NOT_FOUND');
    await expect(upsertCustomers(db, 'Not A Tenant', [])).rejects.toThrow(/Invalid tenant/);
    await expect(upsertCustomers(db, 'acme', [{ id: 'x', extra: 1 }])).rejects.toThrow(/Customer row 1/);
    expect(await upsertCustomers(db, 'acme', [])).toEqual({ upserted: 0 });
  });

  it('imports many rows in chunks, an id given twice keeping its last row', async () => {
    const rows = Array.from({ length: 1203 }, (_, i) => ({ id: `bulk-${i % 1200}`, phoneNumbers: [`+3290${String(i % 1200).padStart(7, '0')}`], tier: i >= 1200 ? 'last' : 'first' }));
    expect(await upsertCustomers(db, 'bulk', rows)).toEqual({ upserted: 1200 });
    const l = new SqlCustomerLookup({ db, tenant: 'bulk' });
    expect(await l.lookup('customer-by-id', { id: 'bulk-2' })).toMatchObject({ values: { tier: 'last' } });
    expect(await l.lookup('customer-by-number', { number: '+32900001199' })).toMatchObject({ values: { id: 'bulk-1199', tier: 'first' } });
  });

  it('answers CRM_QUERY_FAILED, without throwing, when the table is missing', async () => {
    const empty = await backends['PGlite (memory)']!();
    try {
      const a = await new SqlCustomerLookup({ db: empty.db }).lookup('customer-by-id', { id: 'c-1' });
      expect([a.ok, !a.ok && a.reason, code(a)]).toEqual([false, 'error', 'CRM_QUERY_FAILED']);
    } finally {
      await empty.close();
    }
  });
});
