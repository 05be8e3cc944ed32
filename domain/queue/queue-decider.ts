import type { z } from 'zod';
import type { Decider } from '../decider.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import { LedgerlineError } from '../errors/ledgerline-error.ts';
import { sameJson } from '../shared/canonical-json.ts';
import { SECTION_COMMANDS, type QueueCommand, type SectionCommandType } from './queue-commands.ts';
import { initialQueueState, type QueueConfig, type QueueState } from './queue-config.ts';
import type { QueueEvent } from './queue-events.ts';
import { queueSettingsSchema, sectionSchemas, type QueueSectionKey, type QueueSettings } from './queue-settings.ts';

function fail(code: ErrorCode, c: QueueCommand, message: string, details: Record<string, unknown> = {}): never {
  throw new LedgerlineError(code, message, { queueId: c.queueId, command: c.type, ...details });
}

/** Re-checks a value against its schema inside the decider: QueueConfig's invariants hold whoever calls decide. */
function validated<T>(schema: z.ZodType<T, unknown>, value: unknown, c: QueueCommand): T {
  const r = schema.safeParse(value);
  if (!r.success) fail('QUEUE_CONFIG_INVALID', c, `Queue ${c.queueId}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { issues: r.error.issues });
  return r.data;
}

/** A queue never overflows or exits into itself: that would loop the caller forever. */
function checkNoSelfReference(c: QueueCommand, section: Partial<Pick<QueueSettings, 'overflow' | 'limits'>>): void {
  if (section.overflow && section.overflow.queueId === c.queueId) {
    fail('QUEUE_CONFIG_INVALID', c, `Queue ${c.queueId} cannot overflow to itself`, { path: ['overflow', 'queueId'] });
  }
  for (const [name, limit] of Object.entries(section.limits ?? {})) {
    if (limit?.exit.kind === 'queue' && limit.exit.queueId === c.queueId) {
      fail('QUEUE_CONFIG_INVALID', c, `Queue ${c.queueId}: the ${name} exit cannot be the queue itself`, { path: ['limits', name, 'exit'] });
    }
  }
}

function decideSection(c: Extract<QueueCommand, { type: SectionCommandType }>, config: QueueConfig): QueueEvent[] {
  const { key, event } = SECTION_COMMANDS[c.type];
  const value = validated(sectionSchemas[key] as z.ZodType<unknown, unknown>, (c as unknown as Record<QueueSectionKey, unknown>)[key], c);
  checkNoSelfReference(c, { [key]: value });
  if (sameJson(config[key], value)) return [];
  return [{ type: event, data: { queueId: c.queueId, at: c.at, [key]: value } } as QueueEvent];
}

/**
 * Decides a queue command. A command that would change nothing (same values, agents already assigned with the same
 * priority, agents not assigned) emits no event, so the audit trail holds only real changes.
 */
export function decideQueue(c: QueueCommand, s: QueueState): QueueEvent[] {
  if (s.config && s.config.queueId !== c.queueId) {
    fail('QUEUE_COMMAND_INVALID', c, `Command for queue ${c.queueId} sent to the stream of queue ${s.config.queueId}`);
  }
  if (c.type === 'CreateQueue') {
    if (s.status === 'active') fail('QUEUE_ALREADY_EXISTS', c, `Queue ${c.queueId} already exists`);
    if (s.status === 'deleted') fail('QUEUE_DELETED', c, `Queue ${c.queueId} was deleted; queue ids are never reused`);
    const settings = validated(queueSettingsSchema, c.settings, c);
    checkNoSelfReference(c, settings);
    return [{ type: 'QueueCreated', data: { queueId: c.queueId, at: c.at, settings } }];
  }
  if (s.status === 'absent' || !s.config) return fail('QUEUE_NOT_FOUND', c, `Queue ${c.queueId} does not exist`);
  if (c.type === 'DeleteQueue') return s.status === 'deleted' ? [] : [{ type: 'QueueDeleted', data: { queueId: c.queueId, at: c.at } }];
  if (s.status === 'deleted') fail('QUEUE_DELETED', c, `Queue ${c.queueId} was deleted`);
  const config = s.config;
  switch (c.type) {
    case 'AssignAgentsToQueue': {
      const changed = c.agents.filter((a) => !Object.hasOwn(config.agents, a.agentId) || config.agents[a.agentId]!.priority !== a.priority);
      return changed.length === 0 ? [] : [{ type: 'QueueAgentsAssigned', data: { queueId: c.queueId, at: c.at, agents: changed } }];
    }
    case 'UnassignAgentsFromQueue': {
      const present = c.agentIds.filter((id) => Object.hasOwn(config.agents, id));
      return present.length === 0 ? [] : [{ type: 'QueueAgentsUnassigned', data: { queueId: c.queueId, at: c.at, agentIds: present } }];
    }
    default:
      return decideSection(c, config);
  }
}

/** Folds one queue event into the state. */
export function evolveQueue(s: QueueState, e: QueueEvent): QueueState {
  if (e.type === 'QueueCreated') {
    const config: QueueConfig = { ...e.data.settings, queueId: e.data.queueId, agents: {}, createdAt: e.data.at, updatedAt: e.data.at };
    return { status: 'active', config, deletedAt: null };
  }
  if (!s.config) return s;
  const touched = { ...s.config, updatedAt: e.data.at };
  switch (e.type) {
    case 'QueueDeleted':
      return { status: 'deleted', config: s.config, deletedAt: e.data.at };
    case 'QueueAgentsAssigned': {
      const agents = { ...s.config.agents };
      for (const a of e.data.agents) agents[a.agentId] = { priority: a.priority };
      return { ...s, config: { ...touched, agents } };
    }
    case 'QueueAgentsUnassigned': {
      const agents = { ...s.config.agents };
      for (const id of e.data.agentIds) delete agents[id];
      return { ...s, config: { ...touched, agents } };
    }
    case 'QueueRenamed':
      return { ...s, config: { ...touched, name: e.data.name } };
    case 'QueueStrategyChanged':
      return { ...s, config: { ...touched, routing: e.data.routing } };
    case 'QueueSkillRequirementsChanged':
      return { ...s, config: { ...touched, skills: e.data.skills } };
    case 'QueuePriorityRulesChanged':
      return { ...s, config: { ...touched, priority: e.data.priority } };
    case 'QueueServiceLevelChanged':
      return { ...s, config: { ...touched, serviceLevel: e.data.serviceLevel } };
    case 'QueueLimitsChanged':
      return { ...s, config: { ...touched, limits: e.data.limits } };
    case 'QueueOverflowTargetChanged':
      return { ...s, config: { ...touched, overflow: e.data.overflow } };
    case 'QueueWrapUpTimeChanged':
      return { ...s, config: { ...touched, wrapUp: e.data.wrapUp } };
    case 'QueueMaxNoAnswerChanged':
      return { ...s, config: { ...touched, noAnswer: e.data.noAnswer } };
    case 'QueueAnnouncementsChanged':
      return { ...s, config: { ...touched, announcements: e.data.announcements } };
    case 'QueueCallbackRulesChanged':
      return { ...s, config: { ...touched, callback: e.data.callback } };
  }
}

/** The queue decider for stream `queue-<queueId>`. */
export const queueDecider: Decider<QueueCommand, QueueEvent, QueueState> = {
  decide: decideQueue,
  evolve: evolveQueue,
  initialState: initialQueueState,
};

/** The stream a queue's configuration events live in. */
export const queueStream = (queueId: string): string => `queue-${queueId}`;
