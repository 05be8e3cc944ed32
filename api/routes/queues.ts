import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { parseQueueCommand, queueCommandSchema, SECTION_COMMANDS, type QueueCommandType, type SectionCommandType } from '../../domain/queue/queue-commands.ts';
import { queueDecider } from '../../domain/queue/queue-decider.ts';
import { loadAggregate } from '../../engine/command-handling/handle-command.ts';
import { principalOf } from '../auth/principal.ts';
import { runCommand } from '../commands/run-command.ts';
import type { ApiContext } from '../context.ts';
import { protectedRoute } from '../http/route-options.ts';
import { commandResultSchema, emptyBody } from '../http/schemas.ts';
import { tenantStream } from '../tenancy/tenant-streams.ts';

const envelopeKeys = { type: true, commandId: true, at: true, actor: true, queueId: true } as const;

/** The body of a queue command route: the domain command without its envelope, unknown fields refused. */
function bodyOf(type: QueueCommandType) {
  const schema = queueCommandSchema.options.find((o) => o.shape.type.value === type)!;
  return (schema as z.ZodObject).omit(envelopeKeys).strict();
}

const queueIdSchema = queueCommandSchema.options[0].shape.queueId;
const params = z.strictObject({ queueId: queueIdSchema });
type Params = z.infer<typeof params>;
const createBody = z.strictObject({ queueId: queueIdSchema, settings: (bodyOf('CreateQueue').shape as { settings: z.ZodType }).settings });

/** The URL segment of each section command: `/v1/queues/:queueId/<segment>`. */
export const SECTION_SEGMENTS: Readonly<Record<SectionCommandType, string>> = {
  RenameQueue: 'name',
  ChangeQueueStrategy: 'routing',
  ChangeQueueSkillRequirements: 'skills',
  ChangeQueuePriorityRules: 'priority',
  ChangeQueueServiceLevel: 'service-level',
  ChangeQueueLimits: 'limits',
  ChangeQueueOverflowTarget: 'overflow',
  ChangeQueueWrapUpTime: 'wrap-up',
  ChangeQueueMaxNoAnswer: 'no-answer',
  ChangeQueueAnnouncements: 'announcements',
  ChangeQueueCallbackRules: 'callback',
};

const queueView = z.object({
  queueId: z.string(),
  status: z.enum(['active', 'deleted']),
  config: z.record(z.string(), z.unknown()).describe('The complete configuration: every section, members and timestamps'),
  deletedAt: z.int().nullable(),
  revision: z.int(),
});

/** Queue configuration routes: create, replace each section, assign and unassign agents, delete, read. */
export async function registerQueueRoutes(app: FastifyInstance, opts: { ctx: ApiContext }): Promise<void> {
  const { ctx } = opts;
  const tags = ['queues'];
  const write = { permission: 'queues.write' as const, tags, idempotent: true };

  const execute = async (request: Parameters<typeof principalOf>[0], queueId: string, command: Record<string, unknown>) => {
    const principal = principalOf(request);
    const stream = tenantStream('queue', principal.tenant, queueId);
    const { result } = await runCommand(ctx, request, principal, queueDecider, stream, (env) => parseQueueCommand({ ...env, queueId, ...command }));
    return result;
  };

  app.post<{ Body: z.infer<typeof createBody> }>(
    '/v1/queues',
    protectedRoute(ctx, { ...write, summary: 'Create a queue (omitted sections take their defaults)', body: createBody, response: { 201: commandResultSchema } }),
    async (request, reply) => {
      const { queueId, settings } = request.body;
      const result = await execute(request, queueId, { type: 'CreateQueue', settings });
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );

  for (const [type, segment] of Object.entries(SECTION_SEGMENTS) as [SectionCommandType, string][]) {
    app.put<{ Params: Params; Body: Record<string, unknown> }>(
      `/v1/queues/:queueId/${segment}`,
      protectedRoute(ctx, {
        ...write,
        summary: `Replace the queue's ${SECTION_COMMANDS[type].key} section (${type}; no event when unchanged)`,
        params,
        body: bodyOf(type),
        response: { 200: commandResultSchema },
      }),
      async (request) => execute(request, request.params.queueId, { type, ...request.body }),
    );
  }

  app.post<{ Params: Params; Body: Record<string, unknown> }>(
    '/v1/queues/:queueId/agents',
    protectedRoute(ctx, { ...write, summary: 'Assign agents to the queue, each with a priority (1 most preferred)', params, body: bodyOf('AssignAgentsToQueue'), response: { 200: commandResultSchema } }),
    async (request) => execute(request, request.params.queueId, { type: 'AssignAgentsToQueue', ...request.body }),
  );
  app.post<{ Params: Params; Body: Record<string, unknown> }>(
    '/v1/queues/:queueId/agents/unassign',
    protectedRoute(ctx, { ...write, summary: 'Remove agents from the queue', params, body: bodyOf('UnassignAgentsFromQueue'), response: { 200: commandResultSchema } }),
    async (request) => execute(request, request.params.queueId, { type: 'UnassignAgentsFromQueue', ...request.body }),
  );
  app.delete<{ Params: Params }>(
    '/v1/queues/:queueId',
    protectedRoute(ctx, { ...write, summary: 'Delete the queue (its id is never reused)', params, body: emptyBody, response: { 200: commandResultSchema } }),
    async (request) => execute(request, request.params.queueId, { type: 'DeleteQueue' }),
  );

  app.get<{ Params: Params }>(
    '/v1/queues/:queueId',
    protectedRoute(ctx, { permission: 'queues.read', tags, summary: 'The queue\'s configuration, folded from its stream', params, response: { 200: queueView } }),
    async (request) => {
      const principal = principalOf(request);
      const { queueId } = request.params;
      const { state, revision } = await loadAggregate(ctx.store, queueDecider, tenantStream('queue', principal.tenant, queueId));
      if (state.status === 'absent' || !state.config || revision === undefined) throw new LedgerlineError('QUEUE_NOT_FOUND', `No queue ${queueId}`, { queueId });
      return { queueId, status: state.status, config: state.config, deletedAt: state.deletedAt, revision: Number(revision) };
    },
  );
  // GET /v1/queues (the list, with live figures) comes with the queue projection.
}
