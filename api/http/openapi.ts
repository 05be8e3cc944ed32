import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

type Json = Record<string, unknown>;

/** A zod schema as the JSON Schema OpenAPI 3.0 understands; anything else passes through unchanged. */
export function toOpenApiSchema(schema: unknown, io: 'input' | 'output'): unknown {
  if (!(schema instanceof z.ZodType)) return schema;
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return json;
}

function transformRouteSchema(schema: Json): Json {
  const out: Json = { ...schema };
  for (const part of ['body', 'querystring', 'params', 'headers'] as const) {
    if (schema[part] !== undefined) out[part] = toOpenApiSchema(schema[part], 'input');
  }
  if (schema.response && typeof schema.response === 'object') {
    out.response = Object.fromEntries(Object.entries(schema.response as Json).map(([code, s]) => [code, toOpenApiSchema(s, 'output')]));
  }
  return out;
}

/** Registers the OpenAPI 3 document (zod route schemas converted with z.toJSONSchema) at `/docs/json` and the UI at `/docs`. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Ledgerline API',
        version: '1.0.0',
        description:
          'Event-sourced call control for contact centers. Authenticate with `Authorization: Bearer <key>`. ' +
          'Command routes accept an `Idempotency-Key` header: a retry with the same key writes nothing twice. ' +
          'Every error body is `{ error: { code, message, details?, requestId } }` with a code from the error catalogue.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key: ll_<keyId>.<secret>' } } },
    },
    transform: ({ schema, url }) => ({ schema: schema ? (transformRouteSchema(schema as unknown as Json) as never) : schema, url }),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
