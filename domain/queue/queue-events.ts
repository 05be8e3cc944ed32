import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../events/event-definition.ts';
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
} from './queue-settings.ts';

// Every queue event names the queue and the command's time; `actor` (who changed it) travels in the metadata.
const base = { queueId: z.string().min(1).max(200), at: z.int().nonnegative() };
const category = 'queue';

export const QueueCreated = defineEvent({
  type: 'QueueCreated',
  category,
  schema: z.object({ ...base, settings: queueSettingsSchema }),
  description: 'The queue was created with this complete configuration (defaults filled in, so replay never re-derives them).',
});

export const QueueRenamed = defineEvent({
  type: 'QueueRenamed',
  category,
  schema: z.object({ ...base, name: queueNameSchema }),
  description: 'The queue got a new display name.',
});

export const QueueStrategyChanged = defineEvent({
  type: 'QueueStrategyChanged',
  category,
  schema: z.object({ ...base, routing: routingSchema }),
  description: 'The distribution strategy changed (and, for ring-progressively, its step).',
});

export const QueueSkillRequirementsChanged = defineEvent({
  type: 'QueueSkillRequirementsChanged',
  category,
  schema: z.object({ ...base, skills: skillsSchema }),
  description: 'The skills calls need changed: base requirements and the relaxation steps over waiting time.',
});

export const QueuePriorityRulesChanged = defineEvent({
  type: 'QueuePriorityRulesChanged',
  category,
  schema: z.object({ ...base, priority: priorityRulesSchema }),
  description: 'Caller ordering changed: base score per customer tier and weight per second waited.',
});

export const QueueServiceLevelChanged = defineEvent({
  type: 'QueueServiceLevelChanged',
  category,
  schema: z.object({ ...base, serviceLevel: serviceLevelSchema }),
  description: 'The service-level threshold, formula or short-abandon threshold changed.',
});

export const QueueLimitsChanged = defineEvent({
  type: 'QueueLimitsChanged',
  category,
  schema: z.object({ ...base, limits: limitsSchema }),
  description: 'Max wait, max wait with no agent logged in, or max length (each with its exit) changed.',
});

export const QueueOverflowTargetChanged = defineEvent({
  type: 'QueueOverflowTargetChanged',
  category,
  schema: z.object({ ...base, overflow: overflowSchema }),
  description: "The overflow changed: after how long another queue's agents become eligible too (null: none).",
});

export const QueueWrapUpTimeChanged = defineEvent({
  type: 'QueueWrapUpTimeChanged',
  category,
  schema: z.object({ ...base, wrapUp: wrapUpSchema }),
  description: 'The after-call work time granted after each call changed.',
});

export const QueueMaxNoAnswerChanged = defineEvent({
  type: 'QueueMaxNoAnswerChanged',
  category,
  schema: z.object({ ...base, noAnswer: noAnswerSchema }),
  description: 'The offer timeout, the break_out threshold or the reject/busy/no-answer delays changed.',
});

export const QueueAnnouncementsChanged = defineEvent({
  type: 'QueueAnnouncementsChanged',
  category,
  schema: z.object({ ...base, announcements: announcementsSchema }),
  description: 'The wait-estimate announcement (on/off, interval, on entry) or the music on hold changed.',
});

export const QueueCallbackRulesChanged = defineEvent({
  type: 'QueueCallbackRulesChanged',
  category,
  schema: z.object({ ...base, callback: callbackRulesSchema }),
  description: 'The callback offer changed: after how long, which key, retries and their interval (null: not offered).',
});

export const QueueAgentsAssigned = defineEvent({
  type: 'QueueAgentsAssigned',
  category,
  schema: z.object({ ...base, agents: z.array(membershipSchema).min(1) }),
  description: 'Agents joined the queue, or changed their priority in it (1 is most preferred).',
});

export const QueueAgentsUnassigned = defineEvent({
  type: 'QueueAgentsUnassigned',
  category,
  schema: z.object({ ...base, agentIds: z.array(z.string().min(1)).min(1) }),
  description: 'Agents left the queue.',
});

export const QueueDeleted = defineEvent({
  type: 'QueueDeleted',
  category,
  schema: z.object(base),
  description: 'The queue was deleted: it takes no new callers and its id is never reused.',
});

/** Every queue event definition: the registry imports exactly this name. */
export const queueEvents = [
  QueueCreated,
  QueueRenamed,
  QueueStrategyChanged,
  QueueSkillRequirementsChanged,
  QueuePriorityRulesChanged,
  QueueServiceLevelChanged,
  QueueLimitsChanged,
  QueueOverflowTargetChanged,
  QueueWrapUpTimeChanged,
  QueueMaxNoAnswerChanged,
  QueueAnnouncementsChanged,
  QueueCallbackRulesChanged,
  QueueAgentsAssigned,
  QueueAgentsUnassigned,
  QueueDeleted,
] as const;

type EventOf<D> = D extends EventDefinition<infer T, infer S> ? { readonly type: T; readonly data: z.output<S> } : never;

/** A queue event as the decider emits it: `{ type, data }`. */
export type QueueEvent = EventOf<(typeof queueEvents)[number]>;
export type QueueEventType = QueueEvent['type'];
