// TEST SUPPORT: `./ledgerline serve` as a real child process (the way it is deployed), to kill it with SIGKILL and
// start it again, or to run two of them side by side.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A running serve process. */
export interface ServeProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  readonly exited: Promise<number | null>;
  /** SIGKILL: no shutdown code runs. */
  kill9(): Promise<void>;
  /** SIGINT, then waits for the exit. */
  stop(): Promise<number | null>;
}

/** Starts `./ledgerline serve` with `env` on top of this process's environment; resolves once it listens. */
export async function startServeProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ServeProcess> {
  let out = '';
  const child = spawn(join(root, 'ledgerline'), ['serve'], { env: { ...process.env, LOG_LEVEL: 'warn', HTTP_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  while (!/listening on http/.test(out)) {
    if (gone) throw new Error(`serve exited before listening:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve did not listen within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    output: () => out,
    exited,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGINT');
      return exited;
    },
  };
}
