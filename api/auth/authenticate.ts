import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import type { ApiKeyIndex } from './api-key-index.ts';
import { keyIdOfSecret, secretMatches } from './api-key-secret.ts';
import { actorOf, setPrincipal } from './principal.ts';
import { roleAllows, type Permission } from './roles.ts';
import type { TokenBuckets } from './token-bucket.ts';

/** What authentication needs: the key index, the per-key buckets and a clock (epoch ms). */
export interface AuthDeps {
  readonly keys: ApiKeyIndex;
  readonly buckets: TokenBuckets;
  readonly clock: () => number;
}

const BEARER = /^Bearer ([^\s]+)$/;

/**
 * The onRequest hook of a protected route: a valid, unrevoked `Authorization: Bearer <key>` (else 401
 * UNAUTHENTICATED, the same answer for missing, malformed, unknown and revoked keys), a token from the key's bucket
 * (else 429 RATE_LIMITED with Retry-After), and the route's permission (else 403 FORBIDDEN). Runs before the body
 * is validated, so an anonymous caller learns nothing about the route's input.
 */
export function authorize(deps: AuthDeps, permission: Permission): onRequestAsyncHookHandler {
  return async function authorizeRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    const secret = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    const keyId = secret === undefined ? undefined : keyIdOfSecret(secret);
    const key = keyId === undefined ? undefined : deps.keys.get(keyId);
    if (secret === undefined || !key || !secretMatches(secret, key.hash) || key.revokedAt !== null) {
      reply.header('www-authenticate', 'Bearer realm="ledgerline"');
      throw new LedgerlineError('UNAUTHENTICATED', header === undefined ? 'Missing Authorization: Bearer <key>' : 'Invalid or revoked API key');
    }
    const taken = deps.buckets.take(key.keyId, deps.clock());
    if (!taken.allowed) {
      reply.header('retry-after', String(taken.retryAfterSeconds));
      throw new LedgerlineError('RATE_LIMITED', `Rate limit exceeded for key ${key.keyId}; retry in ${taken.retryAfterSeconds} s`, {
        keyId: key.keyId,
        retryAfterSeconds: taken.retryAfterSeconds,
      });
    }
    reply.header('x-ratelimit-remaining', String(taken.remaining));
    if (!roleAllows(key.role, permission)) {
      throw new LedgerlineError('FORBIDDEN', `Role ${key.role} may not ${permission}`, { role: key.role, permission });
    }
    setPrincipal(request, { keyId: key.keyId, role: key.role, tenant: key.tenant, agentId: key.agentId, actor: actorOf(key) });
  };
}
