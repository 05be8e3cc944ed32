// Flags of `./ledgerline sim`, parsed and validated (zod) into startSimulator options.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';

export const SIM_USAGE = `Usage: ./ledgerline sim [options]
  FreeSWITCH Event Socket simulator (inbound mode).

  --port <n>            TCP port (default 8021; 0 = any free port)
  --host <ip>           listen address (default 127.0.0.1)
  --password <pw>       ESL password (default ClueCon)
  --seed <s>            seed for every random draw (default 1)
  --speed <x>           clock speed: 1 = real time (default), 10 = ten times faster
  --ring-ms <ms>        agent ring time before answer (default 2000)
  --busy <list>         users answering 486 Busy (USER_BUSY), e.g. 1001,1002
  --reject <list>       users declining (CALL_REJECTED)
  --no-answer <list>    users never answering (NO_ANSWER at originate_timeout)
  --unregistered <list> users without a registration (USER_NOT_REGISTERED)
  --heartbeat <s>       HEARTBEAT interval in seconds (default 20; 0 = off)
  --scenario <file>     traffic scenario (JSON, see infra/simulator/traffic/traffic-scenario.ts)
  --rate <cps>          inbound calls per second (Poisson), overrides the scenario's rate
  --duration <s>        stop generating traffic after this many simulated seconds
  --split-frames <n>    fault: write every frame in n-byte pieces
  --reorder <p>         fault: with probability p, hold an event back (sent after the next event, before the next
                        reply, or after --reorder-delay-ms of simulated time, whichever comes first)
  --reorder-delay-ms <n> longest hold of a reordered event (default 50)
  --help                this text`;

const list = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''));

const FlagsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8021),
  host: z.string().min(1).default('127.0.0.1'),
  password: z.string().min(1).default('ClueCon'),
  seed: z.string().default('1'),
  speed: z.coerce.number().positive().default(1),
  'ring-ms': z.coerce.number().min(0).default(2000),
  busy: list.default([]),
  reject: list.default([]),
  'no-answer': list.default([]),
  unregistered: list.default([]),
  heartbeat: z.coerce.number().min(0).default(20),
  scenario: z.string().optional(),
  rate: z.coerce.number().min(0).optional(),
  duration: z.coerce.number().positive().optional(),
  'split-frames': z.coerce.number().int().min(0).default(0),
  reorder: z.coerce.number().min(0).max(1).default(0),
  'reorder-delay-ms': z.coerce.number().min(0).default(50),
  help: z.boolean().default(false),
});

export type SimFlags = z.infer<typeof FlagsSchema>;

/** Parses argv; throws VALIDATION_FAILED with the offending flags. */
export function parseSimFlags(args: string[]): SimFlags {
  let values: Record<string, unknown>;
  try {
    const parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' }, host: { type: 'string' }, password: { type: 'string' }, seed: { type: 'string' },
        speed: { type: 'string' }, 'ring-ms': { type: 'string' }, busy: { type: 'string' }, reject: { type: 'string' },
        'no-answer': { type: 'string' }, unregistered: { type: 'string' }, heartbeat: { type: 'string' },
        scenario: { type: 'string' }, rate: { type: 'string' }, duration: { type: 'string' }, help: { type: 'boolean' },
        'split-frames': { type: 'string' }, reorder: { type: 'string' }, 'reorder-delay-ms': { type: 'string' },
      },
    });
    values = parsed.values;
  } catch (e) {
    throw new LedgerlineError('VALIDATION_FAILED', `sim: ${(e as Error).message}\n\n${SIM_USAGE}`);
  }
  const result = FlagsSchema.safeParse(values);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`);
    throw new LedgerlineError('VALIDATION_FAILED', `sim: ${issues.join('; ')}`, { issues });
  }
  return result.data;
}
