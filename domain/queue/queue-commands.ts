import { z } from 'zod';
import { LedgerlineError } from '../errors/ledgerline-error.ts';
import {
  announcementsSchema,
  callbackRulesSchema,
  limitsSchema,
  membershipSchema,
  noAnswerSchema,
  overflowSchema,
  priorityRulesSchema,
  queueNameSchema,
  queueSettingsSchema,
  routingSchema,
  serviceLevelSchema,
  skillsSchema,
  wrapUpSchema,
  type QueueSectionKey,
} from './queue-settings.ts';
import type { QueueEventType } from './queue-events.ts';

// CommandEnvelope fields (domain/decider.ts) plus the queue addressed (stream `queue-<queueId>`).
const envelope = {
  commandId: z.string().min(1).max(200),
  at: z.int().nonnegative(),
  actor: z.string().min(1).max(200).optional(),
  queueId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'letters, digits, and _ . : -'),
};

export const CreateQueueSchema = z.object({ type: z.literal('CreateQueue'), ...envelope, settings: queueSettingsSchema });
export const RenameQueueSchema = z.object({ type: z.literal('RenameQueue'), ...envelope, name: queueNameSchema });
export const ChangeQueueStrategySchema = z.object({ type: z.literal('ChangeQueueStrategy'), ...envelope, routing: routingSchema });
export const ChangeQueueSkillRequirementsSchema = z.object({ type: z.literal('ChangeQueueSkillRequirements'), ...envelope, skills: skillsSchema });
export const ChangeQueuePriorityRulesSchema = z.object({ type: z.literal('ChangeQueuePriorityRules'), ...envelope, priority: priorityRulesSchema });
export const ChangeQueueServiceLevelSchema = z.object({ type: z.literal('ChangeQueueServiceLevel'), ...envelope, serviceLevel: serviceLevelSchema });
export const ChangeQueueLimitsSchema = z.object({ type: z.literal('ChangeQueueLimits'), ...envelope, limits: limitsSchema });
export const ChangeQueueOverflowTargetSchema = z.object({ type: z.literal('ChangeQueueOverflowTarget'), ...envelope, overflow: overflowSchema });
export const ChangeQueueWrapUpTimeSchema = z.object({ type: z.literal('ChangeQueueWrapUpTime'), ...envelope, wrapUp: wrapUpSchema });
export const ChangeQueueMaxNoAnswerSchema = z.object({ type: z.literal('ChangeQueueMaxNoAnswer'), ...envelope, noAnswer: noAnswerSchema });
export const ChangeQueueAnnouncementsSchema = z.object({ type: z.literal('ChangeQueueAnnouncements'), ...envelope, announcements: announcementsSchema });
export const ChangeQueueCallbackRulesSchema = z.object({ type: z.literal('ChangeQueueCallbackRules'), ...envelope, callback: callbackRulesSchema });
export const AssignAgentsToQueueSchema = z.object({
  type: z.literal('AssignAgentsToQueue'),
  ...envelope,
  agents: z
    .array(membershipSchema)
    .min(1)
    .max(1000)
    .refine((as) => new Set(as.map((a) => a.agentId)).size === as.length, { message: 'an agent is listed twice' }),
});
export const UnassignAgentsFromQueueSchema = z.object({
  type: z.literal('UnassignAgentsFromQueue'),
  ...envelope,
  agentIds: z
    .array(z.string().min(1).max(200))
    .min(1)
    .max(1000)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'an agent is listed twice' }),
});
export const DeleteQueueSchema = z.object({ type: z.literal('DeleteQueue'), ...envelope });

/** Every queue command. */
export const queueCommandSchema = z.discriminatedUnion('type', [
  CreateQueueSchema,
  RenameQueueSchema,
  ChangeQueueStrategySchema,
  ChangeQueueSkillRequirementsSchema,
  ChangeQueuePriorityRulesSchema,
  ChangeQueueServiceLevelSchema,
  ChangeQueueLimitsSchema,
  ChangeQueueOverflowTargetSchema,
  ChangeQueueWrapUpTimeSchema,
  ChangeQueueMaxNoAnswerSchema,
  ChangeQueueAnnouncementsSchema,
  ChangeQueueCallbackRulesSchema,
  AssignAgentsToQueueSchema,
  UnassignAgentsFromQueueSchema,
  DeleteQueueSchema,
]);

export type QueueCommand = z.output<typeof queueCommandSchema>;
/** A command as callers may write it (CreateQueue's omitted sections not yet defaulted). */
export type QueueCommandInput = z.input<typeof queueCommandSchema>;
export type QueueCommandType = QueueCommand['type'];
export type QueueCommandOf<T extends QueueCommandType> = Extract<QueueCommand, { type: T }>;

/** Every command type, in the order docs and tests list them. */
export const QUEUE_COMMAND_TYPES = queueCommandSchema.options.map((o) => o.shape.type.value) as readonly QueueCommandType[];

/** The commands that replace one section of the configuration, the section's key and the event that records it. */
export const SECTION_COMMANDS = {
  RenameQueue: { key: 'name', event: 'QueueRenamed' },
  ChangeQueueStrategy: { key: 'routing', event: 'QueueStrategyChanged' },
  ChangeQueueSkillRequirements: { key: 'skills', event: 'QueueSkillRequirementsChanged' },
  ChangeQueuePriorityRules: { key: 'priority', event: 'QueuePriorityRulesChanged' },
  ChangeQueueServiceLevel: { key: 'serviceLevel', event: 'QueueServiceLevelChanged' },
  ChangeQueueLimits: { key: 'limits', event: 'QueueLimitsChanged' },
  ChangeQueueOverflowTarget: { key: 'overflow', event: 'QueueOverflowTargetChanged' },
  ChangeQueueWrapUpTime: { key: 'wrapUp', event: 'QueueWrapUpTimeChanged' },
  ChangeQueueMaxNoAnswer: { key: 'noAnswer', event: 'QueueMaxNoAnswerChanged' },
  ChangeQueueAnnouncements: { key: 'announcements', event: 'QueueAnnouncementsChanged' },
  ChangeQueueCallbackRules: { key: 'callback', event: 'QueueCallbackRulesChanged' },
} as const satisfies Partial<Record<QueueCommandType, { key: QueueSectionKey; event: QueueEventType }>>;
export type SectionCommandType = keyof typeof SECTION_COMMANDS;

/** Parses untrusted input into a queue command, or throws QUEUE_CONFIG_INVALID with the zod issues. */
export function parseQueueCommand(input: unknown): QueueCommand {
  const r = queueCommandSchema.safeParse(input);
  if (!r.success) {
    throw new LedgerlineError('QUEUE_CONFIG_INVALID', `Invalid queue command: ${z.prettifyError(r.error)}`, { issues: r.error.issues });
  }
  return r.data;
}
