// Given-histories and commands shared by the queue tests (pure data).
import type { QueueCommand, QueueCommandOf, QueueCommandType } from './queue-commands.ts';
import type { QueueEvent } from './queue-events.ts';
import type { QueueSettings } from './queue-settings.ts';

export const QUEUE = 'sales';
export const NOW = 50_000;

/** A fully specified configuration (no defaults involved). */
export const SETTINGS: QueueSettings = {
  name: 'Sales',
  routing: { strategy: 'longest-idle', ringProgressivelyEverySeconds: null },
  skills: {
    base: [{ skill: 'sales', minProficiency: 3 }],
    relaxation: [{ afterSeconds: 30, requirements: [{ skill: 'sales', minProficiency: 1 }] }, { afterSeconds: 90, requirements: [] }],
  },
  priority: { defaultBase: 0, baseByTier: { gold: 100, silver: 50 }, weightPerSecondWaited: 1 },
  serviceLevel: { thresholdSeconds: 20, formula: 'asterisk-sl2', shortAbandonSeconds: 5 },
  limits: {
    maxWait: { seconds: 600, exit: { kind: 'voicemail', mailbox: 'sales' } },
    maxWaitNoAgent: { seconds: 0, exit: { kind: 'queue', queueId: 'support' } },
    maxLength: { calls: 50, exit: { kind: 'hangup' } },
  },
  overflow: { queueId: 'support', afterSeconds: 120 },
  wrapUp: { seconds: 30 },
  noAnswer: { maxNoAnswer: 3, ringTimeoutSeconds: 20, rejectDelaySeconds: 10, busyDelaySeconds: 60, noAnswerDelaySeconds: 60 },
  announcements: { estimatedWait: { enabled: true, everySeconds: 60, onEntry: true }, musicOnHold: 'default' },
  callback: { offerAfterSeconds: 120, key: '1', maxRetries: 3, retryIntervalSeconds: 300 },
};

const created: QueueEvent = { type: 'QueueCreated', data: { queueId: QUEUE, at: 1_000, settings: SETTINGS } };
const assigned: QueueEvent = { type: 'QueueAgentsAssigned', data: { queueId: QUEUE, at: 1_100, agents: [{ agentId: 'a1', priority: 10 }] } };

export const QUEUE_STATES = ['absent', 'active', 'deleted'] as const;
export type QueueStatus = (typeof QUEUE_STATES)[number];

export const GIVEN_BY_STATE: Record<QueueStatus, readonly QueueEvent[]> = {
  absent: [],
  active: [created, assigned],
  deleted: [created, assigned, { type: 'QueueDeleted', data: { queueId: QUEUE, at: 2_000 } }],
};

const env = { commandId: 'cmd-1', at: NOW, actor: 'supervisor:s1', queueId: QUEUE };

/** One command of each type whose values differ from SETTINGS (so on an active queue each one changes something). */
export const COMMAND: { [T in QueueCommandType]: QueueCommandOf<T> } = {
  CreateQueue: { type: 'CreateQueue', ...env, settings: SETTINGS },
  RenameQueue: { type: 'RenameQueue', ...env, name: 'Sales EMEA' },
  ChangeQueueStrategy: { type: 'ChangeQueueStrategy', ...env, routing: { strategy: 'ring-progressively', ringProgressivelyEverySeconds: 5 } },
  ChangeQueueSkillRequirements: { type: 'ChangeQueueSkillRequirements', ...env, skills: { base: [{ skill: 'sales', minProficiency: 4 }], relaxation: [] } },
  ChangeQueuePriorityRules: { type: 'ChangeQueuePriorityRules', ...env, priority: { defaultBase: 10, baseByTier: { gold: 200 }, weightPerSecondWaited: 0.5 } },
  ChangeQueueServiceLevel: { type: 'ChangeQueueServiceLevel', ...env, serviceLevel: { thresholdSeconds: 30, formula: 'amazon', shortAbandonSeconds: 0 } },
  ChangeQueueLimits: { type: 'ChangeQueueLimits', ...env, limits: { maxWait: { seconds: 300, exit: { kind: 'callback' } }, maxWaitNoAgent: null, maxLength: null } },
  ChangeQueueOverflowTarget: { type: 'ChangeQueueOverflowTarget', ...env, overflow: null },
  ChangeQueueWrapUpTime: { type: 'ChangeQueueWrapUpTime', ...env, wrapUp: { seconds: 0 } },
  ChangeQueueMaxNoAnswer: {
    type: 'ChangeQueueMaxNoAnswer',
    ...env,
    noAnswer: { maxNoAnswer: 5, ringTimeoutSeconds: 15, rejectDelaySeconds: 5, busyDelaySeconds: 30, noAnswerDelaySeconds: 30 },
  },
  ChangeQueueAnnouncements: { type: 'ChangeQueueAnnouncements', ...env, announcements: { estimatedWait: { enabled: false, everySeconds: 60, onEntry: false }, musicOnHold: null } },
  ChangeQueueCallbackRules: { type: 'ChangeQueueCallbackRules', ...env, callback: null },
  AssignAgentsToQueue: { type: 'AssignAgentsToQueue', ...env, agents: [{ agentId: 'a2', priority: 1 }] },
  UnassignAgentsFromQueue: { type: 'UnassignAgentsFromQueue', ...env, agentIds: ['a1'] },
  DeleteQueue: { type: 'DeleteQueue', ...env },
};

/** The same commands repeating what the active queue already has: each must be a no-op. */
export const SAME: Partial<Record<QueueCommandType, QueueCommand>> = {
  RenameQueue: { ...COMMAND.RenameQueue, name: SETTINGS.name },
  ChangeQueueStrategy: { ...COMMAND.ChangeQueueStrategy, routing: SETTINGS.routing },
  ChangeQueueSkillRequirements: { ...COMMAND.ChangeQueueSkillRequirements, skills: SETTINGS.skills },
  ChangeQueuePriorityRules: { ...COMMAND.ChangeQueuePriorityRules, priority: { ...SETTINGS.priority, baseByTier: { silver: 50, gold: 100 } } },
  ChangeQueueServiceLevel: { ...COMMAND.ChangeQueueServiceLevel, serviceLevel: SETTINGS.serviceLevel },
  ChangeQueueLimits: { ...COMMAND.ChangeQueueLimits, limits: SETTINGS.limits },
  ChangeQueueOverflowTarget: { ...COMMAND.ChangeQueueOverflowTarget, overflow: SETTINGS.overflow },
  ChangeQueueWrapUpTime: { ...COMMAND.ChangeQueueWrapUpTime, wrapUp: SETTINGS.wrapUp },
  ChangeQueueMaxNoAnswer: { ...COMMAND.ChangeQueueMaxNoAnswer, noAnswer: SETTINGS.noAnswer },
  ChangeQueueAnnouncements: { ...COMMAND.ChangeQueueAnnouncements, announcements: SETTINGS.announcements },
  ChangeQueueCallbackRules: { ...COMMAND.ChangeQueueCallbackRules, callback: SETTINGS.callback },
  AssignAgentsToQueue: { ...COMMAND.AssignAgentsToQueue, agents: [{ agentId: 'a1', priority: 10 }] },
  UnassignAgentsFromQueue: { ...COMMAND.UnassignAgentsFromQueue, agentIds: ['nobody'] },
};
