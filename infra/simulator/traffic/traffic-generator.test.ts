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
    const gen = new TrafficGenerator(t.sw, { ...scenario, arrivals: { ratePerSecond: 1, maxCalls: 1, surges: [] } }, createSeededRandom('ivr'));
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

  it('arrives faster inside a surge window and not at all in a window of rate 0', async () => {
    const surging = TrafficScenarioSchema.parse({
      arrivals: { ratePerSecond: 0.5, durationSec: 300, surges: [{ fromSec: 100, toSec: 200, ratePerSecond: 3 }, { fromSec: 200, toSec: 300, ratePerSecond: 0 }] },
      patience: { kind: 'fixed', seconds: 1 },
    });
    const t = createTestSwitch();
    const gen = new TrafficGenerator(t.sw, surging, createSeededRandom('surge'));
    gen.start();
    const offeredBy = async (sec: number): Promise<number> => {
      await t.clock.advance(sec * 1000 - (t.clock.nowMicros() / 1000 - start));
      return gen.stats.offered;
    };
    const start = t.clock.nowMicros() / 1000;
    const quiet = await offeredBy(100);
    const busy = (await offeredBy(200)) - quiet;
    const none = (await offeredBy(300)) - quiet - busy;
    expect(quiet).toBeGreaterThan(25);
    expect(quiet).toBeLessThan(80);
    expect(busy).toBeGreaterThan(220);
    expect(busy).toBeLessThan(380);
    expect(none).toBe(0);
  });

  it('presses the offered callback key, hangs up when told to, and answers the dial-back, then talks', async () => {
    const cb = TrafficScenarioSchema.parse({
      arrivals: { ratePerSecond: 1, maxCalls: 1 },
      callers: { tiers: [{ name: 'one', weight: 1, numbers: ['+15550001'] }] },
      patience: { kind: 'fixed', seconds: 600 },
      talkTime: { kind: 'fixed', seconds: 20 },
      callerHangsUpRate: 1,
      callbacks: { acceptRate: 1, thinkTimeMs: [1000, 1000], hangUpAfterMs: [500, 500] },
      dialBacks: { answerRate: 1, busyRate: 0, answerDelayMs: [3000, 3000] },
    });
    const t = createTestSwitch();
    const gen = new TrafficGenerator(t.sw, cb, createSeededRandom('callback'));
    gen.start();
    await t.clock.advance(5000);
    const [caller] = [...t.sw.channels.keys()];
    const leg = t.sw.get(caller!)!;
    t.sw.execute(leg, 'playback', 'say:Please hold.', 'a0000000-0000-4000-8000-000000000001');
    await t.clock.advance(3000);
    expect(gen.stats.callbackRequests).toBe(0);
    t.sw.execute(leg, 'playback', 'say:Press 1 to be called back, keeping your place in the queue.', 'a0000000-0000-4000-8000-000000000002');
    await t.clock.advance(3000);
    expect(t.events.filter((e) => e.name === 'DTMF' && headerOf(e, 'Unique-ID') === caller).map((e) => headerOf(e, 'DTMF-Digit'))).toEqual(['1']);
    expect(gen.stats.callbackRequests).toBe(1);
    t.sw.execute(leg, 'playback', 'say:Thank you. We will call you back as soon as an agent is free. You can hang up now.', 'a0000000-0000-4000-8000-000000000003');
    await t.clock.advance(2000);
    expect(t.sw.get(caller!)).toBeUndefined();
    expect(gen.stats.abandoned).toBe(0);

    // The dial-back: agent first, then the customer's number on a gateway; bridged, the customer talks and hangs up.
    const agentLeg = t.api('originate', 'user/1001 &park()');
    await t.clock.advance(5000);
    const agent = (await agentLeg).slice(4).trim();
    const customer = t.api('originate', 'sofia/gateway/default/+15550001 &park()');
    await t.clock.advance(2000);
    expect(gen.stats.dialBacks).toBe(1);
    await t.clock.advance(2000);
    const customerLeg = (await customer).slice(4).trim();
    expect(customerLeg).toMatch(/^[0-9a-f-]{36}$/);
    await t.api('uuid_bridge', `${agent} ${customerLeg}`);
    await t.clock.advance(19_000);
    expect(t.sw.get(customerLeg)).toBeDefined();
    await t.clock.advance(2000);
    expect(t.sw.get(customerLeg)).toBeUndefined();
    expect(gen.stats).toMatchObject({ dialBacks: 1, dialBacksBridged: 1, bridged: 0 });
  });

  it('presses a known callback key unprompted, a while after hold music starts, when so configured', async () => {
    const known = TrafficScenarioSchema.parse({
      arrivals: { ratePerSecond: 1, maxCalls: 1 },
      patience: { kind: 'fixed', seconds: 600 },
      callbacks: { acceptRate: 1, unprompted: { key: '1', afterHoldMs: [40_000, 40_000] } },
    });
    const t = createTestSwitch();
    const gen = new TrafficGenerator(t.sw, known, createSeededRandom('unprompted'));
    gen.start();
    await t.clock.advance(5000);
    const [caller] = [...t.sw.channels.keys()];
    const dtmf = (): string[] => t.events.filter((e) => e.name === 'DTMF' && headerOf(e, 'Unique-ID') === caller).map((e) => headerOf(e, 'DTMF-Digit')!);
    t.sw.execute(t.sw.get(caller!)!, 'playback', 'local_stream://moh', 'b0000000-0000-4000-8000-000000000001');
    await t.clock.advance(39_000);
    expect(dtmf()).toEqual([]);
    await t.clock.advance(2000);
    expect(dtmf()).toEqual(['1']);
    expect(gen.stats.callbackRequests).toBe(1);
  });

  it('lets a dial-back ring unanswered or be busy as configured, and leaves other numbers to the switch', async () => {
    const cb = TrafficScenarioSchema.parse({
      arrivals: { ratePerSecond: 1, maxCalls: 1 },
      callers: { tiers: [{ name: 'one', weight: 1, numbers: ['+15550002'] }] },
      patience: { kind: 'fixed', seconds: 1 },
      dialBacks: { answerRate: 0, busyRate: 0.5 },
    });
    const t = createTestSwitch({ endpoints: { '+15559999': { kind: 'answer', ringMs: 100 } } });
    new TrafficGenerator(t.sw, cb, createSeededRandom('no-answer')).start();
    await t.clock.advance(10_000);
    const results: Promise<string>[] = [];
    for (let i = 0; i < 20; i++) results.push(t.api('originate', '{originate_timeout=10}sofia/gateway/default/+15550002 &park()'));
    const other = t.api('originate', 'sofia/gateway/default/+15559999 &park()');
    await t.clock.advance(12_000);
    const causes = new Set(await Promise.all(results));
    expect(causes).toEqual(new Set(['-ERR USER_BUSY\n', '-ERR NO_ANSWER\n']));
    expect(await other).toMatch(/^\+OK /);
  });

  it('leaves a voicemail message when transferred to voicemail, then hangs up', async () => {
    const vm = TrafficScenarioSchema.parse({
      arrivals: { ratePerSecond: 1, maxCalls: 1 },
      patience: { kind: 'fixed', seconds: 200 },
      voicemail: { messageSeconds: { kind: 'fixed', seconds: 10 } },
    });
    const t = createTestSwitch();
    const gen = new TrafficGenerator(t.sw, vm, createSeededRandom('vm'));
    gen.start();
    await t.clock.advance(90_000);
    const [caller] = [...t.sw.channels.keys()];
    expect(await t.api('uuid_transfer', `${caller} voicemail-sales XML default`)).toBe('+OK\n');
    await t.clock.advance(9000);
    expect(t.sw.get(caller!)).toBeDefined();
    await t.clock.advance(2000);
    expect(t.sw.get(caller!)).toBeUndefined();
    expect(gen.stats).toMatchObject({ voicemails: 1, abandoned: 0 });
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
    expect(TrafficScenarioSchema.safeParse({ arrivals: { ratePerSecond: 1 }, dialBacks: { answerRate: 0.9, busyRate: 0.2 } }).success).toBe(false);
    expect(TrafficScenarioSchema.safeParse({ arrivals: { ratePerSecond: 1, surges: [{ fromSec: 10, toSec: 5, ratePerSecond: 1 }] } }).success).toBe(false);
    expect(TrafficScenarioSchema.safeParse({ arrivals: { ratePerSecond: 1 }, callbacks: { acceptRate: 1.5 } }).success).toBe(false);
    // Scenario files written before callbacks, dial-backs and voicemail still load, with those behaviours off or at defaults.
    const old = TrafficScenarioSchema.parse({ arrivals: { ratePerSecond: 1 } });
    expect(old.callbacks.acceptRate).toBe(0);
    expect(old.arrivals.surges).toEqual([]);
  });
});
