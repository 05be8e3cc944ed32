// Generates inbound traffic on the simulator: Poisson arrivals (with busier windows), caller pool with tiers, IVR
// answers with think times, patience (abandon), callback requests in queue, voicemail messages, answering the
// dial-backs to its own callers, talk time, and who hangs up. Deterministic for a seed on any clock.
import type { SimClock, SimTimer } from '../clock/sim-clock.ts';
import type { EndpointBehaviour } from '../core/endpoints.ts';
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
  /** Callers who pressed the offered callback key. */
  callbackRequests: number;
  /** Callers transferred to voicemail who left a message. */
  voicemails: number;
  /** Originates towards a number of one of our callers (customer legs), and how many of them were bridged. */
  dialBacks: number;
  dialBacksBridged: number;
}

interface CallState {
  /** An inbound caller we placed, or a customer leg the switch dialled back towards one of our callers. */
  kind: 'caller' | 'dial-back';
  tier: string;
  prompt: number;
  patience?: SimTimer;
  talk?: SimTimer;
  bridged: boolean;
  /** The callback offer was heard (and answered or let pass: a caller decides once). */
  offerHeard?: boolean;
  /** Hold music was heard (an unprompted callback request is decided then, once). */
  holdHeard?: boolean;
  callbackRequested?: boolean;
  voicemail?: boolean;
}

