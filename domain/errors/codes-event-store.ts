import type { ErrorSpec } from './catalogue.ts';

/** Codes raised by event-store adapters. */
export const eventStoreErrors = {
  WRONG_EXPECTED_VERSION: { status: 409, message: 'The stream is not at the expected revision' },
  STREAM_NOT_FOUND: { status: 404, message: 'The stream does not exist' },
  STREAM_DELETED: { status: 410, message: 'The stream has been tombstoned' },
  INVALID_STREAM_NAME: { status: 400, message: 'The stream name is invalid' },
  INVALID_EVENT: { status: 400, message: 'The event is invalid' },
  EVENT_TOO_LARGE: { status: 413, message: 'The event exceeds the size limit' },
  INVALID_REVISION: { status: 400, message: 'The revision is invalid' },
  UNSUPPORTED_STORE_URL: { status: 500, message: 'The event store URL scheme is not supported' },
  CHAIN_BROKEN: { status: 500, message: 'The hash chain is broken' },
  STORE_UNAVAILABLE: { status: 503, message: 'The event store is unreachable' },
} as const satisfies Record<string, ErrorSpec>;
