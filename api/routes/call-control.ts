import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { parseCallCommand } from '../../domain/call/call-commands.ts';
import { callDecider } from '../../domain/call/call-decider.ts';
import type { CallState } from '../../domain/call/call-state.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { queueDecider } from '../../domain/queue/queue-decider.ts';
import { loadAggregate } from '../../engine/command-handling/handle-command.ts';
import { principalOf, type Principal } from '../auth/principal.ts';
import type { Permission } from '../auth/roles.ts';
import { callDeciderFor, requireOwnCall } from '../commands/call-access.ts';
import { derivedId } from '../commands/derived-id.ts';
import { runCommand, type ApiEnvelope } from '../commands/run-command.ts';
import type { ApiContext } from '../context.ts';
import { protectedRoute } from '../http/route-options.ts';
import { commandResultSchema, emptyBody, type CommandResult } from '../http/schemas.ts';
import { tenantStream } from '../tenancy/tenant-streams.ts';
import {
  callParams,
  cancelConsultBody,
  completeConsultBody,
  conferenceBody,
  consultBody,
  consultResult,
  hangupBody,
  partyParams,
  partyResult,
  pauseRecordingBody,
  recordingResult,
  supervisorBody,
  transferBody,
  transferResult,
  type transferTargetBody,
} from './call-control-schemas.ts';

type CallParams = z.infer<typeof callParams>;
type AnyRequest = FastifyRequest<{ Params: CallParams; Body: unknown }>;

/** The id a supervisor joins calls under: its agent id when the key is bound to one, else the key id. */
export function supervisorIdOf(principal: Principal): string {
  return principal.agentId ?? principal.keyId;
}

/** Who a hangup is recorded as: an agent's desktop (agent and integrator keys) or the platform (a supervisor, an admin). */
function hangupSide(principal: Principal): 'agent' | 'system' {
  return principal.role === 'agent' || principal.role === 'integrator' ? 'agent' : 'system';
}

/** The call as the key may see it: 404 when absent from the tenant, 403 for an agent key on another agent's call. */
async function loadCall(ctx: ApiContext, principal: Principal, callId: string): Promise<CallState> {
  const { state } = await loadAggregate(ctx.store, callDecider, tenantStream('call', principal.tenant, callId));
  if (state.status === 'none') throw new LedgerlineError('CALL_NOT_FOUND', `No call ${callId}`, { callId });
  requireOwnCall(principal, state);
  return state;
}

/**
 * Live call control: hold, resume, hang up, blind and attended transfer, conference, recording and supervision. Each
 * route turns the request into one call-decider command on `call-<tenant>.<callId>`, recorded with the key's actor;
 * the engine reacts to the events (it drives the switch). Agent keys act only on their own calls.
 */
