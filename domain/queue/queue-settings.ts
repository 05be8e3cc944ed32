import { z } from 'zod';
import type { ExitTarget, RelaxationStep, SkillRequirement } from '../shared/contact-center.ts';
import { ROUTING_STRATEGIES, SERVICE_LEVEL_FORMULAS } from '../shared/contact-center.ts';

// One zod schema per section of a queue's configuration. Each section changes through its own event, so the audit
// trail says which aspect changed; the schemas hold every rule the router and metrics rely on. A Change command
// replaces its whole section, so section fields have no defaults (a forgotten field must not silently reset):
// defaults exist only for whole sections omitted from CreateQueue. (The one exception: ringProgressivelyEverySeconds
// defaults to null, since only ring-progressively may set it; and announcements.estimatedWait.onEntry defaults to
// false, since it was added after queues were stored.)

const seconds = (max: number) => z.int().min(0).max(max);
const DAY = 86_400;
const id = z.string().min(1).max(200);

const proficiency = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);
export const skillRequirementSchema: z.ZodType<SkillRequirement> = z.object({ skill: z.string().min(1).max(100), minProficiency: proficiency });
const requirements = z
  .array(skillRequirementSchema)
  .max(50)
  .refine((rs) => new Set(rs.map((r) => r.skill)).size === rs.length, { message: 'a skill is required twice' });

export const relaxationStepSchema: z.ZodType<RelaxationStep> = z.object({ afterSeconds: z.int().min(1).max(DAY), requirements });

export const exitTargetSchema: z.ZodType<ExitTarget> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('queue'), queueId: id }),
  z.object({ kind: z.literal('voicemail'), mailbox: z.string().min(1).max(128) }),
  z.object({ kind: z.literal('callback') }),
  z.object({ kind: z.literal('hangup') }),
]);

/** Distribution strategy; ring-progressively also needs how often one more agent is rung. */
export const routingSchema = z
  .object({ strategy: z.enum(ROUTING_STRATEGIES), ringProgressivelyEverySeconds: z.int().min(1).max(300).nullable().default(null) })
  .refine((r) => (r.strategy === 'ring-progressively') === (r.ringProgressivelyEverySeconds !== null), {
    message: 'ringProgressivelyEverySeconds is required for ring-progressively and only for it',
    path: ['ringProgressivelyEverySeconds'],
  });

/** Skills a call needs at first, then relaxation steps strictly ascending in time. */
export const skillsSchema = z
  .object({ base: requirements, relaxation: z.array(relaxationStepSchema).max(20) })
  .refine((s) => s.relaxation.every((step, i) => i === 0 || step.afterSeconds > s.relaxation[i - 1]!.afterSeconds), {
    message: 'relaxation steps must be strictly ascending in afterSeconds',
    path: ['relaxation'],
  });

/** A waiting caller's score: base (by customer tier, else defaultBase) + weightPerSecondWaited × seconds waited. */
export const priorityRulesSchema = z.object({
  defaultBase: z.int().min(0).max(1000),
  baseByTier: z.record(z.string().min(1).max(50), z.int().min(0).max(1000)),
  weightPerSecondWaited: z.number().min(0).max(100),
});

/** Which service-level formula, its threshold, and the short-abandon threshold (0: none excluded). */
export const serviceLevelSchema = z
  .object({
    thresholdSeconds: z.int().min(1).max(3600),
    formula: z.enum(SERVICE_LEVEL_FORMULAS),
    shortAbandonSeconds: seconds(300),
  })
  .refine((s) => s.shortAbandonSeconds < s.thresholdSeconds, {
    message: 'shortAbandonSeconds must be below thresholdSeconds',
    path: ['shortAbandonSeconds'],
  });

/** Queue limits, each with where the caller goes when it is reached; null means no limit. */
export const limitsSchema = z.object({
  maxWait: z.object({ seconds: z.int().min(1).max(DAY), exit: exitTargetSchema }).nullable(),
  /** 0 seconds: a caller does not even join while no agent of the queue is logged in. */
  maxWaitNoAgent: z.object({ seconds: seconds(DAY), exit: exitTargetSchema }).nullable(),
  maxLength: z.object({ calls: z.int().min(1).max(100_000), exit: exitTargetSchema }).nullable(),
});

/** After `afterSeconds`, agents of `queueId` become eligible too (the caller keeps their place here). */
export const overflowSchema = z.object({ queueId: id, afterSeconds: seconds(DAY) }).nullable();

/** After-call work granted after each call of this queue. */
export const wrapUpSchema = z.object({ seconds: seconds(3600) });

