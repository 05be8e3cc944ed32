// Phone numbers (DIDs) of the caller's tenant: which IVR flow answers each. Writes go through the number decider
// into `number-<tenant>.<digits>`; reads come from a NumberDirectory (the plugin's own, following the log, unless
// one is passed in), which also lets a PUT refuse a number another tenant already routes (NUMBER_IN_USE).
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { ivrFlowDecider } from '../../domain/ivr-flow/ivr-flow-decider.ts';
import { flowIdSchema } from '../../domain/ivr-flow/ivr-flow-events.ts';
import { parseNumberCommand } from '../../domain/number/number-commands.ts';
import { numberDecider } from '../../domain/number/number-decider.ts';
import { phoneNumberSchema } from '../../domain/number/number-events.ts';
import { numberStream } from '../../domain/number/number-key.ts';
import { loadAggregate } from '../../engine/command-handling/handle-command.ts';
import { NumberDirectory } from '../../engine/directory/number-directory.ts';
import { principalOf } from '../auth/principal.ts';
import type { Role } from '../auth/roles.ts';
import { runCommand } from '../commands/run-command.ts';
import type { ApiContext } from '../context.ts';
import { protectedRoute, type ProtectedRouteSpec } from '../http/route-options.ts';
import { commandResultSchema, emptyBody } from '../http/schemas.ts';
import { tenantStream } from '../tenancy/tenant-streams.ts';

/** What the number routes may share with the rest of the process. */
export interface NumberRoutesOptions {
  /** A started directory (the engine's); by default the plugin starts its own on the context's store and stops it on close. */
  readonly directory?: NumberDirectory;
  /** How long a write waits for the directory to see it before answering anyway, ms (default 5 000). */
  readonly readYourWritesMs?: number;
}

const params = z.strictObject({ number: phoneNumberSchema.describe('The number: E.164 with + (URL-encoded as %2B or not) or bare digits') });
type Params = z.infer<typeof params>;
const assignBody = z.strictObject({ flowId: flowIdSchema.describe('The tenant\'s IVR flow that answers the number') });
const numberView = z.object({
  number: z.string(),
  flowId: z.string(),
  assignedAt: z.int(),
  routed: z.boolean().describe('False while another tenant\'s earlier assignment of the same number answers it'),
});
const listView = z.object({ numbers: z.array(numberView) });

/** Route options for a route only some roles may use: the permission check first (401/403), then the role. */
function roleRoute(ctx: ApiContext, spec: ProtectedRouteSpec, roles: readonly Role[]) {
  const base = protectedRoute(ctx, spec);
  const requireRole: onRequestAsyncHookHandler = async (request: FastifyRequest) => {
    const principal = principalOf(request);
    if (!roles.includes(principal.role)) throw new LedgerlineError('FORBIDDEN', `Role ${principal.role} may not manage numbers`, { role: principal.role, roles });
  };
  return {
    ...base,
    onRequest: [base.onRequest as onRequestAsyncHookHandler, requireRole],
    schema: { ...base.schema, description: `Requires role ${roles.join(' or ')}.` },
  };
}

/** The number routes as an `AppDeps.plugins` entry, with a shared directory or the plugin's own. */
export function createNumberRoutes(options: NumberRoutesOptions = {}): FastifyPluginAsync<{ ctx: ApiContext }> {
  return async function registerNumberRoutes(app: FastifyInstance, opts: { ctx: ApiContext }): Promise<void> {
    const { ctx } = opts;
    const tags = ['numbers'];
    const directory = options.directory ?? new NumberDirectory({ store: ctx.store, onError: (err, c) => app.log.warn({ err, ...c, revision: String(c.revision) }, 'skipped an unreadable number event') });
    if (!options.directory) {
      await directory.start();
      app.addHook('onClose', async () => directory.stop());
    }
    const waitMs = options.readYourWritesMs ?? 5_000;

    /** Runs one number command for the principal's tenant; the answer comes once the directory has seen it. */
    const execute = async (request: FastifyRequest, number: string, command: Record<string, unknown>) => {
      const principal = principalOf(request);
      const { result, outcome } = await runCommand(ctx, request, principal, numberDecider, numberStream(principal.tenant, number), (env) => parseNumberCommand({ ...env, number, ...command }));
      if (outcome.position) {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
        // The write is durable either way: a lagging directory only delays what GET shows.
        await Promise.race([directory.caughtUpTo(outcome.position).catch(() => undefined), late]).finally(() => clearTimeout(timer));
      }
      return result;
    };

    app.put<{ Params: Params; Body: z.infer<typeof assignBody> }>(
      '/v1/numbers/:number',
      roleRoute(ctx, { permission: 'flows.write', tags, idempotent: true, summary: 'Route the number to one of the tenant\'s IVR flows (assign or reassign)', params, body: assignBody, response: { 200: commandResultSchema } }, ['admin']),
      async (request) => {
        const principal = principalOf(request);
        const { number } = request.params;
        const { flowId } = request.body;
        const flow = await loadAggregate(ctx.store, ivrFlowDecider, tenantStream('ivrflow', principal.tenant, flowId));
        if (flow.state.status === 'absent') throw new LedgerlineError('IVR_FLOW_NOT_FOUND', `No IVR flow ${flowId}`, { flowId });
        if (flow.state.status === 'retired') throw new LedgerlineError('IVR_FLOW_RETIRED', `IVR flow ${flowId} is retired`, { flowId });
        await directory.ready;
        const owner = directory.ownerOf(number);
        if (owner && owner.tenant !== principal.tenant) throw new LedgerlineError('NUMBER_IN_USE', `Number ${number} is routed by another tenant`, { number });
        return execute(request, number, { type: 'AssignNumber', flowId });
      },
    );

    app.delete<{ Params: Params }>(
      '/v1/numbers/:number',
      roleRoute(ctx, { permission: 'flows.write', tags, idempotent: true, summary: 'Stop routing the number to the tenant\'s flows (404 when it is not assigned)', params, body: emptyBody, response: { 200: commandResultSchema } }, ['admin']),
      async (request) => execute(request, request.params.number, { type: 'ReleaseNumber' }),
    );

    app.get(
      '/v1/numbers',
      roleRoute(ctx, { permission: 'flows.read', tags, summary: 'The tenant\'s numbers and the flow each routes to', response: { 200: listView } }, ['admin', 'supervisor']),
      async (request) => {
        const principal = principalOf(request);
        await directory.ready;
        return { numbers: directory.list(principal.tenant).map(({ number, flowId, assignedAt, routed }) => ({ number, flowId, assignedAt, routed })) };
      },
    );
  };
}

/** The number routes with the plugin's own directory: PUT/DELETE /v1/numbers/:number (admin), GET /v1/numbers (admin, supervisor). */
export const numberRoutes: FastifyPluginAsync<{ ctx: ApiContext }> = createNumberRoutes();