export async function registerCallControlRoutes(app: FastifyInstance, opts: { ctx: ApiContext }): Promise<void> {
  const { ctx } = opts;
  const tags = ['calls'];

  /** Runs one call command for the request; `toCommand` gets the envelope (its commandId names created resources). */
  const execute = async (request: AnyRequest, toCommand: (env: ApiEnvelope, principal: Principal) => Record<string, unknown>): Promise<CommandResult> => {
    const principal = principalOf(request);
    const { callId } = request.params;
    const stream = tenantStream('call', principal.tenant, callId);
    const { result } = await runCommand(ctx, request, principal, callDeciderFor(principal), stream, (env) =>
      parseCallCommand({ ...env, callId, ...toCommand(env, principal) }),
    );
    return result;
  };

  const route = (
    method: 'POST' | 'DELETE',
    path: string,
    spec: { permission: Permission; summary: string; body?: z.ZodType; params?: z.ZodType; response?: z.ZodType },
    handler: (request: AnyRequest) => Promise<CommandResult>,
  ) =>
    app.route<{ Params: CallParams; Body: unknown }>({
      method,
      url: `/v1/calls/:callId${path}`,
      ...protectedRoute(ctx, {
        permission: spec.permission,
        summary: spec.summary,
        tags,
        params: spec.params ?? callParams,
        ...(spec.body ? { body: spec.body } : {}),
        idempotent: true,
        response: { 200: spec.response ?? commandResultSchema },
      }),
      handler,
    });

  route('POST', '/hold', { permission: 'calls.control', summary: 'Put the customer on hold', body: emptyBody }, (r) => execute(r, () => ({ type: 'HoldCall' })));
  route('POST', '/resume', { permission: 'calls.control', summary: 'Take the customer off hold', body: emptyBody }, (r) => execute(r, () => ({ type: 'ResumeCall' })));
  route('POST', '/hangup', { permission: 'calls.control', summary: 'End the call (an agent hangs up, or a supervisor ends it)', body: hangupBody }, (r) =>
    execute(r, (_env, p) => ({ type: 'EndCall', cause: (r.body as z.infer<typeof hangupBody>)?.cause ?? 'NORMAL_CLEARING', hungUpBy: hangupSide(p) })),
  );

  /** A queue target with its defaults filled in from the queue (404 when the tenant has no such queue). */
  const queueTarget = async (r: AnyRequest, t: Extract<z.infer<typeof transferTargetBody>, { kind: 'queue' }>) => {
    const principal = principalOf(r);
    const call = await loadCall(ctx, principal, r.params.callId);
    const { state: queue } = await loadAggregate(ctx.store, queueDecider, tenantStream('queue', principal.tenant, t.queueId));
    if (queue.status !== 'active' || !queue.config) throw new LedgerlineError('QUEUE_NOT_FOUND', `No queue ${t.queueId}`, { queueId: t.queueId });
    const rules = queue.config.priority;
    const base = (call.customer && rules.baseByTier[call.customer.tier]) ?? rules.defaultBase;
    return {
      kind: 'queue' as const,
      queueId: t.queueId,
      priority: t.priority ?? Math.min(999, base),
      requiredSkills: t.requiredSkills ?? queue.config.skills.base.map((k) => ({ skill: k.skill, minProficiency: k.minProficiency })),
    };
  };
  route(
    'POST',
    '/transfer',
    { permission: 'calls.control', summary: 'Blind transfer to a queue, an agent (a direct offer) or an external number', body: transferBody, response: transferResult },
    async (r) => {
      const { target } = r.body as z.infer<typeof transferBody>;
      const queued = target.kind === 'queue' ? await queueTarget(r, target) : undefined;
      // A transfer to an agent is a direct offer: its id derives from the command, so a retry offers nothing twice.
      const result = await execute(r, (env) => ({ type: 'TransferCall', target: queued ?? (target.kind === 'agent' ? { ...target, offerId: derivedId('offer', env.commandId) } : target) }));
      return { ...result, offerId: target.kind === 'agent' ? derivedId('offer', result.commandId) : null };
    },
  );

  route('POST', '/consult', { permission: 'calls.control', summary: 'Attended transfer: start a consultation with an agent or a number', body: consultBody, response: consultResult }, async (r) => {
    const { target } = r.body as z.infer<typeof consultBody>;
    const result = await execute(r, (env) => ({ type: 'StartConsult', consultId: derivedId('consult', env.commandId), target }));
    return { ...result, consultId: derivedId('consult', result.commandId) };
  });
  const activeConsult = async (r: AnyRequest, named: string | undefined): Promise<string> => {
    if (named !== undefined) return named;
    const call = await loadCall(ctx, principalOf(r), r.params.callId);
    if (!call.consult) throw new LedgerlineError('CONSULT_NOT_ACTIVE', `Call ${r.params.callId} has no active consultation`, { callId: r.params.callId });
    return call.consult.consultId;
  };
  route(
    'POST',
    '/consult/complete',
    { permission: 'calls.control', summary: 'Complete the consultation: hand the call over (transfer) or join everyone (conference)', body: completeConsultBody },
    async (r) => {
      const body = (r.body as z.infer<typeof completeConsultBody>) ?? { mode: 'transfer' as const };
      const consultId = await activeConsult(r, body.consultId);
      return execute(r, () => ({ type: 'CompleteConsult', consultId, mode: body.mode }));
    },
  );
  route('POST', '/consult/cancel', { permission: 'calls.control', summary: 'Cancel the consultation; the agent keeps the call', body: cancelConsultBody }, async (r) => {
    const consultId = await activeConsult(r, (r.body as z.infer<typeof cancelConsultBody>)?.consultId);
    return execute(r, () => ({ type: 'CancelConsult', consultId, reason: 'requested' }));
  });

  route('POST', '/conference', { permission: 'calls.control', summary: 'Add a party (an agent or a number) to the call', body: conferenceBody, response: partyResult }, async (r) => {
    const { party } = r.body as z.infer<typeof conferenceBody>;
    const result = await execute(r, (env) => ({ type: 'AddConferenceParty', partyId: derivedId('party', env.commandId), party }));
    return { ...result, partyId: derivedId('party', result.commandId) };
  });
  route('DELETE', '/conference/:partyId', { permission: 'calls.control', summary: 'Remove a party from the call', params: partyParams }, (r) =>
    execute(r, () => ({ type: 'RemoveConferenceParty', partyId: (r.params as z.infer<typeof partyParams>).partyId, reason: 'requested' })),
  );

  route('POST', '/recording/start', { permission: 'calls.control', summary: 'Start recording the call', body: emptyBody, response: recordingResult }, async (r) => {
    const result = await execute(r, (env) => ({ type: 'StartRecording', recordingId: derivedId('recording', env.commandId) }));
    return { ...result, recordingId: derivedId('recording', result.commandId) };
  });
  route('POST', '/recording/pause', { permission: 'calls.control', summary: 'Pause the recording (e.g. while card details are given)', body: pauseRecordingBody }, (r) =>
    execute(r, () => ({ type: 'PauseRecording', reason: (r.body as z.infer<typeof pauseRecordingBody>)?.reason ?? 'requested' })),
  );
  route('POST', '/recording/resume', { permission: 'calls.control', summary: 'Resume a paused recording', body: emptyBody }, (r) => execute(r, () => ({ type: 'ResumeRecording' })));
  route('POST', '/recording/stop', { permission: 'calls.control', summary: 'Stop the recording', body: emptyBody }, (r) => execute(r, () => ({ type: 'StopRecording' })));

  route('POST', '/supervisor', { permission: 'calls.supervise', summary: 'Supervisor: join the call to listen, whisper or barge', body: supervisorBody }, (r) =>
    execute(r, (_env, p) => ({ type: 'JoinSupervisor', supervisorId: supervisorIdOf(p), mode: (r.body as z.infer<typeof supervisorBody>).mode })),
  );
  route('DELETE', '/supervisor', { permission: 'calls.supervise', summary: 'Supervisor: leave the call' }, (r) =>
    execute(r, (_env, p) => ({ type: 'LeaveSupervisor', supervisorId: supervisorIdOf(p) })),
  );
}
