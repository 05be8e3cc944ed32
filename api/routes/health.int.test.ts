// /readyz with the process's own checks (the switches) and /metrics with the process's gauges, through build().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processGauges } from '../metrics/gauge-sources.ts';
import { startHarness, type Harness } from '../testing/api-harness.ts';

describe('/readyz', () => {
  let h: Harness;
  let switchesUp = true;
  beforeAll(async () => {
    h = await startHarness({
      readinessChecks: [
        {
          name: 'switches',
          check: async () => {
            if (!switchesUp) throw new Error('fs-1: ESL connection refused');
          },
        },
      ],
    });
  });
  afterAll(async () => h.close());

  it('is 200 while the event store, the key index and the switches answer', async () => {
    const r = await h.app.inject({ url: '/readyz' });
    expect([r.statusCode, r.json()]).toEqual([
      200,
      {
        status: 'ready',
        checks: [
          { name: 'event-store', ok: true },
          { name: 'api-keys', ok: true },
          { name: 'switches', ok: true },
        ],
      },
    ]);
  });

  it('is 503 naming the failing check and its reason when the switches are unreachable, and recovers', async () => {
    switchesUp = false;
    const down = await h.app.inject({ url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      status: 'not_ready',
      checks: [
        { name: 'event-store', ok: true },
        { name: 'api-keys', ok: true },
        { name: 'switches', ok: false, error: 'fs-1: ESL connection refused' },
      ],
    });
    expect((await h.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    switchesUp = true;
    expect((await h.app.inject({ url: '/readyz' })).statusCode).toBe(200);
  });

  it('is 503 when the event store is gone', async () => {
    const other = await startHarness();
    await other.store.close();
    try {
      const r = await other.app.inject({ url: '/readyz' });
      expect([r.statusCode, r.json().checks[0]]).toEqual([503, expect.objectContaining({ name: 'event-store', ok: false })]);
    } finally {
      await other.app.close();
    }
  });
});

describe('/metrics process gauges', () => {
  let h: Harness;
  let active = 4;
  beforeAll(async () => {
    h = await startHarness({
      gauges: processGauges({
        projectionLag: () => [
          { labels: { projection: 'active_calls' }, value: 12 },
          { labels: { projection: 'queue_stats' }, value: 0 },
        ],
        eslEventsPerSecond: async () => [{ labels: { switch: 'fs-1' }, value: 37.5 }],
        activeCalls: () => active,
      }),
    });
  });
  afterAll(async () => h.close());

  it('renders projection lag, ESL events per second and active calls in the Prometheus text format, read at each scrape', async () => {
    const first = await h.app.inject({ url: '/metrics' });
    expect(first.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    for (const line of [
      '# HELP ledgerline_projection_lag_events Events in the log not yet applied, per projection',
      '# TYPE ledgerline_projection_lag_events gauge',
      'ledgerline_projection_lag_events{projection="active_calls"} 12',
      'ledgerline_projection_lag_events{projection="queue_stats"} 0',
      '# TYPE ledgerline_esl_events_per_second gauge',
      'ledgerline_esl_events_per_second{switch="fs-1"} 37.5',
      '# TYPE ledgerline_active_calls gauge',
      'ledgerline_active_calls 4',
    ]) {
      expect(first.body.split('\n')).toContain(line);
    }
    active = 9;
    expect((await h.app.inject({ url: '/metrics' })).body.split('\n')).toContain('ledgerline_active_calls 9');
  });
});
