/** `projections status` as a text table. Pure. */
import { formatDuration } from './progress.ts';
import { formatPosition } from './position.ts';
import type { ProjectionStatus } from './status.ts';

const HEADERS = ['NAME', 'LIVE VERSION', 'POSITION', 'LAG EVENTS', 'LAG', 'LEASE OWNER', 'STATE'] as const;

/** One row per projection; the error of a failing one on the line below it. */
export function statusTable(rows: readonly ProjectionStatus[]): string {
  const cells = rows.map((s) => [
    s.name,
    liveVersion(s),
    formatPosition(s.position),
    s.live ? s.lagEvents.toLocaleString('en-US') : '–',
    s.live ? (s.lagMs === 0 ? '0s' : formatDuration(s.lagMs)) : '–',
    s.leaseOwner === undefined ? '–' : s.leaseValid ? s.leaseOwner : `${s.leaseOwner} (expired)`,
    s.state === 'rebuilding' && s.pending ? `rebuilding v${s.pending.version} (build ${s.pending.build})` : s.state,
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(HEADERS)];
  rows.forEach((s, i) => {
    out.push(line(cells[i]!));
    if (s.lastError) out.push(`  last error: ${s.lastError}`);
  });
  return out.join('\n');
}

function liveVersion(s: ProjectionStatus): string {
  if (!s.live) return `– (code v${s.codeVersion})`;
  const v = `v${s.live.version} (build ${s.live.build})`;
  return s.live.version === s.codeVersion ? v : `${v}, code v${s.codeVersion}`;
}
