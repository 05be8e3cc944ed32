// CPU time spent by this process (the client side of every store) and by the PostgreSQL backends serving one
// database (the server side), so a result says where an event's cost goes, not only how many went through.
import { readdirSync, readFileSync } from 'node:fs';

/** Cumulative CPU microseconds at one instant. */
export interface CpuSample {
  readonly clientUs: number;
  /** Sum over live backends connected to the database; undefined where /proc is not readable. */
  readonly serverUs: number | undefined;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Samples this process and the backends of `database` (matched by their process title). */
export function sampleCpu(database: string | undefined): CpuSample {
  const u = process.cpuUsage();
  return { clientUs: u.user + u.system, serverUs: database === undefined ? undefined : backendCpuUs(database) };
}

function backendCpuUs(database: string): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of pids) {
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      if (!title.startsWith('postgres: ') || !title.includes(` ${database} `)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    } catch {
      // The process ended between listing and reading.
    }
  }
  return (ticks * 1_000_000) / TICKS_PER_SECOND;
}

/** The database name of a postgres:// URL. */
export function databaseOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || undefined;
  } catch {
    return undefined;
  }
}
