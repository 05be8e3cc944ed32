import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LogInSchema, MakeNotReadySchema, ForceStateSchema, parseAgentCommand } from '../../domain/agent/agent-commands.ts';
import { agentDecider } from '../../domain/agent/agent-decider.ts';
import type { AgentDeciderState } from '../../domain/agent/agent-state.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { loadAggregate } from '../../engine/command-handling/handle-command.ts';
import { principalOf, requireOwnAgent } from '../auth/principal.ts';
import { runCommand } from '../commands/run-command.ts';
import type { ApiContext } from '../context.ts';
import { protectedRoute } from '../http/route-options.ts';
import { commandResultSchema, emptyBody, resourceId } from '../http/schemas.ts';
import { tenantStream } from '../tenancy/tenant-streams.ts';

const params = z.strictObject({ agentId: resourceId });
type Params = z.infer<typeof params>;
const envelopeKeys = { type: true, commandId: true, at: true, actor: true, agentId: true } as const;

const loginBody = LogInSchema.omit(envelopeKeys).strict();
const notReadyBody = MakeNotReadySchema.omit(envelopeKeys).strict();
const forceBody = ForceStateSchema.omit(envelopeKeys).strict();

const agentView = z.object({
  agentId: z.string(),
  state: z.string(),
  since: z.int().nullable(),
  loggedInAt: z.int().nullable(),
  notReadyReason: z.string().nullable(),
  skills: z.array(z.object({ skill: z.string(), proficiency: z.int() })),
  capacity: z.object({ voice: z.int() }),
  call: z.object({ offerId: z.string(), callId: z.string(), queueId: z.string() }).nullable(),
  pending: z.object({ state: z.string(), reasonCode: z.string().optional() }).nullable(),
  consecutiveMisses: z.int(),
  unavailableUntil: z.int().nullable(),
  revision: z.int(),
});

function view(s: AgentDeciderState, revision: bigint): z.infer<typeof agentView> {
  return {
    agentId: s.agentId!,
    state: s.state,
    since: s.since,
    loggedInAt: s.loggedInAt,
    notReadyReason: s.notReadyReason,
    skills: s.skills.map((k) => ({ skill: k.skill, proficiency: k.proficiency })),
    capacity: s.capacity,
    call: s.call ? { offerId: s.call.offerId, callId: s.call.callId, queueId: s.call.queueId } : null,
    pending: s.pending,
    consecutiveMisses: s.consecutiveMisses,
    unavailableUntil: s.unavailableUntil,
    revision: Number(revision),
  };
}

/** Agent state routes: log in, ready, not ready, log out (the agent or a supervisor), forced state (supervisors), read. */
export async function registerAgentRoutes(app: FastifyInstance, opts: { ctx: ApiContext }): Promise<void> {
  const { ctx } = opts;
  const tags = ['agents'];
  const command = (
    path: string,
    summary: string,
    permission: 'agents.operate' | 'agents.force',
    body: z.ZodType,
    toCommand: (p: Params, body: Record<string, unknown>) => Record<string, unknown>,
  ) =>
    app.post<{ Params: Params; Body: Record<string, unknown> | null | undefined }>(
      `/v1/agents/:agentId/${path}`,
      protectedRoute(ctx, { permission, summary, tags, params, body, idempotent: true, response: { 200: commandResultSchema } }),
      async (request) => {
        const principal = principalOf(request);
        requireOwnAgent(principal, request.params.agentId);
        const stream = tenantStream('agent', principal.tenant, request.params.agentId);
        const { result } = await runCommand(ctx, request, principal, agentDecider, stream, (env) =>
          parseAgentCommand({ ...env, agentId: request.params.agentId, ...toCommand(request.params, request.body ?? {}) }),
        );
        return result;
      },
    );

  command('login', 'Log the agent in (not ready unless `ready` is true)', 'agents.operate', loginBody, (_p, b) => ({ type: 'LogIn', ...b }));
  command('ready', 'Make the agent ready for calls', 'agents.operate', emptyBody, () => ({ type: 'MakeReady' }));
  command('not-ready', 'Make the agent not ready, with a reason code', 'agents.operate', notReadyBody, (_p, b) => ({ type: 'MakeNotReady', ...b }));
  command('logout', 'Log the agent out (deferred until wrap-up ends while on a call)', 'agents.operate', emptyBody, () => ({ type: 'LogOut' }));
  command('forced-state', 'Supervisor: force the agent to ready, not ready or logged out', 'agents.force', forceBody, (_p, b) => ({ type: 'ForceState', ...b }));
  command('state', 'Supervisor: set the agent ready, not ready or logged out (the same ForceState command as forced-state)', 'agents.force', forceBody, (_p, b) => ({
    type: 'ForceState',
    ...b,
  }));

  app.get<{ Params: Params }>(
    '/v1/agents/:agentId',
    protectedRoute(ctx, { permission: 'agents.read', summary: 'The agent\'s current state, folded from its stream', tags, params, response: { 200: agentView } }),
    async (request) => {
      const principal = principalOf(request);
      requireOwnAgent(principal, request.params.agentId);
      const { state, revision } = await loadAggregate(ctx.store, agentDecider, tenantStream('agent', principal.tenant, request.params.agentId));
      if (state.agentId === null || revision === undefined) throw new LedgerlineError('NOT_FOUND', `No agent ${request.params.agentId}`, { agentId: request.params.agentId });
      return view(state, revision);
    },
  );
  // GET /v1/agents (the list, with live state) comes with the agent-state projection.
}
