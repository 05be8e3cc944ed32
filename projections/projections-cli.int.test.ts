import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../infra/cli/commands/projections.ts';
import { isLedgerlineError } from '../domain/errors/ledgerline-error.ts';
import { openProjectionEnvironment } from './open-projection-environment.ts';
import { liveBuild } from './runtime/catalog.ts';
import { appendSampleEvents } from './runtime/testing.ts';

// The command reads EVENT_STORE_URL like the real CLI; a PGlite directory stands in for the deployment.
describe('./ledgerline projections (on a PGlite directory)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-projections-cli-'));
  const url = `pglite:${join(dir, 'db')}`;
  const saved = process.env.EVENT_STORE_URL;
  beforeAll(async () => {
    process.env.EVENT_STORE_URL = url;
    const env = await openProjectionEnvironment({ eventStoreUrl: url });
    await appendSampleEvents(env.store, 30);
    await env.close();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.EVENT_STORE_URL;
    else process.env.EVENT_STORE_URL = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuild stream_stats builds it, makes it live at the head, and a second rebuild replaces that build', async () => {
    expect(await run(['rebuild', 'stream_stats'])).toBe(0);
    expect(await run(['rebuild', 'stream_stats'])).toBe(0);
    const env = await openProjectionEnvironment({ eventStoreUrl: url });
    try {
      const live = await liveBuild(env.db, 'stream_stats');
      expect(live).toMatchObject({ build: 2, version: 1, eventsHandled: 30 });
      expect(live!.position).toEqual(await env.store.headPosition());
    } finally {
      await env.close();
    }
    expect(await run(['status'])).toBe(0);
    expect(await run(['status', '--json'])).toBe(0);
  });

  it('answers usage errors with exit code 2 and an unknown projection with NOT_FOUND', async () => {
    expect(await run([])).toBe(2);
    expect(await run(['rebuild'])).toBe(2);
    const e = await run(['rebuild', 'no_such']).catch((err: unknown) => err);
    expect(isLedgerlineError(e, 'NOT_FOUND')).toBe(true);
  });
});
