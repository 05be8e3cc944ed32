import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { CommandEnvelope, Decider } from '../../domain/decider.ts';
import type { DomainEvent } from '../../domain/events/registry.ts';
import { handleCommand, type CommandOutcome } from '../../engine/command-handling/handle-command.ts';
import type { Principal } from '../auth/principal.ts';
import type { ApiContext } from '../context.ts';
import type { CommandResult } from '../http/schemas.ts';

/** The envelope fields the API fills in for every command. */
export interface ApiEnvelope {
  readonly commandId: string;
  readonly at: number;
  readonly actor: string;
}

const commandIds = new WeakMap<FastifyRequest, string>();

/**
 * The command id of a request: its Idempotency-Key (validated by the route's header schema), else a fresh UUID,
 * the same on every call for one request, so a route can derive the ids of what it creates (a new call's stream)
 * before running the command.
 */
export function commandIdOf(request: FastifyRequest): string {
  let id = commandIds.get(request);
  if (id === undefined) {
    const header = request.headers['idempotency-key'];
    id = typeof header === 'string' && header !== '' ? header : randomUUID();
    commandIds.set(request, id);
  }
  return id;
}

/**
 * Runs one decider command for an HTTP request: commandId is the client's Idempotency-Key (validated by the route's
 * header schema) or a fresh UUID, `at` is the server clock, `actor` the key's actor; the tenant goes into every
 * event's metadata and the request id is the correlation id. `parse` turns the envelope and the route's input into
 * the domain command (the domain's own parser, so its rules and coded errors apply).
 */
export async function runCommand<C extends CommandEnvelope, E extends DomainEvent, S>(
  ctx: ApiContext,
  request: FastifyRequest,
  principal: Principal,
  decider: Decider<C, E, S>,
  stream: string,
  parse: (envelope: ApiEnvelope) => C,
): Promise<{ result: CommandResult; outcome: CommandOutcome<S> }> {
  const commandId = commandIdOf(request);
  const command = parse({ commandId, at: ctx.clock(), actor: principal.actor });
  const outcome = await handleCommand(ctx.store, decider, stream, command, { tenant: principal.tenant, correlationId: String(request.id) });
  const category = stream.slice(0, stream.indexOf('-'));
  for (const e of outcome.events) ctx.metrics.eventsAppended.inc({ category, type: e.type });
  return {
    outcome,
    result: {
      commandId,
      duplicate: outcome.duplicate,
      events: outcome.events.map((e) => e.type),
      revision: outcome.revision === undefined ? null : Number(outcome.revision),
    },
  };
}
