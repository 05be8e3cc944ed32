// The Done-when: 1,000 inbound calls of mixed outcomes on an accelerated clock, driven by an ACD over a real
// TCP ESL connection (`event json ALL`), and every call's event sequence passes the reference order checker.
//
// Traffic (the simulator's seeded generator): Poisson callers, IVR answers by DTMF, patience (abandon), talk time,
// who hangs up; agents answer, ring out (NO_ANSWER), are busy or reject at seeded rates. The ACD (this file) parks,
// runs the IVR with sendmsg play_and_get_digits, queues, originates agent legs with origination_uuid, bridges,
// retries another agent after a failure, and on some bridged calls holds/unholds, records, or blind-transfers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAcceleratedClock } from '../clock/sim-clock.ts';
import { createSeededRandom } from '../random/seeded-random.ts';
import { type Simulator, startSimulator } from '../server/start-simulator.ts';
import type { TrafficGenerator } from '../traffic/traffic-generator.ts';
import { type JsonEvent, JsonEslClient } from '../testing/json-esl-client.ts';
import { type EventHeaders, type OrderViolation, checkCall, checkConnection, checkOriginateJob, header } from './reference-order.ts';

const CALLS = 1000;
const AGENTS = Array.from({ length: 100 }, (_, i) => String(1000 + i));
/** Simulated seconds per real second. */
const SPEED = 10;

/** The headers the checker reads; the rest of each event is dropped so 1,000 calls stay small in memory. */
const KEEP = new Set([
  'Event-Name', 'Core-UUID', 'Event-Sequence', 'Unique-ID', 'Channel-State', 'Channel-State-Number', 'Channel-Call-State',
  'Answer-State', 'Hangup-Cause', 'Original-Channel-Call-State', 'Bridge-A-Unique-ID', 'Bridge-B-Unique-ID',
  'Other-Leg-Unique-ID', 'Application', 'Application-UUID', 'Record-File-Path', 'Playback-File-Path',
  'Caller-Channel-Answered-Time', 'variable_billsec', 'variable_duration', 'variable_sim_call_a', 'Call-Direction',
  'Job-UUID', '_body',
]);

function project(e: JsonEvent): EventHeaders {
  const out: Record<string, string | string[]> = {};
  let variable: string | undefined;
  for (const k in e) {
    if (KEEP.has(k)) out[k] = e[k]!;
    else if (variable === undefined && k.startsWith('variable_')) variable = k;
  }
  // Keep one variable_* header so the checker still sees whether the event carried any (§2.2).
  if (variable !== undefined) out[variable] = e[variable]!;
  return out;
}

interface Call {
  a: string;
  legs: string[];
  events: EventHeaders[];
  aliveA: boolean;
  ivrApp?: string;
  queued: boolean;
  connected: boolean;
  transferred: boolean;
  agentTries: number;
  agentFailures: string[];
}

interface Leg {
  call: Call;
  agent: string;
  job: string;
  jobDone: boolean;
  jobEvent?: EventHeaders;
  created: boolean;
  destroyed: boolean;
}

/** The ACD: everything it does goes over the TCP connection; it reacts to the events it receives. */
class Acd {
  readonly calls = new Map<string, Call>();
  readonly legs = new Map<string, Leg>();
  readonly connectionEvents: EventHeaders[] = [];
  readonly counts = { holds: 0, recordings: 0, recordingStops: 0, transfers: 0, bridgeRefused: 0, dtmfAnswered: 0, stray: 0 };
  private readonly byJob = new Map<string, Leg>();
  private readonly free = new Set(AGENTS);
  private readonly queue: Call[] = [];
  private readonly random = createSeededRandom('thousand-calls:acd');
  private readonly sim: Simulator;
  esl!: JsonEslClient;

  constructor(sim: Simulator) {
    this.sim = sim;
  }

  /** Live legs and unfinished originates: zero when the run is over. */
  busy(): number {
    let n = 0;
    for (const leg of this.legs.values()) if (!leg.destroyed || !leg.jobDone) n++;
    return n;
  }

