import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { parseCallCommand } from '../../domain/call/call-commands.ts';
import { callDecider } from '../../domain/call/call-decider.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { principalOf, requireOwnAgent } from '../auth/principal.ts';
import { derivedId } from '../commands/derived-id.ts';
import { commandIdOf, runCommand } from '../commands/run-command.ts';
import type { ApiContext } from '../context.ts';
import { protectedRoute } from '../http/route-options.ts';
import { errorResponses } from '../http/schemas.ts';
import { tenantStream } from '../tenancy/tenant-streams.ts';
import { originateBody, originateResult } from './call-control-schemas.ts';

/** Where the platform dials outbound calls: the switch (or a chooser, e.g. the least loaded) and the default caller id. */
export interface OutboundSettings {
  readonly switchId: string | (() => string);
  /** Presented to the customer unless the request names one. */
  readonly callerIdNumber?: string;
}

/**
 * `POST /v1/calls`: click-to-call. Records `OriginateCall` on a new call stream whose id (and the customer leg's
 * channel UUID, which the engine dials with as `origination_uuid`) derives from the command id, so a retried request
 * with the same Idempotency-Key names the same call and writes nothing twice. The engine dials on `CallOriginated`.
 */
export async function registerClickToCallRoutes(app: FastifyInstance, opts: { ctx: ApiContext; outbound?: OutboundSettings }): Promise<void> {
  const { ctx, outbound } = opts;
  app.post<{ Body: z.infer<typeof originateBody> }>(
    '/v1/calls',
    protectedRoute(ctx, {
      permission: 'calls.originate',
      tags: ['calls'],
      summary: 'Click-to-call: dial a customer for an agent (or agentless); the new call\'s id is in the answer',
      body: originateBody,
      idempotent: true,
      response: { 201: originateResult, 200: originateResult.describe('A retry: the call this Idempotency-Key created, nothing written'), 503: errorResponses[404].describe('Outbound calling is not configured (UNAVAILABLE)') },
    }),
    async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body;
      const agentId = body.agentId ?? (principal.role === 'agent' ? principal.agentId : null);
      if (agentId !== null) requireOwnAgent(principal, agentId);
      if (!outbound) throw new LedgerlineError('UNAVAILABLE', 'Outbound calling is not configured on this server');
      const callerIdNumber = body.callerIdNumber ?? outbound.callerIdNumber;
      if (callerIdNumber === undefined) {
        throw new LedgerlineError('VALIDATION_FAILED', 'body.callerIdNumber: required (no default outbound caller id is configured)', { path: 'body.callerIdNumber', issues: [] });
      }
      const switchId = typeof outbound.switchId === 'function' ? outbound.switchId() : outbound.switchId;
      const commandId = commandIdOf(request);
      const callId = derivedId('call', commandId, principal.tenant);
      const channelUuid = derivedId('channel', commandId, principal.tenant);
      const { result } = await runCommand(ctx, request, principal, callDecider, tenantStream('call', principal.tenant, callId), (env) =>
        parseCallCommand({
          ...env,
          type: 'OriginateCall',
          callId,
          destinationNumber: body.destinationNumber,
          callerIdNumber,
          switchId,
          channelUuid,
          agentId,
          campaignId: body.campaignId ?? null,
        }),
      );
      return reply.status(result.duplicate ? 200 : 201).send({ ...result, callId, channelUuid });
    },
  );
}
