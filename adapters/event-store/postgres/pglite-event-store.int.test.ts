import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEventStoreContract, event } from '../contract/event-store-contract.ts';
import { openPgliteEventStore } from './open-pglite.ts';

describeEventStoreContract('PGlite in memory', () => openPgliteEventStore(undefined, { pollIntervalMs: 10 }), { writers: 8, appendsPerWriter: 10 });

const dir = mkdtempSync(join(tmpdir(), 'll-pglite-es-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PGlite in a directory', () => {
  it('Given events written and the store closed, When reopened on the same directory, Then the events and the chain are still there', async () => {
    const first = await openPgliteEventStore(dir);
    const e = event('Persisted', { n: 1 });
    await first.appendToStream('call-persist', e, { expectedRevision: 'no_stream' });
    await first.close();

    const second = await openPgliteEventStore(dir);
    try {
      const read = [];
      for await (const x of second.readStream('call-persist')) read.push(x);
      expect(read.map((x) => x.id)).toEqual([e.id]);
      expect(await second.verifyChain()).toEqual({ ok: true, streams: 1, events: 1 });
      expect((await second.appendToStream('call-persist', event('Again', 2), { expectedRevision: 0n })).nextExpectedRevision).toBe(1n);
    } finally {
      await second.close();
    }
  });
});
