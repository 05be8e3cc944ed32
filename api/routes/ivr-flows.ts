import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { parseIvrFlowCommand, PublishIvrFlowSchema, SaveIvrFlowDraftSchema } from '../../domain/ivr-flow/ivr-flow-commands.ts';
import { ivrFlowDecider } from '../../domain/ivr-flow/ivr-flow-decider.ts';
import { flowIdSchema } from '../../domain/ivr-flow/ivr-flow-events.ts';
import { publishedVersion } from '../../domain/ivr-flow/ivr-flow-state.ts';
import { loadAggregate } from '../../engine/command-handling/handle-command.ts';
import { principalOf } from '../auth/principal.ts';
import { runCommand } from '../commands/run-command.ts';
import type { ApiContext } from '../context.ts';
import { protectedRoute } from '../http/route-options.ts';
import { commandResultSchema, emptyBody } from '../http/schemas.ts';
import { tenantStream } from '../tenancy/tenant-streams.ts';
import { IvrFlowCatalogue } from './ivr-flow-catalogue.ts';

const envelopeKeys = { type: true, commandId: true, at: true, actor: true, flowId: true } as const;
const params = z.strictObject({ flowId: flowIdSchema });
type Params = z.infer<typeof params>;
const versionParams = z.strictObject({ flowId: flowIdSchema, version: z.coerce.number().int().min(1).max(1_000_000) });
const draftBody = SaveIvrFlowDraftSchema.omit(envelopeKeys).strict();
const publishBody = PublishIvrFlowSchema.omit(envelopeKeys).strict().nullish();

const flowView = z.object({
  flowId: z.string(),
  status: z.enum(['draft', 'published', 'retired']),
  draft: z.object({ contentHash: z.string(), savedAt: z.int(), flow: z.unknown() }).nullable(),
  versions: z.array(z.object({ version: z.int(), contentHash: z.string(), publishedAt: z.int() })),
  retiredAt: z.int().nullable(),
  revision: z.int(),
});
const flowSummary = z.object({
  flowId: z.string(),
  status: z.enum(['draft', 'published', 'retired']),
  latestVersion: z.int().nullable(),
  publishedAt: z.int().nullable(),
  draftHash: z.string().nullable(),
  retiredAt: z.int().nullable(),
});
const flowList = z.object({ flows: z.array(flowSummary) });
const versionView = z.object({ flowId: z.string(), version: z.int(), contentHash: z.string(), publishedAt: z.int(), flow: z.unknown() });

/** IVR flow configuration routes: save a draft, publish it as a new version, retire, list, and read the flow and its versions. */
export async function registerIvrFlowRoutes(app: FastifyInstance, opts: { ctx: ApiContext }): Promise<void> {
  const { ctx } = opts;
  const tags = ['ivr-flows'];
  const catalogue = new IvrFlowCatalogue();
  app.addHook('onClose', async () => catalogue.stop());
  const write = { permission: 'flows.write' as const, tags, idempotent: true, params, response: { 200: commandResultSchema } };

  const execute = async (request: Parameters<typeof principalOf>[0], flowId: string, command: Record<string, unknown>) => {
    const principal = principalOf(request);
    const stream = tenantStream('ivrflow', principal.tenant, flowId);
    const { result } = await runCommand(ctx, request, principal, ivrFlowDecider, stream, (env) => parseIvrFlowCommand({ ...env, flowId, ...command }));
    catalogue.add(principal.tenant, flowId);
    return result;
  };
  const load = async (request: Parameters<typeof principalOf>[0], flowId: string) => {
    const principal = principalOf(request);
    const { state, revision } = await loadAggregate(ctx.store, ivrFlowDecider, tenantStream('ivrflow', principal.tenant, flowId));
    if (state.status === 'absent' || revision === undefined) throw new LedgerlineError('IVR_FLOW_NOT_FOUND', `No IVR flow ${flowId}`, { flowId });
    return { state, revision };
  };

  app.put<{ Params: Params; Body: { flow: unknown } }>(
    '/v1/ivr-flows/:flowId/draft',
    protectedRoute(ctx, { ...write, summary: 'Save the flow\'s draft as written (validated only at publish)', body: draftBody }),
    async (request) => execute(request, request.params.flowId, { type: 'SaveIvrFlowDraft', flow: request.body.flow }),
  );
  app.post<{ Params: Params; Body: { expectedDraftHash?: string } | null | undefined }>(
    '/v1/ivr-flows/:flowId/publish',
    protectedRoute(ctx, { ...write, summary: 'Validate the draft and publish it as the next version', body: publishBody }),
    async (request) => execute(request, request.params.flowId, { type: 'PublishIvrFlow', ...(request.body ?? {}) }),
  );
  app.post<{ Params: Params }>(
    '/v1/ivr-flows/:flowId/retire',
    protectedRoute(ctx, { ...write, summary: 'Retire the flow: no new calls, no more changes; versions stay readable', body: emptyBody }),
    async (request) => execute(request, request.params.flowId, { type: 'RetireIvrFlow' }),
  );

  app.get<{ Params: Params }>(
    '/v1/ivr-flows/:flowId',
    protectedRoute(ctx, { permission: 'flows.read', tags, summary: 'The flow: status, current draft and published versions', params, response: { 200: flowView } }),
    async (request) => {
      const { state, revision } = await load(request, request.params.flowId);
      return {
        flowId: request.params.flowId,
        status: state.status,
        draft: state.draft,
        versions: state.versions.map((v) => ({ version: v.version, contentHash: v.contentHash, publishedAt: v.publishedAt })),
        retiredAt: state.retiredAt,
        revision: Number(revision),
      };
    },
  );
  app.get<{ Params: z.infer<typeof versionParams> }>(
    '/v1/ivr-flows/:flowId/versions/:version',
    protectedRoute(ctx, { permission: 'flows.read', tags, summary: 'One published version of the flow, as calls ran it', params: versionParams, response: { 200: versionView } }),
    async (request) => {
      const { flowId, version } = request.params;
      const { state } = await load(request, flowId);
      const v = publishedVersion(state, version);
      if (!v) throw new LedgerlineError('IVR_FLOW_VERSION_NOT_FOUND', `IVR flow ${flowId} has no version ${version}`, { flowId, version });
      return { flowId, version: v.version, contentHash: v.contentHash, publishedAt: v.publishedAt, flow: v.flow };
    },
  );
  app.get(
    '/v1/ivr-flows',
    protectedRoute(ctx, { permission: 'flows.read', tags, summary: 'The tenant\'s IVR flows: status, latest published version, current draft', response: { 200: flowList } }),
    async (request) => {
      const principal = principalOf(request);
      const ids = await catalogue.list(ctx.store, principal.tenant);
      const flows = await Promise.all(
        ids.map(async (flowId) => {
          const { state } = await loadAggregate(ctx.store, ivrFlowDecider, tenantStream('ivrflow', principal.tenant, flowId));
          if (state.status === 'absent') return undefined;
          const latest = state.versions.at(-1);
          return {
            flowId,
            status: state.status,
            latestVersion: latest?.version ?? null,
            publishedAt: latest?.publishedAt ?? null,
            draftHash: state.draft?.contentHash ?? null,
            retiredAt: state.retiredAt,
          };
        }),
      );
      return { flows: flows.filter((f) => f !== undefined) };
    },
  );
}
