import { z } from 'zod';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';

const port = z.coerce.number().int().min(0).max(65535);
const url = (schemes: readonly string[]) =>
  z.string().refine((v) => schemes.some((s) => v.startsWith(s)), { message: `must start with one of ${schemes.join(', ')}` });

/** Every setting Ledgerline reads from the environment, with its default. */
export const configSchema = z.object({
  EVENT_STORE_URL: url(['postgres://', 'postgresql://', 'pglite:', 'esdb://', 'esdb+discover://']).default('pglite:.data/eventstore'),
  DATABASE_URL: url(['postgres://', 'postgresql://', 'pglite:']).optional(),
  NATS_URL: url(['nats://', 'tls://']).optional(),
  CLICKHOUSE_URL: url(['http://', 'https://']).optional(),
  ESL_HOSTS: z
    .string()
    .regex(/^([^,:\s]+:\d{1,5})(,[^,:\s]+:\d{1,5})*$/, { message: 'must be a comma-separated list of host:port' })
    .optional(),
  ESL_PASSWORD: z.string().min(1).default('ClueCon'),
  ESL_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** This process's name on the switch commands it claims (two `serve` processes must differ). Default: host-pid. */
  ENGINE_INSTANCE_ID: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, { message: 'letters, digits and _ . : - (at most 100)' }).optional(),
  /** `real`, or `accelerated:<factor>:<anchorWallMs>:<anchorSimMs>` (tests and benchmarks against the simulator). */
  ENGINE_CLOCK: z.string().regex(/^(real|accelerated:\d+(\.\d+)?:\d+:\d+)$/, { message: 'must be real or accelerated:<factor>:<anchorWallMs>:<anchorSimMs>' }).default('real'),
  /** `<index>/<count>`: the share of calls whose queue media this process plays (several processes on one switch). */
  ENGINE_SHARD: z.string().regex(/^\d+\/\d+$/, { message: 'must be <index>/<count>, e.g. 0/2' }).refine((v) => { const [i, n] = v.split('/').map(Number); return n! >= 1 && i! < n!; }, { message: 'index must be below count' }).optional(),
  /** A CRM to look customers up in (`{key}` is replaced by the number or id); unset: the built-in customers table. */
  CRM_LOOKUP_URL: url(['http://', 'https://']).optional(),
  CRM_LOOKUP_TOKEN: z.string().min(1).optional(),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port.default(7480),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

/** Reads and validates the configuration; a bad value throws CONFIG_INVALID naming each variable and what is expected. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(configSchema.shape).flatMap((k) => (env[k] === undefined || env[k] === '' ? [] : [[k, env[k]]])),
  );
  const parsed = configSchema.safeParse(relevant);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new LedgerlineError('CONFIG_INVALID', `Invalid configuration:\n  ${problems.join('\n  ')}`, { problems });
}