/** The callback offer a queued caller hears ("Press 1 to be called back…"), and the key it names. */
const CALLBACK_OFFER = /press\s+([0-9*#])\s+to\s+be\s+called\s+back/i;
/** The confirmation after which a caller who asked for a callback may hang up. */
const CALLBACK_CONFIRMED = /hang\s+up\s+now/i;
/** Applications that play a file or text to the caller. */
const PLAYBACK_APPS: ReadonlySet<string> = new Set(['playback', 'speak', 'play_and_get_digits']);

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
  readonly stats: TrafficStats = { offered: 0, bridged: 0, abandoned: 0, completed: 0, dtmfAnswers: 0, callbackRequests: 0, voicemails: 0, dialBacks: 0, dialBacksBridged: 0 };
  private readonly sw: SimSwitch;
  private readonly clock: SimClock;
  private readonly random: SeededRandom;
  private readonly scenario: TrafficScenario;
  private readonly calls = new Map<string, CallState>();
  /** The numbers our callers called from: an originate towards one of them is a dial-back. */
  private readonly callerNumbers = new Set<string>();
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
    this.sw.endpoints.externalBehaviour = (number) => this.dialBackBehaviour(number);
    this.unsubscribe = this.sw.subscribe((e) => this.onEvent(e));
    this.scheduleArrival();
  }

  /** Stops new arrivals and the generated callers' own actions (calls in progress stay up). */
  stop(): void {
    this.running = false;
    if (this.arrival) this.clock.clearTimer(this.arrival);
    this.arrival = undefined;
    this.unsubscribe?.();
    this.sw.endpoints.externalBehaviour = undefined;
    for (const state of this.calls.values()) {
      if (state.patience) this.clock.clearTimer(state.patience);
      if (state.talk) this.clock.clearTimer(state.talk);
    }
    for (const t of this.thinking) this.clock.clearTimer(t);
    this.thinking.clear();
  }

  /** The arrival rate at `sec` seconds after the start, and when it next changes (Infinity: never). */
  private rateAt(sec: number): { rate: number; untilSec: number } {
    const surges = this.scenario.arrivals.surges ?? [];
    const current = surges.find((w) => w.fromSec <= sec && sec < w.toSec);
    const nextChange = Math.min(...surges.flatMap((w) => [w.fromSec, w.toSec]).filter((t) => t > sec));
    return { rate: current ? current.ratePerSecond : this.scenario.arrivals.ratePerSecond, untilSec: nextChange };
  }

  // A piecewise-constant Poisson process: a gap that would cross a rate change stops at the change and is drawn
  // again there at the new rate (exact, since the exponential is memoryless).
  private scheduleArrival(): void {
    if (!this.running) return;
    const nowSec = (this.clock.nowMicros() - this.startedAt) / 1e6;
    const { rate, untilSec } = this.rateAt(nowSec);
    const gapSec = rate > 0 ? this.random.exponential(1 / rate) : Infinity;
    if (nowSec + gapSec >= untilSec) {
      this.arrival = this.clock.setTimer(Math.max(0, (untilSec - nowSec) * 1000), () => this.scheduleArrival());
      return;
    }
    if (gapSec === Infinity) return;
    this.arrival = this.clock.setTimer(gapSec * 1000, () => {
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
    const state: CallState = { kind: 'caller', tier: tier.name, prompt: 0, bridged: false };
    this.calls.set(uuid, state);
    this.callerNumbers.add(number);
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
    if (e.name === 'CHANNEL_CREATE') this.noticeDialBack(uuid, e);
    if (e.name === 'CHANNEL_BRIDGE') {
      // Either side of a bridge may be ours (a dial-back is often the B leg of the agent's).
      const a = headerOf(e, 'Bridge-A-Unique-ID') ?? uuid;
      const b = headerOf(e, 'Bridge-B-Unique-ID');
      this.onBridged(a, b);
      if (b) this.onBridged(b, a);
      return;
    }
    const state = this.calls.get(uuid);
    if (!state) return;
    switch (e.name) {
      case 'CHANNEL_EXECUTE': {
        const app = headerOf(e, 'Application') ?? '';
        if (state.kind !== 'caller') break;
        if (this.toVoicemail(uuid, state, e)) break;
        if (app === 'play_and_get_digits' || app === 'read') this.answerPrompt(uuid, state);
        if (PLAYBACK_APPS.has(app)) this.hearPlayback(uuid, state, headerOf(e, 'Application-Data') ?? '');
        break;
      }
      case 'CHANNEL_DESTROY':
        if (state.patience) this.clock.clearTimer(state.patience);
        if (state.talk) this.clock.clearTimer(state.talk);
        if (state.bridged && state.kind === 'caller') this.stats.completed++;
        this.calls.delete(uuid);
        break;
    }
  }

  /** Once bridged, the leg talks for the drawn time, then it or its partner hangs up. */
  private onBridged(uuid: string, other: string | undefined): void {
    const state = this.calls.get(uuid);
    if (!state || state.bridged) return;
    state.bridged = true;
    if (state.kind === 'caller') this.stats.bridged++;
    else this.stats.dialBacksBridged++;
    if (state.patience) this.clock.clearTimer(state.patience);
    state.talk = this.clock.setTimer(drawSeconds(this.scenario.talkTime, this.random) * 1000, () => {
      const callerEnds = this.random.chance(this.scenario.callerHangsUpRate);
      this.hangup(callerEnds || !other ? uuid : other);
    });
  }

  /** How a dial-back towards one of our callers goes (undefined: not one of ours, the switch decides). */
  private dialBackBehaviour(number: string): EndpointBehaviour | undefined {
    if (!this.callerNumbers.has(number)) return undefined;
    const d = this.scenario.dialBacks;
    const r = this.random.next();
    if (r < d.answerRate) {
      const [lo, hi] = d.answerDelayMs;
      return { kind: 'answer', ringMs: lo + this.random.next() * (hi - lo) };
    }
    return r < d.answerRate + d.busyRate ? { kind: 'busy' } : { kind: 'no-answer' };
  }

  /** A new outbound leg towards one of our callers' numbers (not a directory user) is a customer we play. */
  private noticeDialBack(uuid: string, e: FsEvent): void {
    if (headerOf(e, 'Call-Direction') !== 'outbound' || this.calls.has(uuid)) return;
    const number = headerOf(e, 'Caller-Destination-Number') ?? '';
    const name = headerOf(e, 'Channel-Name') ?? '';
    if (!this.callerNumbers.has(number) || !name.startsWith('sofia/') || name.includes('/sip:')) return;
    this.calls.set(uuid, { kind: 'dial-back', tier: 'dial-back', prompt: 0, bridged: false });
    this.stats.dialBacks++;
  }

  /** Transferred to voicemail: the caller leaves a message, then hangs up (no longer waiting, so no abandon). */
  private toVoicemail(uuid: string, state: CallState, e: FsEvent): boolean {
    const dest = headerOf(e, 'Caller-Destination-Number') ?? '';
    if (!dest.startsWith(this.scenario.voicemail.extensionPrefix)) return false;
    if (state.voicemail || state.bridged) return true;
    state.voicemail = true;
    if (state.patience) this.clock.clearTimer(state.patience);
    state.patience = this.clock.setTimer(drawSeconds(this.scenario.voicemail.messageSeconds, this.random) * 1000, () => {
      if (!this.sw.get(uuid)) return;
      this.stats.voicemails++;
      this.hangup(uuid);
    });
    return true;
  }

  /** A queued caller hears a callback offer (and decides once) or, having asked, the confirmation. */
  private hearPlayback(uuid: string, state: CallState, path: string): void {
    if (state.bridged) return;
    const cb = this.scenario.callbacks;
    if (state.callbackRequested) {
      if (!CALLBACK_CONFIRMED.test(path)) return;
      const [lo, hi] = cb.hangUpAfterMs;
      this.later(lo + this.random.next() * (hi - lo), () => this.hangup(uuid));
      return;
    }
    const unprompted = cb.unprompted;
    if (unprompted && !state.holdHeard && !state.offerHeard && new RegExp(unprompted.holdPathPattern).test(path)) {
      state.holdHeard = true;
      state.offerHeard = true;
      if (this.random.chance(cb.acceptRate)) this.requestCallback(uuid, state, unprompted.key, unprompted.afterHoldMs);
      return;
    }
    const offer = CALLBACK_OFFER.exec(path);
    if (!offer || state.offerHeard) return;
    state.offerHeard = true;
    if (this.random.chance(cb.acceptRate)) this.requestCallback(uuid, state, offer[1]!, cb.thinkTimeMs);
  }

  /** Presses the callback key after a delay drawn from `[lo, hi]` ms, unless bridged or already asked. */
  private requestCallback(uuid: string, state: CallState, key: string, [lo, hi]: readonly [number, number]): void {
    this.later(lo + this.random.next() * (hi - lo), () => {
      if (state.bridged || state.callbackRequested) return;
      if (this.sw.sendDtmf(uuid, key, { interDigitMs: this.scenario.ivr.interDigitMs })) {
        state.callbackRequested = true;
        this.stats.callbackRequests++;
      }
    });
  }

  /** Runs `action` after `ms`, unless the generator is stopped first. */
  private later(ms: number, action: () => void): void {
    const timer = this.clock.setTimer(ms, () => {
      this.thinking.delete(timer);
      action();
    });
    this.thinking.add(timer);
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
