// ./ledgerline <command>: the one CLI. Each command lives in infra/cli/commands/<name>.ts and loads lazily.
import { isLedgerlineError } from '../../domain/errors/ledgerline-error.ts';

interface Command {
  summary: string;
  load: () => Promise<{ run: (args: string[]) => Promise<number | void> }>;
}

const commands: Record<string, Command> = {
  serve: { summary: 'Run Ledgerline: engine (when ESL_HOSTS is set), HTTP API and projections on the configured event store', load: () => import('./commands/serve.ts') },
  demo: { summary: 'The demo: simulator, engine, API and wallboard in one process on .data/ (what make run starts; demo [--rate 0.25])', load: () => import('./commands/demo.ts') },
  sim: { summary: 'Run the FreeSWITCH Event Socket simulator (sim --port 8021 --password ClueCon)', load: () => import('./commands/sim.ts') },
  keys: { summary: 'API keys: keys create --role <role> --tenant <t> [--agent <id>] [--name <label>] | keys list [--tenant <t>] | keys revoke <keyId>', load: () => import('./commands/keys.ts') },
  projections: { summary: 'Projection status and blue-green rebuilds (projections status [--json] | projections rebuild <name>)', load: () => import('./commands/projections.ts') },
  customers: { summary: 'Load customers for the built-in look-up (customers import <file.csv|json> [--tenant <t>])', load: () => import('./commands/customers.ts') },
  audit: { summary: 'Verify the hash chains of the event log (audit verify [--stream <name>])', load: () => import('./commands/audit.ts') },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return ['Usage: ./ledgerline <command> [options]', '', 'Commands:', ...Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`ledgerline: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return (await mod.run(args)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (isLedgerlineError(err)) console.error(`ledgerline: [${err.code}] ${err.message}`);
    else console.error('ledgerline:', err);
    process.exitCode = 1;
  },
);
