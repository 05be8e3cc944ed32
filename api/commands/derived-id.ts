import { uuidV5 } from '../../domain/ids/deterministic-id.ts';

/**
 * The id of a resource a command creates (a consult, a conference party, a recording, a transfer's offer, an
 * outbound call and its channel), derived from the command id: a retried request (same Idempotency-Key) names the
 * same resource, so it can never create a second one. `scope` keeps ids of different kinds and tenants apart.
 */
export function derivedId(kind: string, commandId: string, scope = ''): string {
  return uuidV5(`${kind}:${scope}:${commandId}`);
}
