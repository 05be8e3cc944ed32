// The machine a result was measured on, so figures from different machines are never compared blindly.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import pg from 'pg';

/** Hardware, Node and PostgreSQL facts recorded with every result. */
export interface MachineInfo {
  /** The commit measured (BENCH_GIT_COMMIT, else `git rev-parse HEAD`), and whether the event-store code differed from it. */
  readonly gitCommit: string;
  readonly eventStoreCodeModified: boolean | 'unknown';
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly postgres: string;
  /** Server settings that change write throughput the most. */
  readonly postgresSettings: Record<string, string>;
}

const SETTINGS = ['synchronous_commit', 'fsync', 'wal_sync_method', 'shared_buffers', 'max_connections', 'commit_delay'];

/** Reads the local facts and asks the server at `adminUrl` for its version and settings. */
export async function describeMachine(adminUrl: string): Promise<MachineInfo> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const version = await client.query<{ server_version: string }>('SHOW server_version');
    const settings = await client.query<{ name: string; setting: string; unit: string | null }>(
      'SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)',
      [SETTINGS],
    );
    return {
      ...gitState(),
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      cores: os.availableParallelism(),
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      postgres: version.rows[0]!.server_version,
      postgresSettings: Object.fromEntries(settings.rows.map((r) => [r.name, r.unit ? `${r.setting} (${r.unit})` : r.setting])),
    };
  } finally {
    await client.end();
  }
}

function gitState(): { gitCommit: string; eventStoreCodeModified: boolean | 'unknown' } {
  const run = (args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  let gitCommit = process.env.BENCH_GIT_COMMIT ?? 'unknown';
  // BENCH_CODE_MODIFIED=false: the caller measured a clean export of BENCH_GIT_COMMIT.
  let eventStoreCodeModified: boolean | 'unknown' = process.env.BENCH_CODE_MODIFIED === 'false' ? false : 'unknown';
  try {
    if (gitCommit === 'unknown') gitCommit = run(['rev-parse', 'HEAD']);
    eventStoreCodeModified = run(['status', '--porcelain', '--', 'adapters/event-store']).length > 0;
  } catch {
    // Not a git checkout (e.g. an exported snapshot): keep what the environment said.
  }
  return { gitCommit, eventStoreCodeModified };
}
