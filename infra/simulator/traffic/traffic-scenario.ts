// The traffic scenario file (JSON), validated with zod: arrivals, callers, IVR answers, patience, talk time, agents.
import { z } from 'zod';

const range = z.tuple([z.number().min(0), z.number().min(0)]).refine(([a, b]) => a <= b, 'min must not exceed max');

/** A duration distribution in seconds. */
export const DurationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), seconds: z.number().min(0) }),
  z.object({ kind: z.literal('uniform'), min: z.number().min(0), max: z.number().min(0) }),
  z.object({ kind: z.literal('exponential'), mean: z.number().positive() }),
  z.object({ kind: z.literal('lognormal'), median: z.number().positive(), sigma: z.number().min(0) }),
]);
export type Duration = z.infer<typeof DurationSchema>;

const TierSchema = z.object({
  name: z.string().min(1),
  weight: z.number().positive(),
  /** Explicit numbers, or `prefix` + `count` generated numbers (prefix + zero-padded index). */
  numbers: z.array(z.string().min(1)).optional(),
  prefix: z.string().optional(),
  count: z.number().int().positive().optional(),
  /** Caller names to draw from (default: the number). */
  names: z.array(z.string()).optional(),
}).refine((t) => (t.numbers && t.numbers.length > 0) || (t.prefix !== undefined && t.count !== undefined), 'a tier needs numbers or prefix+count');

const IvrAnswerSchema = z.object({ digits: z.string().regex(/^[0-9*#A-D]*$/), probability: z.number().min(0).max(1) });

export const TrafficScenarioSchema = z.object({
  seed: z.union([z.string(), z.number()]).optional(),
  arrivals: z.object({
    /** Mean calls per second (Poisson process). */
    ratePerSecond: z.number().min(0),
    /** Stop offering calls after this many simulated seconds. */
    durationSec: z.number().positive().optional(),
    maxCalls: z.number().int().positive().optional(),
    /** Windows (simulated seconds from the start) in which calls arrive at another rate, e.g. a busy hour. */
    surges: z.array(z.object({ fromSec: z.number().min(0), toSec: z.number().min(0), ratePerSecond: z.number().min(0) })
      .refine((w) => w.fromSec <= w.toSec, 'fromSec must not exceed toSec')).default([]),
  }),
  callers: z.object({ tiers: z.array(TierSchema).min(1) }).default({ tiers: [{ name: 'default', weight: 1, prefix: '+1555', count: 1000 }] }),
  destinationNumber: z.string().default('5000'),
  context: z.string().default('public'),
  /** Answers to each successive prompt (play_and_get_digits) the caller hears; probabilities of one prompt sum to ≤ 1 (rest = no input). */
  ivr: z.object({
    prompts: z.array(z.object({ answers: z.array(IvrAnswerSchema) })).default([]),
    thinkTimeMs: range.default([500, 2500]),
    interDigitMs: z.number().min(0).default(250),
  }).default({ prompts: [], thinkTimeMs: [500, 2500], interDigitMs: 250 }),
  /** How long a caller waits for an agent before hanging up (abandon). */
  patience: DurationSchema.default({ kind: 'exponential', mean: 120 }),
  /** Talk time once bridged to an agent. */
  talkTime: DurationSchema.default({ kind: 'lognormal', median: 180, sigma: 0.6 }),
  /** Who ends a talking call: probability the caller hangs up (else the agent). */
  callerHangsUpRate: z.number().min(0).max(1).default(0.6),
  /**
   * A caller waiting in queue who hears a playback offering a callback key ("Press N to be called back") presses N
   * with `acceptRate` (once per call, after a think time); having asked, they hang up when told they can ("…hang
   * up now"), after `hangUpAfterMs`, unless the switch ends the leg first.
   */
  callbacks: z.object({
    acceptRate: z.number().min(0).max(1).default(0),
    thinkTimeMs: range.default([1000, 4000]),
    hangUpAfterMs: range.default([300, 1500]),
    /**
     * Callers who know the callback key without hearing the offer (announced elsewhere, or a switch side that cannot
     * play the offer): once hold music (a playback whose path matches `holdPathPattern`) starts, such a caller (with
     * `acceptRate`, decided once) presses `key` after `afterHoldMs` unless bridged first. Off when absent.
     */
    unprompted: z.object({
      key: z.string().regex(/^[0-9*#]$/),
      afterHoldMs: range,
      holdPathPattern: z.string().default('^local_stream://'),
    }).optional(),
  }).default({ acceptRate: 0, thinkTimeMs: [1000, 4000], hangUpAfterMs: [300, 1500] }),
  /**
   * Dial-backs: an originate towards the number of a caller this generator placed (a customer leg, e.g.
   * `sofia/gateway/<gw>/<number>`) is answered with `answerRate` after `answerDelayMs`, busy with `busyRate`, else
   * rings unanswered; once bridged, the customer talks for a drawn talk time and then someone hangs up
   * (callerHangsUpRate), as with an inbound caller.
   */
  dialBacks: z.object({
    answerRate: z.number().min(0).max(1).default(0.8),
    busyRate: z.number().min(0).max(1).default(0.05),
    answerDelayMs: range.default([2000, 8000]),
  }).refine((d) => d.answerRate + d.busyRate <= 1, 'answerRate + busyRate must not exceed 1')
    .default({ answerRate: 0.8, busyRate: 0.05, answerDelayMs: [2000, 8000] }),
  /** A caller sent to voicemail (transferred to an extension starting with `extensionPrefix`) leaves a message, then hangs up. */
  voicemail: z.object({
    extensionPrefix: z.string().min(1).default('voicemail'),
    messageSeconds: DurationSchema.default({ kind: 'uniform', min: 5, max: 30 }),
  }).default({ extensionPrefix: 'voicemail', messageSeconds: { kind: 'uniform', min: 5, max: 30 } }),
  agents: z.object({
    answerDelayMs: range.default([1000, 4000]),
    noAnswerRate: z.number().min(0).max(1).default(0),
    busyRate: z.number().min(0).max(1).default(0),
    rejectRate: z.number().min(0).max(1).default(0),
  }).default({ answerDelayMs: [1000, 4000], noAnswerRate: 0, busyRate: 0, rejectRate: 0 }),
});

export type TrafficScenario = z.infer<typeof TrafficScenarioSchema>;
export type TrafficScenarioInput = z.input<typeof TrafficScenarioSchema>;
