// Where the project's local services listen (infra/services/ports.env), and per-test-file databases on them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const portsFile = fileURLToPath(new URL('../services/ports.env', import.meta.url));
const ports = Object.fromEntries(
  readFileSync(portsFile, 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => l.split('=', 2) as [string, string]),
);

const pgUser = ports.LEDGERLINE_PG_USER;
const pgPassword = ports.LEDGERLINE_PG_PASSWORD;

/** Connection URLs of the local services (overridable by TEST_* variables). */
export const services = {
  postgresAdminUrl: process.env.TEST_POSTGRES_URL ?? `postgres://${pgUser}:${pgPassword}@127.0.0.1:${ports.LEDGERLINE_PG_PORT}/postgres`,
  natsUrl: process.env.TEST_NATS_URL ?? `nats://127.0.0.1:${ports.LEDGERLINE_NATS_PORT}`,
  clickhouseUrl: process.env.TEST_CLICKHOUSE_URL ?? `http://127.0.0.1:${ports.LEDGERLINE_CLICKHOUSE_HTTP_PORT}`,
  esdbUrl: process.env.ESDB_URL,
};

/** A fresh database on the shared local PostgreSQL, for one integration test file. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates a uniquely named database on the local server; `drop()` removes it. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${Date.now().toString(36)}`.slice(0, 63);
  const admin = new pg.Client({ connectionString: services.postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(services.postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: services.postgresAdminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
