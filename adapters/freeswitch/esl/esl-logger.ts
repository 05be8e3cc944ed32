// The logging port of the adapter (pino-compatible subset), so tests can collect what was logged.

/** Structured logger: `obj` first, message second, like pino. */
export interface EslLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** Discards everything. */
export const silentLogger: EslLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A logger that keeps every entry (tests and diagnostics). */
export function collectingLogger(): EslLogger & { entries: Array<{ level: string; msg: string; obj: Record<string, unknown> }> } {
  const entries: Array<{ level: string; msg: string; obj: Record<string, unknown> }> = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string): void => {
    entries.push({ level, msg, obj });
  };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
