import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { keyIdSchema } from '../auth/api-key-events.ts';
import type { ApiKeyRecord } from '../auth/api-key-index.ts';
import { createApiKey, revokeApiKey } from '../auth/api-key-store.ts';
import { principalOf } from '../auth/principal.ts';
import { ROLES } from '../auth/roles.ts';
import type { ApiContext } from '../context.ts';
import { protectedRoute } from '../http/route-options.ts';
import { emptyBody, resourceId } from '../http/schemas.ts';

const createBody = z.strictObject({
  role: z.enum(ROLES),
  agentId: resourceId.optional().describe('Required for role agent, refused for the others'),
  name: z.string().max(200).default('').describe('A label for people: who or what uses the key'),
});
const keyView = z.object({
  keyId: z.string(),
  role: z.enum(ROLES),
  tenant: z.string(),
  agentId: z.string().nullable(),
  name: z.string(),
  createdAt: z.int(),
  revokedAt: z.int().nullable(),
});
const createdView = keyView.extend({ secret: z.string().describe('Shown once: only its hash is stored') });
const params = z.strictObject({ keyId: keyIdSchema });

function view(k: ApiKeyRecord): z.infer<typeof keyView> {
  return { keyId: k.keyId, role: k.role, tenant: k.tenant, agentId: k.agentId, name: k.name, createdAt: k.createdAt, revokedAt: k.revokedAt };
}

/**
 * Key management for admins, within their own tenant. Keys are events (`apikey-<keyId>` streams), so issuing and
 * revoking are audited like everything else. This is how keys are created while a PGlite-backed server holds the
 * data directory (the CLI cannot open it at the same time).
 */
export async function registerKeyRoutes(app: FastifyInstance, opts: { ctx: ApiContext }): Promise<void> {
  const { ctx } = opts;
  const tags = ['keys'];

  app.post<{ Body: z.infer<typeof createBody> }>(
    '/v1/keys',
    protectedRoute(ctx, { permission: 'keys.manage', tags, summary: 'Issue an API key in the caller\'s tenant; the secret is returned once', body: createBody, response: { 201: createdView } }),
    async (request, reply) => {
      const principal = principalOf(request);
      const { role, agentId, name } = request.body;
      const created = await createApiKey(ctx.store, { role, tenant: principal.tenant, agentId: agentId ?? null, name }, { actor: principal.actor, at: ctx.clock(), correlationId: String(request.id) });
      ctx.keys.apply(created.event);
      request.log.info({ keyId: created.key.keyId, role, tenant: principal.tenant }, 'API key created');
      return reply.status(201).send({ ...view(ctx.keys.get(created.key.keyId)!), secret: created.secret });
    },
  );

  app.get(
    '/v1/keys',
    protectedRoute(ctx, { permission: 'keys.read', tags, summary: 'The tenant\'s API keys (never secrets or hashes)', response: { 200: z.object({ keys: z.array(keyView) }) } }),
    async (request) => ({ keys: ctx.keys.list(principalOf(request).tenant).map(view) }),
  );

  app.delete<{ Params: z.infer<typeof params> }>(
    '/v1/keys/:keyId',
    protectedRoute(ctx, { permission: 'keys.manage', tags, summary: 'Revoke an API key of the tenant (idempotent)', params, body: emptyBody, response: { 200: keyView } }),
    async (request) => {
      const principal = principalOf(request);
      const { keyId } = request.params;
      const known = ctx.keys.get(keyId);
      if (!known || known.tenant !== principal.tenant) throw new LedgerlineError('NOT_FOUND', `No API key ${keyId}`, { keyId });
      const out = await revokeApiKey(ctx.store, principal.tenant, keyId, { actor: principal.actor, at: ctx.clock(), correlationId: String(request.id) });
      if (out.event) ctx.keys.apply(out.event);
      request.log.info({ keyId, alreadyRevoked: out.alreadyRevoked }, 'API key revoked');
      return view(ctx.keys.get(keyId)!);
    },
  );
}
