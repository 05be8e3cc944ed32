// A structured logger for the parts of the process that run outside fastify (the engine, the switch port): one JSON
// line per entry on stderr, pino-shaped (level, time, msg, fields), filtered by LOG_LEVEL.
import type { EslLogger } from '../../adapters/freeswitch/esl/esl-logger.ts';

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 100 } as const;

/** A logger writing entries at or above `level`. Error values are reduced to their message and code. */
export function jsonLogger(level: keyof typeof LEVELS, name: string, write: (line: string) => void = (l) => process.stderr.write(l)): EslLogger {
  const min = LEVELS[level];
  const at = (lvl: 'debug' | 'info' | 'warn' | 'error') => (obj: Record<string, unknown>, msg: string): void => {
    if (LEVELS[lvl] < min) return;
    const fields = Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, v instanceof Error ? { message: v.message, code: (v as { code?: unknown }).code } : typeof v === 'bigint' ? String(v) : v]));
    write(`${JSON.stringify({ level: LEVELS[lvl], time: Date.now(), name, msg, ...fields })}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
