import type { FastifyServerOptions } from 'fastify';

/**
 * Paths pino removes from every log line: credentials in headers and anything named like key material, wherever a
 * log call puts it. Request lines are serialised without headers or bodies in the first place (see `serializers`).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'secret',
  'hash',
  '*.secret',
  '*.hash',
  '*.authorization',
];

const serializers = {
  req: (req: { method?: string; url?: string; id?: string; routeOptions?: { url?: string } }) => ({
    method: req.method,
    // Query strings are dropped: nothing secret belongs there, but clients make mistakes.
    url: req.url?.split('?')[0],
    route: req.routeOptions?.url,
  }),
};

/** The fastify logger options with redaction and safe serializers merged into whatever the caller asked for. */
export function withSafeLogging(options: FastifyServerOptions): FastifyServerOptions {
  const logger = options.logger;
  if (logger === undefined || logger === false || options.loggerInstance) return { ...options, logger: logger ?? false };
  const base = logger === true ? {} : logger;
  return {
    ...options,
    logger: {
      ...base,
      redact: { paths: [...REDACTED_PATHS, ...redactPaths(base)], censor: '[redacted]' },
      serializers: { ...serializers, ...(base.serializers ?? {}) },
    },
  };
}

function redactPaths(logger: object): string[] {
  const r = (logger as { redact?: string[] | { paths: string[] } }).redact;
  return Array.isArray(r) ? r : (r?.paths ?? []);
}
