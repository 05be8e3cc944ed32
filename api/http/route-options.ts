import type { RouteShorthandOptions } from 'fastify';
import type { z } from 'zod';
import { authorize } from '../auth/authenticate.ts';
import type { Permission } from '../auth/roles.ts';
import type { ApiContext } from '../context.ts';
import { bearer, errorResponses, idempotencyHeaders } from './schemas.ts';

/** The parts of a protected route's definition. */
export interface ProtectedRouteSpec {
  readonly permission: Permission;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly params?: z.ZodType;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  /** Command routes read the Idempotency-Key header. */
  readonly idempotent?: boolean;
  readonly response?: Readonly<Record<number, z.ZodType>>;
}

/** Route options for a protected route: authentication and authorisation first, then zod validation, documented. */
export function protectedRoute(ctx: ApiContext, spec: ProtectedRouteSpec): RouteShorthandOptions {
  return {
    onRequest: authorize(ctx, spec.permission),
    schema: {
      summary: spec.summary,
      description: `Requires permission \`${spec.permission}\`.`,
      tags: [...spec.tags],
      security: bearer,
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.body ? { body: spec.body } : {}),
      ...(spec.query ? { querystring: spec.query } : {}),
      ...(spec.idempotent ? { headers: idempotencyHeaders } : {}),
      response: { ...spec.response, ...errorResponses },
    },
  };
}
