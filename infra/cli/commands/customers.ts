import { importCustomerFile } from '../../../adapters/crm/customer-file.ts';
import { isLedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { tenantSchema } from '../../../domain/shared/tenant-stream.ts';
import { openProjectionEnvironment } from '../../../projections/open-projection-environment.ts';
import { loadConfig } from '../../config/config.ts';

const USAGE = 'Usage: ./ledgerline customers import <file.csv|file.json> [--tenant <t>]';

/** `customers import`: loads customers (the built-in look-up's table) from a CSV or JSON file, all or nothing. */
export async function run(args: string[]): Promise<number> {
  const [verb, file, ...rest] = args;
  if (verb !== 'import' || file === undefined) {
    console.error(USAGE);
    return 2;
  }
  let tenant: string | undefined;
  if (rest.length > 0) {
    if (rest[0] !== '--tenant' || rest[1] === undefined || rest.length > 2 || !tenantSchema.safeParse(rest[1]).success) {
      console.error(`${USAGE}\n  --tenant: lowercase letters, digits, _ and -`);
      return 2;
    }
    tenant = rest[1];
  }
  const config = loadConfig();
  const env = await openProjectionEnvironment({ eventStoreUrl: config.EVENT_STORE_URL, databaseUrl: config.DATABASE_URL });
  try {
    const { upserted } = await importCustomerFile(env.db, tenant, file);
    console.log(`imported ${upserted} customers${tenant ? ` for tenant ${tenant}` : ''}`);
    return 0;
  } catch (err) {
    if (isLedgerlineError(err)) {
      console.error(`ledgerline customers: ${err.code}: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await env.close();
  }
}
