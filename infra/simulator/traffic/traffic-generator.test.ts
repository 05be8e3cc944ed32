import { describe, expect, it } from 'vitest';
import { headerOf } from '../events/fs-event.ts';
import { createSeededRandom } from '../random/seeded-random.ts';
import { createTestSwitch } from '../testing/test-switch.ts';
import { TrafficGenerator } from './traffic-generator.ts';
import { TrafficScenarioSchema } from './traffic-scenario.ts';

const scenario = TrafficScenarioSchema.parse({
  arrivals: { ratePerSecond: 2, durationSec: 60 },
  callers: { tiers: [{ name: 'gold', weight: 1, numbers: ['+15550001'] }, { name: 'std', weight: 3, prefix: '+1555', count: 100 }] },
  ivr: { prompts: [{ answers: [{ digits: '1', probability: 0.7 }, { digits: '2', probability: 0.3 }] }] },
  patience: { kind: 'fixed', seconds: 30 },
  talkTime: { kind: 'uniform', min: 10, max: 20 },
});

describe('TrafficGenerator', () => {
  it('offers Poisson arrivals for the scenario duration; unattended callers abandon after their patience', async () => {
    const t = createTestSwitch();
    const gen = new TrafficGenerator(t.sw, scenario, createSeededRandom('traffic'));
    gen.start();
    await t.clock.advance(200_000);
    expect(gen.stats.offered).toBeGreaterThan(80);
    expect(gen.stats.offered).toBeLessThan(170);
    expect(gen.stats.abandoned).toBe(gen.stats.offered);
    expect(t.sw.channels.size).toBe(0);
    const tiers = t.events.filter((e) => e.name === 'CHANNEL_CREATE').map((e) => headerOf(e, 'variable_sim_caller_tier'));
    expect(new Set(tiers)).toEqual(new Set(['gold', 'std']));
  });

  it('answers IVR prompts with DTMF after a think time, and talks for the drawn time once bridged', async () => {
    const t = createTestSwitch({ ringMs: 1000 });
    const gen = new TrafficGenerator(t.sw, { ...scenario, arrivals: { ratePerSecond: 1, maxCalls: 1 } }, createSeededRandom('ivr'));
    gen.start();
    await t.clock.advance(5000);
    const [a] = [...t.sw.channels.keys()];
    t.sw.execute(t.sw.get(a!)!, 'play_and_get_digits', '1 1 1 5000 # menu.wav invalid.wav choice \\d', 'f0000000-0000-4000-8000-000000000000');
    await t.clock.advance(6000);
    expect(['1', '2']).toContain(t.sw.get(a!)!.variables.get('choice'));
    const r = t.api('originate', 'user/1001 &park()');
    await t.clock.advance(5000);
    const b = (await r).slice(4).trim();
    await t.api('uuid_bridge', `${a} ${b}`);
    await t.clock.advance(25_000);
    expect(gen.stats).toMatchObject({ offered: 1, bridged: 1, completed: 1, abandoned: 0, dtmfAnswers: 1 });
  });

  it('is deterministic for a seed', async () => {
    const run = async (): Promise<string[]> => {
      const t = createTestSwitch({ seed: 's' });
      new TrafficGenerator(t.sw, scenario, createSeededRandom('same')).start();
      await t.clock.advance(90_000);
      return t.events.map((e) => `${e.name}:${headerOf(e, 'Unique-ID')}:${headerOf(e, 'Event-Date-Timestamp')}:${headerOf(e, 'Caller-Caller-ID-Number')}`);
    };
    expect(await run()).toEqual(await run());
  });

  it('rejects invalid scenarios', () => {
    expect(TrafficScenarioSchema.safeParse({ arrivals: { ratePerSecond: -1 } }).success).toBe(false);
    expect(TrafficScenarioSchema.safeParse({ arrivals: { ratePerSecond: 1 }, callers: { tiers: [{ name: 'x', weight: 1 }] } }).success).toBe(false);
  });
});
