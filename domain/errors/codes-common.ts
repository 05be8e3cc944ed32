import type { ErrorSpec } from './catalogue.ts';

/** Codes shared by every edge: validation, configuration, auth, internals. */
export const commonErrors = {
  VALIDATION_FAILED: { status: 400, message: 'The input does not match the expected shape' },
  CONFIG_INVALID: { status: 500, message: 'The configuration is invalid' },
  NOT_FOUND: { status: 404, message: 'No such resource' },
  UNAUTHENTICATED: { status: 401, message: 'A valid API key is required' },
  FORBIDDEN: { status: 403, message: 'Not allowed' },
  RATE_LIMITED: { status: 429, message: 'Too many requests' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  UNAVAILABLE: { status: 503, message: 'A dependency is unavailable' },
  TIMEOUT: { status: 504, message: 'The operation timed out' },
  INTERNAL: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, ErrorSpec>;
