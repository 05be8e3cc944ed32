import { describe, expect, it } from 'vitest';
import type { BuildInfo } from './catalog.ts';
import type { ProjectionStatus } from './status.ts';
import { statusTable } from './status-table.ts';

const live: BuildInfo = {
  projection: 'stream_stats',
  build: 3,
  version: 1,
  schema: 'stream_stats_v1_b3',
  state: 'live',
  position: { commit: 812n, prepare: 40n },
  eventsHandled: 40,
  lastEventCreated: undefined,
  createdAt: new Date(0),
  liveSince: new Date(0),
  lastError: undefined,
};

const running: ProjectionStatus = {
  name: 'stream_stats',
  codeVersion: 1,
  live,
  pending: undefined,
  position: live.position,
  lagEvents: 1200,
  lagMs: 65_000,
  leaseOwner: 'host:1:ab',
  leaseValid: true,
  state: 'running',
  lastError: undefined,
};

describe('statusTable', () => {
  it('shows name, live version, position, lag in events and time, lease owner and state', () => {
    const [header, row] = statusTable([running]).split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['NAME', 'LIVE VERSION', 'POSITION', 'LAG EVENTS', 'LAG', 'LEASE OWNER', 'STATE']);
    expect(row!.split(/\s{2,}/)).toEqual(['stream_stats', 'v1 (build 3)', '812/40', '1,200', '1m05s', 'host:1:ab', 'running']);
  });

  it('marks an expired lease, a version the code no longer has, a rebuild and the last error', () => {
    const text = statusTable([
      {
        ...running,
        codeVersion: 2,
        leaseValid: false,
        state: 'rebuilding',
        pending: { ...live, build: 4, version: 2, state: 'building' },
        lastError: 'Error: boom',
      },
    ]);
    expect(text).toContain('v1 (build 3), code v2');
    expect(text).toContain('host:1:ab (expired)');
    expect(text).toContain('rebuilding v2 (build 4)');
    expect(text).toContain('  last error: Error: boom');
  });

  it('shows a projection never built', () => {
    const row = statusTable([{ ...running, live: undefined, position: undefined, leaseOwner: undefined, leaseValid: false, state: 'not_built' }]).split('\n')[1]!;
    expect(row.split(/\s{2,}/)).toEqual(['stream_stats', '– (code v1)', 'start', '–', '–', '–', 'not_built']);
  });
});
