import type { FastifyRequest } from 'fastify';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import type { Role } from './roles.ts';

/** Who a request acts as: the key's id, role and tenant, the agent an `agent` key is bound to, and the actor string. */
export interface Principal {
  readonly keyId: string;
  readonly role: Role;
  readonly tenant: string;
  readonly agentId: string | null;
  /** Recorded in every event's metadata: `agent:<agentId>` for agent keys, else `<role>:<keyId>`. */
  readonly actor: string;
}

const principals = new WeakMap<FastifyRequest, Principal>();

/** Attaches the authenticated principal to a request. */
export function setPrincipal(request: FastifyRequest, principal: Principal): void {
  principals.set(request, principal);
}

/** The authenticated principal; UNAUTHENTICATED when the route forgot to authenticate (a bug, never silent). */
export function principalOf(request: FastifyRequest): Principal {
  const p = principals.get(request);
  if (!p) throw new LedgerlineError('UNAUTHENTICATED', 'A valid API key is required');
  return p;
}

/** The actor string of a key. */
export function actorOf(key: { keyId: string; role: Role; agentId: string | null }): string {
  return key.role === 'agent' && key.agentId !== null ? `agent:${key.agentId}` : `${key.role}:${key.keyId}`;
}

/**
 * For `agent` keys: refuses (403) anything about another agent than the key's own. Other roles pass. Used by every
 * route that names an agent, so an agent key reads and changes only its own state and calls.
 */
export function requireOwnAgent(principal: Principal, agentId: string): void {
  if (principal.role === 'agent' && principal.agentId !== agentId) {
    throw new LedgerlineError('FORBIDDEN', `This key acts for agent ${principal.agentId} only`, { agentId });
  }
}