  onEvent(raw: JsonEvent): void {
    const e = project(raw);
    this.connectionEvents.push(e);
    const name = header(e, 'Event-Name');
    if (name === 'BACKGROUND_JOB') {
      const leg = this.byJob.get(String(raw['Job-UUID']));
      if (leg) leg.jobEvent = e;
      this.jobDone(String(raw['Job-UUID']), String(raw._body ?? ''));
      return;
    }
    const uuid = header(e, 'Unique-ID');
    if (!uuid) return;
    // A caller's first event ([CHANNEL_STATE CS_INIT], §3.1) opens its call; agent legs are known by origination_uuid.
    if (header(e, 'Call-Direction') === 'inbound' && !this.calls.has(uuid) && !this.legs.has(uuid)) {
      this.calls.set(uuid, { a: uuid, legs: [], events: [], aliveA: true, queued: false, connected: false, transferred: false, agentTries: 0, agentFailures: [] });
    }
    const leg = this.legs.get(uuid);
    const call = this.calls.get(uuid) ?? leg?.call ?? this.calls.get(header(e, 'variable_sim_call_a') ?? '');
    if (!call) {
      this.counts.stray++;
      return;
    }
    call.events.push(e);
    if (leg) this.onAgentLeg(leg, name, raw);
    else this.onCaller(call, name, raw);
  }

  private onCaller(call: Call, name: string | undefined, raw: JsonEvent): void {
    switch (name) {
      case 'CHANNEL_PARK':
        if (!call.ivrApp && !call.transferred) this.runIvr(call);
        else if (call.transferred) this.after(400, () => void this.esl.api(`uuid_kill ${call.a}`));
        break;
      case 'CHANNEL_EXECUTE_COMPLETE':
        if (raw['Application-UUID'] === call.ivrApp && call.aliveA) {
          if (raw.variable_digits) this.counts.dtmfAnswered++;
          this.enqueue(call);
        }
        break;
      case 'CHANNEL_BRIDGE':
        call.connected = true;
        this.decorate(call, String(raw['Bridge-B-Unique-ID']));
        break;
      case 'CHANNEL_HANGUP':
        call.aliveA = false;
        break;
    }
  }

  private onAgentLeg(leg: Leg, name: string | undefined, _raw: JsonEvent): void {
    if (name === 'CHANNEL_CREATE') leg.created = true;
    if (name === 'CHANNEL_DESTROY') {
      leg.destroyed = true;
      this.release(leg);
    }
  }

  /** IVR: the parked caller hears a prompt and may key a digit (sendmsg execute, Event-UUID = Application-UUID). */
  private runIvr(call: Call): void {
    call.ivrApp = this.random.uuid();
    void this.esl.command(`sendmsg ${call.a}`, {
      'call-command': 'execute',
      'execute-app-name': 'play_and_get_digits',
      'execute-app-arg': '1 1 1 1500 # ivr/ivr-enter_ext.wav silence_stream://250 digits \\d+',
      'Event-UUID': call.ivrApp,
    });
  }