/** Offer timeout, break_out threshold and the delays before a missed agent is offered again. */
export const noAnswerSchema = z.object({
  maxNoAnswer: z.int().min(1).max(100),
  ringTimeoutSeconds: z.int().min(1).max(600),
  rejectDelaySeconds: seconds(3600),
  busyDelaySeconds: seconds(3600),
  noAnswerDelaySeconds: seconds(3600),
});

/**
 * What waiting callers hear: the wait estimate every `everySeconds` (and, with `onEntry`, as soon as they are queued)
 * and the music on hold. `onEntry` came after queues were stored, so it defaults to false: events recorded before it
 * read as they always meant (no announcement on entry).
 */
export const announcementsSchema = z.object({
  estimatedWait: z.object({ enabled: z.boolean(), everySeconds: z.int().min(15).max(3600), onEntry: z.boolean().default(false) }),
  musicOnHold: z.string().min(1).max(200).nullable(),
});

/** Offer a callback after `offerAfterSeconds` (press `key`); null: callbacks are not offered. */
export const callbackRulesSchema = z
  .object({
    offerAfterSeconds: seconds(DAY),
    key: z.string().regex(/^[0-9*#]$/, 'a single DTMF key: 0-9, * or #'),
    maxRetries: z.int().min(0).max(10),
    retryIntervalSeconds: z.int().min(30).max(DAY),
  })
  .nullable();

/** A queue's display name. */
export const queueNameSchema = z.string().trim().min(1).max(200);

/** The schema of each section (by its key in QueueSettings), to re-check values inside the decider. */
export const sectionSchemas = {
  name: queueNameSchema,
  routing: routingSchema,
  skills: skillsSchema,
  priority: priorityRulesSchema,
  serviceLevel: serviceLevelSchema,
  limits: limitsSchema,
  overflow: overflowSchema,
  wrapUp: wrapUpSchema,
  noAnswer: noAnswerSchema,
  announcements: announcementsSchema,
  callback: callbackRulesSchema,
} as const;

/** The sections that change through their own command and event, by their key in QueueSettings. */
export type QueueSectionKey = keyof typeof sectionSchemas;

/** The sections CreateQueue fills in when omitted: mod_callcenter's agent defaults, no limits, no callback. */
export const QUEUE_DEFAULTS: {
  readonly [K in Exclude<QueueSectionKey, 'name' | 'routing'>]: z.output<(typeof sectionSchemas)[K]>;
} = {
  skills: { base: [], relaxation: [] },
  priority: { defaultBase: 0, baseByTier: {}, weightPerSecondWaited: 1 },
  serviceLevel: { thresholdSeconds: 20, formula: 'genesys', shortAbandonSeconds: 5 },
  limits: { maxWait: null, maxWaitNoAgent: null, maxLength: null },
  overflow: null,
  wrapUp: { seconds: 10 },
  noAnswer: { maxNoAnswer: 3, ringTimeoutSeconds: 20, rejectDelaySeconds: 10, busyDelaySeconds: 60, noAnswerDelaySeconds: 60 },
  announcements: { estimatedWait: { enabled: false, everySeconds: 60, onEntry: false }, musicOnHold: null },
  callback: null,
};

/** Everything CreateQueue may set; omitted sections take QUEUE_DEFAULTS (recorded in QueueCreated). */
export const queueSettingsSchema = z.object({
  name: queueNameSchema,
  routing: routingSchema,
  skills: skillsSchema.default(QUEUE_DEFAULTS.skills),
  priority: priorityRulesSchema.default(QUEUE_DEFAULTS.priority),
  serviceLevel: serviceLevelSchema.default(QUEUE_DEFAULTS.serviceLevel),
  limits: limitsSchema.default(QUEUE_DEFAULTS.limits),
  overflow: overflowSchema.default(QUEUE_DEFAULTS.overflow),
  wrapUp: wrapUpSchema.default(QUEUE_DEFAULTS.wrapUp),
  noAnswer: noAnswerSchema.default(QUEUE_DEFAULTS.noAnswer),
  announcements: announcementsSchema.default(QUEUE_DEFAULTS.announcements),
  callback: callbackRulesSchema.default(QUEUE_DEFAULTS.callback),
});
export type QueueSettings = z.output<typeof queueSettingsSchema>;
export type QueueSettingsInput = z.input<typeof queueSettingsSchema>;

/** One agent's membership: 1 is the queue's most preferred agents (as Amazon Connect's 1–99). */
export const membershipSchema = z.object({ agentId: id, priority: z.int().min(1).max(99).default(50) });
export type QueueMembership = z.output<typeof membershipSchema>;

