// `make run`'s demo as a whole, in process: the simulator's callers reach the engine over ESL, the wallboard's key
// reads a dashboard where calls flow through the demo queues, and a restart on the same .data keeps the state and
// the key (a key file left from another store is replaced, never trusted).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { waitUntil } from '../e2e/wait-until.ts';
import { startDemo } from './run-demo.ts';

const dir = mkdtempSync(join(tmpdir(), 'll-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface QueueView {
  queueId: string;
  today: { offered: number; answered: number };
}

async function dashboard(url: string): Promise<{ status: number; queues: QueueView[] }> {
  const [base, key] = url.split('/#key=') as [string, string];
  const res = await fetch(`${base}/v1/dashboard`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, queues: res.status === 200 ? ((await res.json()) as { queues: QueueView[] }).queues : [] };
}

describe('the demo (make run)', () => {
  const config = { ...loadConfig({ EVENT_STORE_URL: `pglite:${join(dir, 'store')}`, HTTP_PORT: '0', LOG_LEVEL: 'silent' }) };
  const keyFile = join(dir, 'wallboard-key');
  let firstUrl = '';

  it('answers calls on the demo queues, shown on the dashboard the wallboard key reads', async () => {
    writeFileSync(keyFile, 'll_0000000000000000000a.not-a-key-of-this-store\n');
    const demo = await startDemo(config, { keyFile, ratePerSecond: 1 });
    try {
      let queues: QueueView[] = [];
      await waitUntil(async () => {
        const d = await dashboard(demo.wallboardUrl);
        queues = d.queues;
        return d.status === 200 && queues.some((q) => q.today.answered > 0);
      }, 'a call answered on the demo dashboard', 110_000, 500);
      expect(queues.map((q) => q.queueId).sort()).toEqual(['sales', 'support']);
      expect(demo.wallboardUrl).not.toContain('not-a-key-of-this-store');
      firstUrl = demo.wallboardUrl;
    } finally {
      await demo.stop();
    }
  }, 180_000);

  it('restarts on the same .data with its state and the same wallboard key', async () => {
    const demo = await startDemo(config, { keyFile, ratePerSecond: 0.2 });
    try {
      expect(demo.wallboardUrl.split('#key=')[1]).toBe(firstUrl.split('#key=')[1]);
      const d = await dashboard(demo.wallboardUrl);
      expect(d.status).toBe(200);
      expect(d.queues.reduce((n, q) => n + q.today.offered, 0)).toBeGreaterThan(0);
    } finally {
      await demo.stop();
    }
  }, 300_000);
});
