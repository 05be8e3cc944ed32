// Generates inbound traffic on the simulator: Poisson arrivals, caller pool with tiers, IVR answers with think
// times, patience (abandon), talk time, and who hangs up. Deterministic for a seed on any clock.
import type { SimClock, SimTimer } from '../clock/sim-clock.ts';
import type { SimSwitch } from '../core/sim-switch.ts';
import { type FsEvent, headerOf } from '../events/fs-event.ts';
import type { SeededRandom } from '../random/seeded-random.ts';
import type { Duration, TrafficScenario } from './traffic-scenario.ts';

/** Counters of a run. */
export interface TrafficStats {
  offered: number;
  bridged: number;
  abandoned: number;
  completed: number;
  dtmfAnswers: number;
}

interface CallState {
  tier: string;
  prompt: number;
  patience?: SimTimer;
  talk?: SimTimer;
  bridged: boolean;
}

/** Draws seconds from a duration distribution. */
export function drawSeconds(d: Duration, random: SeededRandom): number {
  switch (d.kind) {
    case 'fixed':
      return d.seconds;
    case 'uniform':
      return d.min + random.next() * (d.max - d.min);
    case 'exponential':
      return random.exponential(d.mean);
    case 'lognormal': {
      // Box-Muller from two draws of the seeded stream.
      const u1 = Math.max(random.next(), 1e-12);
      const u2 = random.next();
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      return d.median * Math.exp(d.sigma * z);
    }
  }
}

/** Drives callers into the switch until stopped or the scenario's duration/maxCalls is reached. */
export class TrafficGenerator {
  readonly stats: TrafficStats = { offered: 0, bridged: 0, abandoned: 0, completed: 0, dtmfAnswers: 0 };
  private readonly sw: SimSwitch;
  private readonly clock: SimClock;
  private readonly random: SeededRandom;
  private readonly scenario: TrafficScenario;
  private readonly calls = new Map<string, CallState>();
  private arrival?: SimTimer;
  private startedAt = 0;
  private unsubscribe?: () => void;
  private running = false;
  private readonly thinking = new Set<SimTimer>();

  constructor(sw: SimSwitch, scenario: TrafficScenario, random: SeededRandom) {
    this.sw = sw;
    this.clock = sw.clock;
    this.scenario = scenario;
    this.random = random;
  }

  /** Starts arrivals and applies the agent behaviour profile to every directory user. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = this.clock.nowMicros();
    const a = this.scenario.agents;
    this.sw.endpoints.defaultProfile = { answerDelayMs: a.answerDelayMs, noAnswerRate: a.noAnswerRate, busyRate: a.busyRate, rejectRate: a.rejectRate };
    this.unsubscribe = this.sw.subscribe((e) => this.onEvent(e));
    this.scheduleArrival();
  }

  /** Stops new arrivals and the generated callers' own actions (calls in progress stay up). */
  stop(): void {
    this.running = false;
    if (this.arrival) this.clock.clearTimer(this.arrival);
    this.arrival = undefined;
    this.unsubscribe?.();
    for (const state of this.calls.values()) {
      if (state.patience) this.clock.clearTimer(state.patience);
      if (state.talk) this.clock.clearTimer(state.talk);
    }
    for (const t of this.thinking) this.clock.clearTimer(t);
    this.thinking.clear();
  }

  private scheduleArrival(): void {
    const rate = this.scenario.arrivals.ratePerSecond;
    if (!this.running || rate <= 0) return;
    const gapMs = this.random.exponential(1 / rate) * 1000;
    this.arrival = this.clock.setTimer(gapMs, () => {
      const { durationSec, maxCalls } = this.scenario.arrivals;
      const elapsedSec = (this.clock.nowMicros() - this.startedAt) / 1e6;
      if ((durationSec !== undefined && elapsedSec > durationSec) || (maxCalls !== undefined && this.stats.offered >= maxCalls)) {
        this.running = false;
        return;
      }
      this.offerCall();
      this.scheduleArrival();
    });
  }

  private pickTier(): TrafficScenario['callers']['tiers'][number] {
    const tiers = this.scenario.callers.tiers;
    const total = tiers.reduce((s, t) => s + t.weight, 0);
    let r = this.random.next() * total;
    for (const t of tiers) {
      r -= t.weight;
      if (r < 0) return t;
    }
    return tiers[tiers.length - 1]!;
  }

  private offerCall(): void {
    const tier = this.pickTier();
    const number = tier.numbers && tier.numbers.length > 0
      ? this.random.pick(tier.numbers)
      : `${tier.prefix}${String(this.random.int(0, (tier.count ?? 1) - 1)).padStart(String((tier.count ?? 1) - 1).length, '0')}`;
    const name = tier.names && tier.names.length > 0 ? this.random.pick(tier.names) : number;
    const uuid = this.random.uuid();
    const state: CallState = { tier: tier.name, prompt: 0, bridged: false };
    this.calls.set(uuid, state);
    this.stats.offered++;
    state.patience = this.clock.setTimer(drawSeconds(this.scenario.patience, this.random) * 1000, () => {
      if (state.bridged || !this.sw.get(uuid)) return;
      this.stats.abandoned++;
      this.hangup(uuid);
    });
    this.sw.inboundCall({
      uuid,
      callerIdNumber: number,
      callerIdName: name,
      destinationNumber: this.scenario.destinationNumber,
      context: this.scenario.context,
      variables: { sim_caller_tier: tier.name },
    });
  }

  private hangup(uuid: string): void {
    const ch = this.sw.get(uuid);
    if (ch) this.sw.hangup(ch, 'NORMAL_CLEARING');
  }

  private onEvent(e: FsEvent): void {
    const uuid = headerOf(e, 'Unique-ID');
    if (!uuid) return;
    const state = this.calls.get(uuid);
    if (!state) return;
    switch (e.name) {
      case 'CHANNEL_EXECUTE':
        if (headerOf(e, 'Application') === 'play_and_get_digits' || headerOf(e, 'Application') === 'read') this.answerPrompt(uuid, state);
        break;
      case 'CHANNEL_BRIDGE':
        if (!state.bridged) {
          state.bridged = true;
          this.stats.bridged++;
          if (state.patience) this.clock.clearTimer(state.patience);
          const other = headerOf(e, 'Bridge-B-Unique-ID');
          state.talk = this.clock.setTimer(drawSeconds(this.scenario.talkTime, this.random) * 1000, () => {
            const callerEnds = this.random.chance(this.scenario.callerHangsUpRate);
            this.hangup(callerEnds || !other ? uuid : other);
          });
        }
        break;
      case 'CHANNEL_DESTROY':
        if (state.patience) this.clock.clearTimer(state.patience);
        if (state.talk) this.clock.clearTimer(state.talk);
        if (state.bridged) this.stats.completed++;
        this.calls.delete(uuid);
        break;
    }
  }

  private answerPrompt(uuid: string, state: CallState): void {
    const prompts = this.scenario.ivr.prompts;
    const prompt = prompts[Math.min(state.prompt, prompts.length - 1)];
    state.prompt++;
    if (!prompt) return;
    let r = this.random.next();
    const answer = prompt.answers.find((a) => (r -= a.probability) < 0);
    if (!answer || answer.digits === '') return;
    const [lo, hi] = this.scenario.ivr.thinkTimeMs;
    const timer = this.clock.setTimer(lo + this.random.next() * (hi - lo), () => {
      this.thinking.delete(timer);
      if (this.sw.sendDtmf(uuid, answer.digits, { interDigitMs: this.scenario.ivr.interDigitMs })) this.stats.dtmfAnswers++;
    });
    this.thinking.add(timer);
  }
}
