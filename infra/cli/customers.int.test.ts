// `./ledgerline customers import` as a real process: a CSV lands in the customers table the built-in look-up reads,
// per tenant; a bad file is refused with a coded message and a non-zero exit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SqlCustomerLookup } from '../../adapters/crm/sql-customer-lookup.ts';
import { openProjectionEnvironment } from '../../projections/open-projection-environment.ts';

const launcher = join(fileURLToPath(new URL('../..', import.meta.url)), 'ledgerline');
const dir = mkdtempSync(join(tmpdir(), 'll-customers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (...args: string[]) => spawnSync(launcher, ['customers', ...args], { env: { ...process.env, EVENT_STORE_URL: `pglite:${join(dir, 'store')}` }, encoding: 'utf8' });

describe('./ledgerline customers import', () => {
  it('loads a CSV for a tenant; the built-in look-up then finds the caller by number, in that tenant only', async () => {
    const file = join(dir, 'customers.csv');
    writeFileSync(file, 'id,phone_numbers,name,tier\nc1,+15550001,Ada Müller,gold\nc2,+15550002;+15550003,Bob Smith,silver\n');
    const out = run('import', file, '--tenant', 'demo');
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('imported 2 customers for tenant demo');
    const env = await openProjectionEnvironment({ eventStoreUrl: `pglite:${join(dir, 'store')}` });
    try {
      const lookup = new SqlCustomerLookup({ db: env.db });
      expect(await lookup.lookup('customer-by-number', { number: '+15550003' }, { tenant: 'demo' })).toMatchObject({ ok: true, values: { id: 'c2', name: 'Bob Smith', tier: 'silver' } });
      expect(await lookup.lookup('customer-by-number', { number: '+15550003' }, { tenant: 'acme' })).toMatchObject({ ok: false, reason: 'not_found' });
    } finally {
      await env.close();
    }
  }, 60_000);

  it('refuses a bad file or bad arguments with a message and a non-zero exit', () => {
    const bad = run('import', join(dir, 'customers.txt'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('VALIDATION_FAILED');
    const usage = run('import');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('Usage: ./ledgerline customers import');
  }, 60_000);
});
