import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../adapters/event-store/port.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { eventIdFor } from '../../domain/ids/deterministic-id.ts';
import { ApiKeyCreated, ApiKeyRevoked, apiKeyStream, parseApiKeyEvent, type ApiKeyCreatedData, type ApiKeyEvent } from './api-key-events.ts';
import { mintApiKey } from './api-key-secret.ts';
import type { Role } from './roles.ts';

/** Who issues a key operation and when: copied into the event metadata, like every command's. */
export interface KeyOperationContext {
  readonly actor: string;
  readonly at: number;
  readonly commandId?: string;
  readonly correlationId?: string;
}

export interface CreateApiKeyInput {
  readonly role: Role;
  readonly tenant: string;
  readonly agentId?: string | null;
  readonly name?: string;
}

/** A key just created: the record as stored and the secret, which exists nowhere else. */
export interface CreatedApiKey {
  readonly key: ApiKeyCreatedData;
  readonly secret: string;
  readonly event: ApiKeyEvent;
}

/** Issues a key: appends ApiKeyCreated (with the hash, never the secret) to a new `apikey-<keyId>` stream. */
export async function createApiKey(store: EventStore, input: CreateApiKeyInput, ctx: KeyOperationContext): Promise<CreatedApiKey> {
  const agentId = input.agentId ?? null;
  if (input.role === 'agent' && agentId === null) throw new LedgerlineError('VALIDATION_FAILED', 'An agent key needs the agent it acts as', { path: 'agentId' });
  if (input.role !== 'agent' && agentId !== null) throw new LedgerlineError('VALIDATION_FAILED', 'Only agent keys name an agent', { path: 'agentId' });
  const minted = mintApiKey();
  const data = ApiKeyCreated.schema.parse({ keyId: minted.keyId, hash: minted.hash, role: input.role, tenant: input.tenant, agentId, name: input.name ?? '', at: ctx.at });
  const commandId = ctx.commandId ?? randomUUID();
  await store.appendToStream(
    apiKeyStream(minted.keyId),
    { id: eventIdFor(commandId, 0), type: ApiKeyCreated.type, data, metadata: metadata(ctx, commandId, input.tenant, ApiKeyCreated.version) },
    { expectedRevision: 'no_stream' },
  );
  return { key: data, secret: minted.secret, event: { type: 'ApiKeyCreated', data } };
}

/**
 * Revokes key `keyId` of `tenant`. NOT_FOUND when it does not exist or belongs to another tenant; revoking a revoked
 * key writes nothing and reports `alreadyRevoked`.
 */
export async function revokeApiKey(
  store: EventStore,
  tenant: string,
  keyId: string,
  ctx: KeyOperationContext,
): Promise<{ alreadyRevoked: boolean; event?: ApiKeyEvent }> {
  const stream = apiKeyStream(keyId);
  let created: ApiKeyCreatedData | undefined;
  let revoked = false;
  let revision: bigint | undefined;
  try {
    for await (const e of store.readStream(stream)) {
      const parsed = parseApiKeyEvent(e.type, e.metadata.schemaVersion, e.data);
      if (parsed.type === 'ApiKeyCreated') created = parsed.data;
      else revoked = true;
      revision = e.revision;
    }
  } catch (e) {
    if (!(e instanceof LedgerlineError && e.code === 'STREAM_NOT_FOUND')) throw e;
  }
  if (!created || created.tenant !== tenant || revision === undefined) throw new LedgerlineError('NOT_FOUND', `No API key ${keyId}`, { keyId });
  if (revoked) return { alreadyRevoked: true };
  const data = ApiKeyRevoked.schema.parse({ keyId, at: ctx.at });
  const commandId = ctx.commandId ?? randomUUID();
  await store.appendToStream(
    stream,
    { id: eventIdFor(commandId, 0), type: ApiKeyRevoked.type, data, metadata: metadata(ctx, commandId, tenant, ApiKeyRevoked.version) },
    { expectedRevision: revision },
  );
  return { alreadyRevoked: false, event: { type: 'ApiKeyRevoked', data } };
}

function metadata(ctx: KeyOperationContext, commandId: string, tenant: string, schemaVersion: number) {
  return { commandId, actor: ctx.actor, tenant, correlationId: ctx.correlationId ?? commandId, schemaVersion };
}
