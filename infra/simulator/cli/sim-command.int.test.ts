// `./ledgerline sim` as a process: listens, speaks ESL, stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RawEslClient } from '../testing/raw-esl-client.ts';

const command = fileURLToPath(new URL('../../cli/commands/sim.ts', import.meta.url));

describe('sim command', () => {
  it('serves ESL with the given password and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e',
      `import(${JSON.stringify(command)}).then((m) => m.run(['--port', '0', '--password', 's3cret', '--busy', '1001', '--rate', '0'])).then((c) => process.exit(c))`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const t = setInterval(() => {
        const m = /on 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearInterval(t);
          resolve(Number(m[1]));
        }
      }, 20);
      child.once('exit', () => reject(new Error(out)));
    });
    const c = await RawEslClient.authed(port, 's3cret');
    c.send('api originate user/1001 &park()');
    expect((await c.next()).body).toBe('-ERR USER_BUSY\n');
    c.close();
    const code = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await code).toBe(0);
    expect(out).toContain('stopping');
  });

  it('exits non-zero with a coded error on bad flags', async () => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e',
      `import(${JSON.stringify(command)}).then((m) => m.run(['--port', 'x'])).catch((e) => { console.error(e.code); process.exit(2); })`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('VALIDATION_FAILED');
  });
});
