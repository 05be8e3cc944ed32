// The logic behind `./ledgerline keys …` (infra/cli/commands/keys.ts opens the store and calls it).
import type { EventStore } from '../../adapters/event-store/port.ts';
import { isLedgerlineError, LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { tenantSchema } from '../tenancy/tenant-streams.ts';
import { keyIdSchema } from './api-key-events.ts';
import { ApiKeyIndex } from './api-key-index.ts';
import { createApiKey, revokeApiKey } from './api-key-store.ts';
import { ROLES, type Role } from './roles.ts';

export const KEYS_USAGE = [
  'Usage:',
  '  ./ledgerline keys create --role <admin|supervisor|agent|auditor|integrator> --tenant <tenant> [--agent <agentId>] [--name <label>]',
  '  ./ledgerline keys list [--tenant <tenant>]',
  '  ./ledgerline keys revoke <keyId>',
  '',
  'Keys are events in the configured event store (EVENT_STORE_URL); a running server picks them up without restart.',
  'With PGlite (pglite:<dir>) only one process may open the directory: stop the server first, or create keys',
  'through the running server with an admin key: POST /v1/keys.',
].join('\n');

/** A parsed `keys` command line. */
export type KeysCommand =
  | { readonly kind: 'create'; readonly role: Role; readonly tenant: string; readonly agentId: string | null; readonly name: string }
  | { readonly kind: 'list'; readonly tenant: string | null }
  | { readonly kind: 'revoke'; readonly keyId: string };

function usageError(message: string): LedgerlineError {
  return new LedgerlineError('VALIDATION_FAILED', `${message}\n\n${KEYS_USAGE}`, { usage: true });
}

/** Parses `keys` arguments; VALIDATION_FAILED with the usage on anything unexpected. */
export function parseKeysArgs(args: readonly string[]): KeysCommand {
  const [sub, ...rest] = args;
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a.startsWith('--')) {
      const value = rest[i + 1];
      if (value === undefined || value.startsWith('--')) throw usageError(`${a} needs a value`);
      if (flags.has(a)) throw usageError(`${a} given twice`);
      flags.set(a, value);
      i++;
    } else positional.push(a);
  }
  const allow = (...names: string[]) => {
    for (const f of flags.keys()) if (!names.includes(f)) throw usageError(`unknown option ${f} for keys ${sub}`);
  };
  switch (sub) {
    case 'create': {
      allow('--role', '--tenant', '--agent', '--name');
      if (positional.length) throw usageError(`unexpected argument ${positional[0]}`);
      const role = flags.get('--role');
      if (!role || !(ROLES as readonly string[]).includes(role)) throw usageError(`--role must be one of ${ROLES.join(', ')}`);
      const tenant = tenantSchema.safeParse(flags.get('--tenant'));
      if (!tenant.success) throw usageError('--tenant needs a tenant id (lowercase letters, digits, _ and -)');
      const agentId = flags.get('--agent') ?? null;
      if (role === 'agent' && agentId === null) throw usageError('an agent key needs --agent <agentId>');
      if (role !== 'agent' && agentId !== null) throw usageError('--agent is only for --role agent');
      if (agentId !== null && !/^[A-Za-z0-9_.:@-]{1,100}$/.test(agentId)) throw usageError('--agent: letters, digits, and _ . : @ -, at most 100');
      const name = flags.get('--name') ?? '';
      if (name.length > 200) throw usageError('--name: at most 200 characters');
      return { kind: 'create', role: role as Role, tenant: tenant.data, agentId, name };
    }
    case 'list': {
      allow('--tenant');
      if (positional.length) throw usageError(`unexpected argument ${positional[0]}`);
      const t = flags.get('--tenant');
      if (t !== undefined && !tenantSchema.safeParse(t).success) throw usageError('--tenant needs a tenant id');
      return { kind: 'list', tenant: t ?? null };
    }
    case 'revoke': {
      allow();
      if (positional.length !== 1 || !keyIdSchema.safeParse(positional[0]).success) throw usageError('keys revoke needs one key id (20 hex characters)');
      return { kind: 'revoke', keyId: positional[0]! };
    }
    default:
      throw usageError(sub === undefined ? 'keys needs a subcommand' : `unknown subcommand ${sub}`);
  }
}

/**
 * Runs a parsed `keys` command against `store`, writing lines to `print`. `create` prints the secret once (it is
 * stored nowhere); `list` never prints secrets or hashes. Returns the process exit code.
 */
export async function runKeysCommand(store: EventStore, command: KeysCommand, print: (line: string) => void, now: () => number = Date.now): Promise<number> {
  const ctx = { actor: 'system:cli', at: now() };
  if (command.kind === 'create') {
    const { key, secret } = await createApiKey(store, { role: command.role, tenant: command.tenant, agentId: command.agentId, name: command.name }, ctx);
    print(`created key ${key.keyId} (role ${key.role}, tenant ${key.tenant}${key.agentId ? `, agent ${key.agentId}` : ''})`);
    print(`secret (shown once, send as "Authorization: Bearer <secret>"):`);
    print(secret);
    return 0;
  }
  const index = new ApiKeyIndex();
  await index.start(store);
  try {
    if (command.kind === 'list') {
      const all = command.tenant === null ? index.tenants().flatMap((t) => index.list(t)) : index.list(command.tenant);
      print(['KEY ID'.padEnd(20), 'TENANT'.padEnd(16), 'ROLE'.padEnd(10), 'AGENT'.padEnd(16), 'CREATED'.padEnd(24), 'STATUS', 'NAME'].join('  '));
      for (const k of all) {
        print([k.keyId, k.tenant.padEnd(16), k.role.padEnd(10), (k.agentId ?? '-').padEnd(16), new Date(k.createdAt).toISOString().padEnd(24), k.revokedAt === null ? 'active ' : 'revoked', k.name].join('  '));
      }
      return 0;
    }
    const key = index.get(command.keyId);
    if (!key) throw new LedgerlineError('NOT_FOUND', `No API key ${command.keyId}`, { keyId: command.keyId });
    const out = await revokeApiKey(store, key.tenant, key.keyId, ctx);
    print(out.alreadyRevoked ? `key ${key.keyId} was already revoked` : `revoked key ${key.keyId}`);
    return 0;
  } catch (e) {
    if (isLedgerlineError(e, 'NOT_FOUND')) {
      print(e.message);
      return 1;
    }
    throw e;
  } finally {
    await index.stop();
  }
}