  private enqueue(call: Call, front = false): void {
    if (!call.aliveA || call.connected) return;
    call.queued = true;
    if (front) this.queue.unshift(call);
    else this.queue.push(call);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.queue.length > 0 && this.free.size > 0) {
      const call = this.queue.shift()!;
      if (!call.aliveA || call.connected) continue;
      const agents = [...this.free];
      const agent = agents[this.random.int(0, agents.length - 1)]!;
      this.free.delete(agent);
      this.originate(call, agent);
    }
  }

  /** bgapi originate with origination_uuid (so the leg's events are ours before BACKGROUND_JOB) and our own Job-UUID. */
  private originate(call: Call, agent: string): void {
    const b = this.random.uuid();
    const job = this.random.uuid();
    const leg: Leg = { call, agent, job, jobDone: false, created: false, destroyed: false };
    this.legs.set(b, leg);
    this.byJob.set(job, leg);
    call.legs.push(b);
    call.agentTries++;
    void this.esl.command(`bgapi originate {origination_uuid=${b},origination_caller_id_number=+15550000,originate_timeout=4,sim_call_a=${call.a}}user/${agent} &park()`, { 'Job-UUID': job });
  }

  private jobDone(job: string, body: string): void {
    const leg = this.byJob.get(job);
    if (!leg) return;
    leg.jobDone = true;
    const b = [...this.legs.entries()].find(([, l]) => l === leg)![0];
    if (body.startsWith('+OK')) {
      if (!leg.call.aliveA || leg.call.connected) {
        void this.esl.api(`uuid_kill ${b}`);
        return;
      }
      void this.esl.api(`uuid_bridge ${leg.call.a} ${b}`).then((reply) => {
        if (!reply.startsWith('+OK')) {
          this.counts.bridgeRefused++;
          void this.esl.api(`uuid_kill ${b}`);
        }
      });
      return;
    }
    leg.call.agentFailures.push(body.trim());
    // A failed originate may never have created a channel (or its teardown came first).
    if (!leg.created || leg.destroyed) {
      leg.destroyed = true;
      this.release(leg);
    }
    this.enqueue(leg.call, true);
  }

  private release(leg: Leg): void {
    if (!leg.jobDone || !leg.destroyed || this.free.has(leg.agent)) return;
    this.free.add(leg.agent);
    this.dispatch();
  }

  /** Some bridged calls get hold/unhold on the agent leg (§3.6), a recording of the caller, or a blind transfer. */
  private decorate(call: Call, b: string): void {
    const r = this.random.next();
    if (r < 0.25) {
      this.counts.holds++;
      this.after(300, () => void this.esl.api(`uuid_hold ${b}`).then(() => this.after(500, () => void this.esl.api(`uuid_hold off ${b}`))));
    } else if (r < 0.5) {
      this.counts.recordings++;
      const path = `/var/spool/recordings/${call.a}.wav`;
      void this.esl.api(`uuid_record ${call.a} start ${path}`);
      if (this.random.chance(0.5)) {
        this.counts.recordingStops++;
        this.after(600, () => void this.esl.api(`uuid_record ${call.a} stop ${path}`));
      }
    } else if (r < 0.6) {
      this.counts.transfers++;
      call.transferred = true;
      this.after(400, () => void this.esl.api(`uuid_transfer ${call.a} 6000 XML default`));
    }
  }

  private after(simMs: number, fn: () => void): void {
    this.sim.clock.setTimer(simMs, fn);
  }
}

