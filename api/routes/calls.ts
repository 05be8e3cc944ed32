import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DispositionCallSchema, parseCallCommand } from '../../domain/call/call-commands.ts';
import { callDecider } from '../../domain/call/call-decider.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { principalOf, requireOwnAgent } from '../auth/principal.ts';
import { runCommand } from '../commands/run-command.ts';
import type { ApiContext } from '../context.ts';
import { protectedRoute } from '../http/route-options.ts';
import { commandResultSchema, resourceId } from '../http/schemas.ts';
import { tenantStream } from '../tenancy/tenant-streams.ts';

const params = z.strictObject({ callId: resourceId });
const dispositionBody = DispositionCallSchema.omit({ type: true, commandId: true, at: true, actor: true, callId: true, agentId: true })
  .extend({ agentId: resourceId.optional().describe('The agent who handled the call; agent keys may omit it (their own agent)') })
  .strict();

/** Call routes that need no call engine: the disposition (wrap-up code) of an ended call. Live call control comes with the engine. */
export async function registerCallRoutes(app: FastifyInstance, opts: { ctx: ApiContext }): Promise<void> {
  const { ctx } = opts;
  app.post<{ Params: z.infer<typeof params>; Body: z.infer<typeof dispositionBody> }>(
    '/v1/calls/:callId/disposition',
    protectedRoute(ctx, {
      permission: 'calls.disposition',
      tags: ['calls'],
      summary: 'Record the wrap-up code of an ended call, by an agent who handled it',
      params,
      body: dispositionBody,
      idempotent: true,
      response: { 200: commandResultSchema },
    }),
    async (request) => {
      const principal = principalOf(request);
      const { agentId: named, ...rest } = request.body;
      const agentId = named ?? principal.agentId;
      if (agentId === null || agentId === undefined) {
        throw new LedgerlineError('VALIDATION_FAILED', 'body.agentId: required for keys not bound to an agent', { path: 'body.agentId', issues: [] });
      }
      requireOwnAgent(principal, agentId);
      const { callId } = request.params;
      const stream = tenantStream('call', principal.tenant, callId);
      const { result } = await runCommand(ctx, request, principal, callDecider, stream, (env) =>
        parseCallCommand({ ...env, type: 'DispositionCall', callId, agentId, ...rest }),
      );
      return result;
    },
  );
  // Live call control (originate, transfer, hold, supervise) and GET /v1/calls come with the call engine and projections.
}
