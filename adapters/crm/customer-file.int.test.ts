import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDialect } from '../sql/pglite-dialect.ts';
import { importCustomerFile } from './customer-file.ts';
import { SqlCustomerLookup } from './sql-customer-lookup.ts';

describe('importCustomerFile (PGlite)', () => {
  let dir: string;
  let db: Kysely<unknown>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'll-crm-'));
    db = new Kysely<unknown>({ dialect: new PgliteDialect({ pglite: new PGlite() }) });
  });
  afterAll(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a CSV and a JSON file into one tenant; the look-up finds them', async () => {
    const csv = join(dir, 'customers.csv');
    await writeFile(csv, 'id,name,tier,phones,vip\nc-1,Ada,gold,+32 475 00 00 01,yes\n');
    const json = join(dir, 'more.json');
    await writeFile(json, JSON.stringify({ customers: [{ id: 'c-2', name: 'Alan', phoneNumbers: ['+32475000002'], attributes: { openTickets: 3 } }] }));
    expect(await importCustomerFile(db, 'acme', csv)).toEqual({ upserted: 1 });
    expect(await importCustomerFile(db, 'acme', json)).toEqual({ upserted: 1 });
    const l = new SqlCustomerLookup({ db, tenant: 'acme' });
    expect(await l.lookup('customer-by-number', { number: '+32475000001' })).toEqual({ ok: true, values: { id: 'c-1', name: 'Ada', tier: 'gold', segment: null, 'attributes.vip': 'yes' } });
    expect(await l.lookup('customer-by-number', { number: '+32475000002' })).toMatchObject({ ok: true, values: { id: 'c-2', 'attributes.openTickets': 3 } });
  });

  it('writes nothing from a file with a bad row', async () => {
    const csv = join(dir, 'bad.csv');
    await writeFile(csv, 'id,phones\nc-8,+32475000008\nc-9,unknown\n');
    await expect(importCustomerFile(db, 'acme', csv)).rejects.toThrow(/row 2/);
    const a = await new SqlCustomerLookup({ db, tenant: 'acme' }).lookup('customer-by-id', { id: 'c-8' });
    expect(a.ok).toBe(false);
  });
});