describe(`${CALLS} calls on an accelerated clock`, () => {
  let sim: Simulator;
  let acd: Acd;
  let traffic: TrafficGenerator;
  let realMs = 0;

  beforeAll(async () => {
    const started = performance.now();
    sim = await startSimulator({ port: 0, clock: createAcceleratedClock(SPEED), seed: 'thousand-calls', heartbeatSec: 0 });
    acd = new Acd(sim);
    acd.esl = await JsonEslClient.open(sim.port, sim.password, (e) => acd.onEvent(e));
    expect((await acd.esl.command('event json ALL')).text).toBe('+OK event listener enabled json');
    traffic = sim.startTraffic({
      seed: 'thousand-calls',
      arrivals: { ratePerSecond: 25, maxCalls: CALLS },
      ivr: { prompts: [{ answers: [{ digits: '1', probability: 0.5 }, { digits: '2', probability: 0.3 }] }], thinkTimeMs: [200, 900], interDigitMs: 100 },
      patience: { kind: 'exponential', mean: 12 },
      talkTime: { kind: 'uniform', min: 1, max: 4 },
      callerHangsUpRate: 0.6,
      agents: { answerDelayMs: [300, 1500], noAnswerRate: 0.08, busyRate: 0.05, rejectRate: 0.05 },
    });
    const deadline = Date.now() + 50_000;
    while (Date.now() < deadline) {
      if (traffic.stats.offered >= CALLS && acd.calls.size >= CALLS && [...acd.calls.values()].every((c) => c.events.some((e) => header(e, 'Event-Name') === 'CHANNEL_DESTROY' && header(e, 'Unique-ID') === c.a)) && acd.busy() === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    realMs = performance.now() - started;
  }, 60_000);

  afterAll(async () => {
    acd?.esl.close();
    await sim?.close();
  });

  it(`offers ${CALLS} calls and every call (caller and agent legs) reaches CHANNEL_DESTROY`, () => {
    expect(traffic.stats.offered).toBe(CALLS);
    expect(acd.calls.size).toBe(CALLS);
    expect(acd.busy()).toBe(0);
    expect(sim.core.channels.size).toBe(0);
    expect(acd.counts.stray).toBe(0);
  });

  it('the mix has every outcome: IVR digits, abandons, agent no-answer/busy/reject then another agent, hold, recording, transfer', () => {
    const calls = [...acd.calls.values()];
    const failures = calls.flatMap((c) => c.agentFailures);
    const outcome = {
      connected: calls.filter((c) => c.connected).length,
      abandoned: calls.filter((c) => !c.connected).length,
      abandonedInIvr: calls.filter((c) => !c.connected && !c.queued).length,
      abandonedQueued: calls.filter((c) => !c.connected && c.queued).length,
      secondAgent: calls.filter((c) => c.connected && c.agentFailures.length > 0).length,
      noAnswer: failures.filter((f) => f === '-ERR NO_ANSWER').length,
      busy: failures.filter((f) => f === '-ERR USER_BUSY').length,
      rejected: failures.filter((f) => f === '-ERR CALL_REJECTED').length,
      ...acd.counts,
    };
    console.info(`thousand-calls: ${(realMs / 1000).toFixed(1)} s real, ${acd.connectionEvents.length} events`, outcome);
    for (const [k, v] of Object.entries(outcome)) if (!['stray', 'bridgeRefused'].includes(k)) expect(v, k).toBeGreaterThan(0);
  });

  it('every call’s events pass the reference order checker (§3), and the connection’s Event-Sequence only grows', () => {
    const bad: Array<OrderViolation & { call: string }> = [];
    for (const call of acd.calls.values()) for (const v of checkCall(call.events)) bad.push({ ...v, call: call.a });
    const byRule = new Map<string, number>();
    for (const v of bad) byRule.set(v.rule, (byRule.get(v.rule) ?? 0) + 1);
    expect({ byRule: Object.fromEntries(byRule), first: bad.slice(0, 5) }).toEqual({ byRule: {}, first: [] });
    expect(checkConnection(acd.connectionEvents)).toEqual([]);
  });

  it('every originate’s BACKGROUND_JOB agrees with its agent leg (+OK after answer, -ERR with the leg’s cause)', () => {
    const bad: OrderViolation[] = [];
    for (const [b, leg] of acd.legs) {
      expect(leg.jobEvent, b).toBeDefined();
      bad.push(...checkOriginateJob(leg.jobEvent!, b, leg.call.events.filter((e) => header(e, 'Unique-ID') === b)));
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('the checker fails on these real dumps once a rule is broken (it is not vacuous here)', () => {
    const call = [...acd.calls.values()].find((c) => c.connected && c.legs.length > 0)!;
    const is = (name: string, uuid: string) => (e: EventHeaders): boolean => header(e, 'Event-Name') === name && header(e, 'Unique-ID') === uuid;
    const rulesOf = (events: EventHeaders[]): string[] => [...new Set(checkCall(events).map((v) => v.rule))];
    expect(checkCall(call.events)).toEqual([]);
    expect(rulesOf(call.events.filter((e) => !is('CHANNEL_ANSWER', call.a)(e)))).toContain('answer-before-bridge');
    expect(rulesOf(call.events.filter((e) => !is('CHANNEL_DESTROY', call.a)(e)))).toContain('terminal');
    expect(rulesOf(call.events.filter((e) => !is('CHANNEL_UNBRIDGE', call.a)(e)))).toContain('bridge-pairing');
    expect(rulesOf([...call.events].reverse())).toContain('create-first');
    if (process.env.THOUSAND_CALLS_TRACE) {
      for (const c of [...acd.calls.values()].filter((x) => x.transferred).slice(0, 1).concat([...acd.calls.values()].filter((x) => x.connected && x.agentFailures.length > 0).slice(0, 1))) {
        console.info(c.events.map((e) => `${header(e, 'Event-Sequence')} ${header(e, 'Unique-ID')?.slice(0, 4)} ${header(e, 'Event-Name')} ${header(e, 'Channel-State') ?? ''} ${header(e, 'Application') ?? ''} ${header(e, 'Hangup-Cause') ?? ''}`).join('\n'));
      }
    }
  });
});
