import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './registry.ts';

describe('MetricsRegistry', () => {
  it('renders counters with labels in the text format, escaping label values', async () => {
    const r = new MetricsRegistry();
    const c = r.counter({ name: 'x_total', help: 'Things\ncounted', labelNames: ['route'] });
    c.inc({ route: '/a' });
    c.inc({ route: '/a' }, 2);
    c.inc({ route: 'say "hi"\\' });
    expect(await r.render()).toBe(
      ['# HELP x_total Things\\ncounted', '# TYPE x_total counter', 'x_total{route="/a"} 3', 'x_total{route="say \\"hi\\"\\\\"} 1', ''].join('\n'),
    );
    expect(c.get({ route: '/a' })).toBe(3);
  });

  it('renders cumulative histogram buckets, +Inf, sum and count', async () => {
    const r = new MetricsRegistry();
    const h = r.histogram({ name: 'd_seconds', help: 'd', labelNames: ['s'], buckets: [0.1, 1] });
    h.observe(0.05, { s: '200' });
    h.observe(0.5, { s: '200' });
    h.observe(5, { s: '200' });
    const text = await r.render();
    expect(text).toContain('d_seconds_bucket{s="200",le="0.1"} 1');
    expect(text).toContain('d_seconds_bucket{s="200",le="1"} 2');
    expect(text).toContain('d_seconds_bucket{s="200",le="+Inf"} 3');
    expect(text).toContain('d_seconds_sum{s="200"} 5.55');
    expect(text).toContain('d_seconds_count{s="200"} 3');
  });

  it('reads gauges at scrape time through collect, and survives a failing collector', async () => {
    const r = new MetricsRegistry();
    let lag = 4;
    r.gauge({ name: 'lag', help: 'lag', labelNames: ['p'], collect: (g) => g.set(lag, { p: 'agents' }) });
    const broken = r.gauge({ name: 'broken', help: 'b', collect: () => { throw new Error('down'); } });
    broken.set(1);
    expect(await r.render()).toContain('lag{p="agents"} 4');
    lag = 0;
    const text = await r.render();
    expect(text).toContain('lag{p="agents"} 0');
    expect(text).toContain('broken 1');
  });

  it('refuses bad names, unknown labels, duplicate registration and negative counter steps', () => {
    const r = new MetricsRegistry();
    expect(() => r.counter({ name: 'bad-name', help: '' })).toThrow();
    expect(() => r.counter({ name: 'ok', help: '', labelNames: ['le'] })).toThrow();
    const c = r.counter({ name: 'c', help: '', labelNames: ['a'] });
    expect(() => r.counter({ name: 'c', help: '' })).toThrow(/twice/);
    expect(() => c.inc({ b: 'x' })).toThrow(/unknown label/);
    expect(() => c.inc({}, -1)).toThrow();
    expect(() => r.histogram({ name: 'h', help: '', buckets: [1, 1] })).toThrow();
  });
});
