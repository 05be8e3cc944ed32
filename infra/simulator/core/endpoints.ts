// How dialed endpoints behave: agent phones user/1000…user/1099 answer after a short ring unless configured otherwise.
import type { SeededRandom } from '../random/seeded-random.ts';

/** The outcome an endpoint produces for one call. */
export type EndpointBehaviour =
  | { kind: 'answer'; ringMs?: number }
  /** 486 Busy Here at once → USER_BUSY. */
  | { kind: 'busy' }
  /** Rings, then 603 Decline → CALL_REJECTED. */
  | { kind: 'reject'; ringMs?: number }
  /** Rings until originate_timeout → NO_ANSWER. */
  | { kind: 'no-answer' }
  /** Known user without a registration → USER_NOT_REGISTERED, no channel. */
  | { kind: 'unregistered' }
  /** Rings, then fails with the given cause (e.g. NO_USER_RESPONSE, RECOVERY_ON_TIMER_EXPIRE). */
  | { kind: 'fail'; cause: string; ringMs?: number };

/** Per-call randomised behaviour (answer delays, no-answer rates) for traffic generation. */
export interface EndpointProfile {
  /** Probability the agent does not answer (→ NO_ANSWER at originate_timeout). */
  noAnswerRate?: number;
  /** Probability of busy. */
  busyRate?: number;
  /** Probability of reject. */
  rejectRate?: number;
  /** Answer delay bounds in ms (uniform). */
  answerDelayMs?: [number, number];
}

export type EndpointConfig = EndpointBehaviour | EndpointProfile;

const isBehaviour = (c: EndpointConfig): c is EndpointBehaviour => 'kind' in c;

/** Directory of `user/<n>` endpoints plus external gateways. */
export class EndpointDirectory {
  private readonly configs = new Map<string, EndpointConfig>();
  private readonly random: SeededRandom;
  /** The users that exist in the directory (default 1000…1099). */
  readonly users: Set<string>;
  defaultRingMs: number;
  defaultProfile: EndpointProfile;
  /**
   * Decides first how an external number (a `sofia/…` endpoint) behaves, e.g. a traffic generator answering the
   * dial-backs to its own callers; undefined (or an undefined answer) falls back to `behaviourFor`.
   */
  externalBehaviour: ((number: string) => EndpointBehaviour | undefined) | undefined;

  constructor(random: SeededRandom, options: { users?: Iterable<string>; defaultRingMs?: number; defaultProfile?: EndpointProfile } = {}) {
    this.random = random;
    this.users = new Set(options.users ?? Array.from({ length: 100 }, (_, i) => String(1000 + i)));
    this.defaultRingMs = options.defaultRingMs ?? 2000;
    this.defaultProfile = options.defaultProfile ?? {};
  }

  /** Sets (or clears, with undefined) an endpoint's behaviour; adds the user to the directory. */
  configure(user: string, config: EndpointConfig | undefined): void {
    if (config === undefined) this.configs.delete(user);
    else {
      this.configs.set(user, config);
      this.users.add(user);
    }
  }

  /** The behaviour of one call to `user` (draws from the seeded stream for profiles). */
  behaviourFor(user: string): EndpointBehaviour {
    const config = this.configs.get(user) ?? this.defaultProfile;
    if (isBehaviour(config)) return config;
    const r = this.random.next();
    const busy = config.busyRate ?? 0;
    const reject = config.rejectRate ?? 0;
    const noAnswer = config.noAnswerRate ?? 0;
    if (r < busy) return { kind: 'busy' };
    if (r < busy + reject) return { kind: 'reject', ringMs: this.ringMs(config) };
    if (r < busy + reject + noAnswer) return { kind: 'no-answer' };
    return { kind: 'answer', ringMs: this.ringMs(config) };
  }

  /** The behaviour of one call to an external number: `externalBehaviour` if it decides, else as `behaviourFor`. */
  behaviourForNumber(number: string): EndpointBehaviour {
    return this.externalBehaviour?.(number) ?? this.behaviourFor(number);
  }

  private ringMs(p: EndpointProfile): number {
    if (!p.answerDelayMs) return this.defaultRingMs;
    const [lo, hi] = p.answerDelayMs;
    return lo + this.random.next() * (hi - lo);
  }
}
