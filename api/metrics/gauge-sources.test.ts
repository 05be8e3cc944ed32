import { describe, expect, it } from 'vitest';
import { processGauges, registerGaugeSources } from './gauge-sources.ts';
import { MetricsRegistry } from './registry.ts';

describe('gauge sources', () => {
  it('reads single and labelled values at each scrape, dropping series that went away', async () => {
    const registry = new MetricsRegistry();
    let lag = [
      { labels: { projection: 'active_calls' }, value: 3 },
      { labels: { projection: 'queue_stats' }, value: 0 },
    ];
    let calls = 7;
    registerGaugeSources(registry, processGauges({ projectionLag: () => lag, activeCalls: async () => calls, eslEventsPerSecond: () => [{ labels: { switch: 'fs1' }, value: 12.5 }] }));
    const first = await registry.render();
    expect(first).toContain('# TYPE ledgerline_projection_lag_events gauge');
    expect(first).toContain('ledgerline_projection_lag_events{projection="active_calls"} 3');
    expect(first).toContain('ledgerline_projection_lag_events{projection="queue_stats"} 0');
    expect(first).toContain('ledgerline_esl_events_per_second{switch="fs1"} 12.5');
    expect(first).toContain('ledgerline_active_calls 7');
    lag = [{ labels: { projection: 'active_calls' }, value: 1 }];
    calls = 2;
    const second = await registry.render();
    expect(second).toContain('ledgerline_projection_lag_events{projection="active_calls"} 1');
    expect(second).not.toContain('queue_stats');
    expect(second).toContain('ledgerline_active_calls 2');
  });

  it('a failing read leaves that gauge without samples (no stale value) and the others intact', async () => {
    const registry = new MetricsRegistry();
    let fail = false;
    registerGaugeSources(registry, [
      { name: 'x_value', help: 'x', read: () => (fail ? Promise.reject(new Error('down')) : 5) },
      { name: 'y_value', help: 'y', read: () => 1 },
    ]);
    expect(await registry.render()).toContain('x_value 5');
    fail = true;
    const text = await registry.render();
    expect(text).toContain('# TYPE x_value gauge');
    expect(text).not.toContain('x_value 5');
    expect(text).toContain('y_value 1');
  });

  it('supplies only the gauges the process has readers for', () => {
    expect(processGauges({ activeCalls: () => 0 }).map((g) => g.name)).toEqual(['ledgerline_active_calls']);
  });
});
