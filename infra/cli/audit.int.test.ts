// `./ledgerline audit verify` as an auditor runs it: exit 0 on an intact log, 1 with the first broken link named.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStore } from '../../adapters/event-store/open-event-store.ts';
import { createTestDatabase, type TestDatabase } from '../test-support/services.ts';

const run = promisify(execFile);
const launcher = fileURLToPath(new URL('../../ledgerline', import.meta.url));

async function audit(url: string, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(launcher, ['audit', 'verify', ...args], { env: { ...process.env, EVENT_STORE_URL: url } });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('./ledgerline audit verify', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('audit_cli');
    const store = await openEventStore(db.url);
    for (let i = 0; i < 3; i++) {
      await store.appendToStream(`call-${i}`, [
        { id: `00000000-0000-4000-8000-00000000000${i}`, type: 'CallArrived', data: { n: i } },
        { id: `00000000-0000-4000-8000-00000000010${i}`, type: 'CallEnded', data: { n: i } },
      ]);
    }
    await store.close();
  });
  afterAll(async () => db.drop());

  it('reports an intact log with the number of streams and events', async () => {
    const r = await audit(db.url);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/chain ok: 3 stream\(s\), 6 event\(s\)/);
  });

  it('verifies a single stream with --stream', async () => {
    const r = await audit(db.url, '--stream', 'call-1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1 stream\(s\), 2 event\(s\)/);
  });

  it('names the first broken link after a row was altered behind the store\'s back', async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query(`UPDATE ll_events SET data = '{"n":99}' WHERE stream_id = 'call-2' AND revision = 1`);
    await c.end();
    const r = await audit(db.url);
    expect(r.code).toBe(1);
    expect(r.out).toContain('chain BROKEN at call-2@1');
  });

  it('explains its usage on a wrong call', async () => {
    const r = await audit(db.url, '--stream');
    expect(r.code).toBe(2);
  });
});
