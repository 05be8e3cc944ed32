// Schemas shared by the routes: path ids, the Idempotency-Key header, command results and error bodies (for docs).
import { z } from 'zod';

/** A client-chosen resource id in a path: what every domain id accepts and a stream name can hold. */
export const resourceId = z.string().regex(/^[A-Za-z0-9_.:@-]{1,100}$/, 'letters, digits, and _ . : @ -, at most 100');

/** `Idempotency-Key`: becomes the command id, so a retry with the same key writes nothing twice. */
export const idempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,200}$/, 'letters, digits, and . _ : -, at most 200')
    .optional()
    .describe('Makes the request idempotent: the same key on the same resource is applied once'),
});

/** A route without a body: none (null), or an empty object (anything else is an unknown field). */
export const emptyBody = z.strictObject({}).nullish();

/** What a command route answers. */
export const commandResultSchema = z.object({
  commandId: z.string(),
  /** True when this Idempotency-Key had already been applied: nothing was written this time. */
  duplicate: z.boolean(),
  /** Types of the events this command appended, in order. */
  events: z.array(z.string()),
  /** The stream's last revision after the command (null while the stream is empty). */
  revision: z.int().nullable(),
});
export type CommandResult = z.infer<typeof commandResultSchema>;

const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional(), requestId: z.string() }),
});

/** The error responses every protected route may give, for the OpenAPI document. */
export const errorResponses = {
  400: errorBodySchema.describe('Malformed JSON, unknown fields, wrong types or a bad id (VALIDATION_FAILED, with details.path)'),
  401: errorBodySchema.describe('Missing, unknown or revoked API key (UNAUTHENTICATED)'),
  403: errorBodySchema.describe('The key\'s role may not do this (FORBIDDEN)'),
  404: errorBodySchema.describe('No such resource in the key\'s tenant'),
  409: errorBodySchema.describe('The command does not apply in the resource\'s current state'),
  413: errorBodySchema.describe('The body exceeds the size limit (PAYLOAD_TOO_LARGE)'),
  429: errorBodySchema.describe('The key\'s rate limit is exhausted (RATE_LIMITED, Retry-After header)'),
};

/** The OpenAPI security requirement of protected routes. */
export const bearer = [{ bearerAuth: [] }];
