// API key lifecycle events (stream `apikey-<keyId>`). Not contact-center domain, so not in domain/events/registry.ts;
// they use the same defineEvent so they are versioned and upcast like every other event.
import { z } from 'zod';
import { defineEvent, upcast } from '../../domain/events/event-definition.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { tenantSchema } from '../tenancy/tenant-streams.ts';
import { KEY_ID_PATTERN } from './api-key-secret.ts';
import { ROLES } from './roles.ts';

export const keyIdSchema = z.string().regex(KEY_ID_PATTERN, '20 lowercase hex characters');

export const ApiKeyCreated = defineEvent({
  type: 'ApiKeyCreated',
  category: 'apikey',
  schema: z.object({
    keyId: keyIdSchema,
    /** `sha256:<hex>` of the secret; the secret itself is never stored. */
    hash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    role: z.enum(ROLES),
    tenant: tenantSchema,
    /** The agent an `agent` key acts as; null for other roles. */
    agentId: z.string().min(1).max(100).nullable(),
    name: z.string().max(200),
    at: z.int().nonnegative(),
  }),
  description: 'An API key was issued for a role in a tenant (only its hash is kept).',
});

export const ApiKeyRevoked = defineEvent({
  type: 'ApiKeyRevoked',
  category: 'apikey',
  schema: z.object({ keyId: keyIdSchema, at: z.int().nonnegative() }),
  description: 'An API key was revoked; requests with it are refused from then on.',
});

export const apiKeyEvents = [ApiKeyCreated, ApiKeyRevoked] as const;

export type ApiKeyCreatedData = z.infer<typeof ApiKeyCreated.schema>;
export type ApiKeyEvent = { type: 'ApiKeyCreated'; data: ApiKeyCreatedData } | { type: 'ApiKeyRevoked'; data: z.infer<typeof ApiKeyRevoked.schema> };

/** The stream of key `keyId`. */
export const apiKeyStream = (keyId: string): string => `apikey-${keyId}`;

/** Reads a stored apikey event (upcast and validated); EVENT_TYPE_UNKNOWN for any other type. */
export function parseApiKeyEvent(type: string, schemaVersion: unknown, data: unknown): ApiKeyEvent {
  const version = typeof schemaVersion === 'number' ? schemaVersion : 1;
  const def = apiKeyEvents.find((d) => d.type === type);
  if (!def) throw new LedgerlineError('EVENT_TYPE_UNKNOWN', `Not an API key event: ${type}`, { type });
  try {
    return { type: def.type, data: upcast(def as typeof ApiKeyCreated, version, data) } as ApiKeyEvent;
  } catch (cause) {
    throw new LedgerlineError('EVENT_DATA_INVALID', `${type}: stored data is invalid`, { type }, { cause });
  }
}
