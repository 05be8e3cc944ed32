// `./ledgerline serve` as a real process: it opens the embedded store, answers /healthz and /readyz, stops on SIGINT,
// and keeps its state across restarts; a bad setting stops it with a message naming the variable.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openEventStore } from '../../adapters/event-store/open-event-store.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const launcher = join(root, 'ledgerline');
const dir = mkdtempSync(join(tmpdir(), 'll-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function start(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let out = '';
  const child = spawn(launcher, ['serve'], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitForHealth(url: string, exited: Promise<unknown>): Promise<Response> {
  let done = false;
  void exited.then(() => (done = true));
  for (let i = 0; i < 600 && !done; i++) {
    try {
      return await fetch(url);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('serve never answered');
}

describe('./ledgerline serve', () => {
  it('serves /healthz and /readyz on the embedded store, prints where it listens, and stops on SIGINT', async () => {
    const port = await freePort();
    const run = start({ EVENT_STORE_URL: `pglite:${join(dir, 'store')}`, HTTP_PORT: String(port) });
    const health = await waitForHealth(`http://127.0.0.1:${port}/healthz`, run.exited);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(run.output()).toContain(`listening on http://127.0.0.1:${port}`);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('keeps what was stored in .data across restarts', async () => {
    const storeDir = join(dir, 'kept');
    const store = await openEventStore(`pglite:${storeDir}`);
    await store.appendToStream('probe-1', [{ id: '8d7c3c58-2d0c-4c55-9e8f-0f8a1d1d0b01', type: 'ProbeWritten', data: {} }]);
    await store.close();
    const port = await freePort();
    const run = start({ EVENT_STORE_URL: `pglite:${storeDir}`, HTTP_PORT: String(port) });
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, run.exited);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    const reopened = await openEventStore(`pglite:${storeDir}`);
    const events = [];
    for await (const e of reopened.readStream('probe-1')) events.push(e.type);
    await reopened.close();
    expect(events).toEqual(['ProbeWritten']);
  });

  it('refuses to start on a bad setting and names the variable', async () => {
    const run = start({ HTTP_PORT: 'not-a-port' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('CONFIG_INVALID');
    expect(run.output()).toContain('HTTP_PORT');
  });
});
