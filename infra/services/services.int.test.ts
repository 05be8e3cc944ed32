// The local services that `make test` starts are really there and behave as the rest of the suite assumes.
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, services, type TestDatabase } from '../test-support/services.ts';

describe('PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('services');
  });
  afterAll(async () => db.drop());

  it('is version 15 and gives each test file its own database', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ v: string; d: string }>('SELECT current_setting(\'server_version_num\') AS v, current_database() AS d');
      expect(Number(rows[0]!.v)).toBeGreaterThanOrEqual(150000);
      expect(rows[0]!.d).toBe(db.name);
      // xid8 snapshot functions, which the event store's ordering relies on.
      const snap = await client.query('SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin');
      expect(snap.rows[0].xmin).toBeDefined();
    } finally {
      await client.end();
    }
  });
});

describe('NATS JetStream', () => {
  it('stores a message once when published twice with the same msgID', async () => {
    const nc = await connect({ servers: services.natsUrl });
    try {
      const jsm = await jetstreamManager(nc);
      const name = `SVC_${process.pid}_${Date.now()}`;
      await jsm.streams.add({ name, subjects: [`${name}.>`], duplicate_window: 60_000_000_000 });
      const js = jetstream(nc);
      const first = await js.publish(`${name}.a`, 'x', { msgID: 'event-1' });
      const second = await js.publish(`${name}.a`, 'x', { msgID: 'event-1' });
      expect(first.duplicate).toBe(false);
      expect(second.duplicate).toBe(true);
      const info = await jsm.streams.info(name);
      expect(info.state.messages).toBe(1);
      await jsm.streams.delete(name);
    } finally {
      await nc.close();
    }
  });
});

describe('ClickHouse', () => {
  const query = async (sql: string): Promise<string> => {
    const res = await fetch(`${services.clickhouseUrl}/`, { method: 'POST', body: sql });
    const text = await res.text();
    if (!res.ok) throw new Error(`ClickHouse ${res.status}: ${text}`);
    return text;
  };

  it('answers over HTTP and round-trips a MergeTree insert', async () => {
    const version = (await query('SELECT version()')).trim();
    expect(version).toMatch(/^\d+\.\d+/);
    const table = `svc_${process.pid}_${Date.now()}`;
    await query(`CREATE TABLE ${table} (d Date, id String, n UInt32) ENGINE = MergeTree(d, (id), 8192)`);
    try {
      await query(`INSERT INTO ${table} FORMAT JSONEachRow {"d":"2026-11-22","id":"a'b","n":1}\n{"d":"2026-11-22","id":"c","n":2}`);
      expect((await query(`SELECT sum(n) FROM ${table}`)).trim()).toBe('3');
      expect((await query(`SELECT count() FROM ${table} WHERE id = 'a\\'b'`)).trim()).toBe('1');
    } finally {
      await query(`DROP TABLE ${table}`);
    }
  });
});
