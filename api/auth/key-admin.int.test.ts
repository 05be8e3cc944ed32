// The keys CLI against a real store, and a running app following keys issued by another writer without restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { build } from '../build.ts';
import { parseKeysArgs, runKeysCommand } from './key-admin.ts';

async function cli(store: EventStore, ...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runKeysCommand(store, parseKeysArgs(args), (l) => lines.push(l), () => 1_700_000_000_000);
  return { code, lines };
}

async function eventually<T>(probe: () => Promise<T>, ok: (t: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const t = await probe();
    if (ok(t) || i >= 300) return t;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('keys CLI', () => {
  let store: EventStore;
  beforeEach(async () => {
    store = await openEventStore('pglite:memory');
  });
  afterEach(async () => store.close());

  it('creates (printing the secret once), lists without secrets, and revokes', async () => {
    const created = await cli(store, 'create', '--role', 'supervisor', '--tenant', 'acme', '--name', 'floor lead');
    expect(created.code).toBe(0);
    const secret = created.lines[2]!;
    const keyId = /key ([0-9a-f]{20})/.exec(created.lines[0]!)![1]!;
    expect(secret).toMatch(new RegExp(`^ll_${keyId}\\.`));
    await cli(store, 'create', '--role', 'agent', '--tenant', 'globex', '--agent', 'a1');

    const listed = await cli(store, 'list');
    expect(listed.lines).toHaveLength(3);
    expect(listed.lines.join('\n')).not.toContain(secret.split('.')[1]);
    expect(listed.lines[1]).toContain(keyId);
    expect((await cli(store, 'list', '--tenant', 'globex')).lines.slice(1).every((l) => l.includes('globex'))).toBe(true);

    expect((await cli(store, 'revoke', keyId)).lines).toEqual([`revoked key ${keyId}`]);
    expect((await cli(store, 'revoke', keyId)).lines).toEqual([`key ${keyId} was already revoked`]);
    expect((await cli(store, 'list', '--tenant', 'acme')).lines[1]).toContain('revoked');
    expect(await cli(store, 'revoke', '0'.repeat(20))).toEqual({ code: 1, lines: [`No API key ${'0'.repeat(20)}`] });
  });

  it('a running app accepts a key created after it started, and refuses it once revoked, without restart', async () => {
    const app = await build({ store });
    try {
      const created = await cli(store, 'create', '--role', 'auditor', '--tenant', 'acme');
      const auth = { authorization: `Bearer ${created.lines[2]}` };
      const ok = await eventually(() => app.inject({ method: 'GET', url: '/v1/keys', headers: auth }), (r) => r.statusCode === 200);
      expect(ok.statusCode).toBe(200);
      await cli(store, 'revoke', /key ([0-9a-f]{20})/.exec(created.lines[0]!)![1]!);
      const denied = await eventually(() => app.inject({ method: 'GET', url: '/v1/keys', headers: auth }), (r) => r.statusCode === 401);
      expect(denied.statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('an app started on a store with keys knows them before it serves its first request', async () => {
    const created = await cli(store, 'create', '--role', 'auditor', '--tenant', 'acme');
    const app = await build({ store });
    try {
      const r = await app.inject({ method: 'GET', url: '/v1/keys', headers: { authorization: `Bearer ${created.lines[2]}` } });
      expect(r.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
