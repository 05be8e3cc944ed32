import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import type { ExpectedRevision } from './port.ts';

/** The stream was not at the revision the writer expected. Same fields as EventStoreDB's client. */
export class WrongExpectedVersionError extends LedgerlineError {
  readonly streamName: string;
  readonly expectedVersion: ExpectedRevision;
  readonly actualVersion: bigint | 'no_stream';

  constructor(streamName: string, expectedVersion: ExpectedRevision, actualVersion: bigint | 'no_stream') {
    super('WRONG_EXPECTED_VERSION', `Stream ${streamName}: expected ${String(expectedVersion)}, actual ${String(actualVersion)}`, {
      streamName,
      expectedVersion: String(expectedVersion),
      actualVersion: String(actualVersion),
    });
    this.name = 'WrongExpectedVersionError';
    this.streamName = streamName;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/** Reading a stream that has no events (or was soft-deleted with nothing after). */
export class StreamNotFoundError extends LedgerlineError {
  readonly streamName: string;
  constructor(streamName: string) {
    super('STREAM_NOT_FOUND', `Stream ${streamName} not found`, { streamName });
    this.name = 'StreamNotFoundError';
    this.streamName = streamName;
  }
}

/** Reading or writing a tombstoned stream. */
export class StreamDeletedError extends LedgerlineError {
  readonly streamName: string;
  constructor(streamName: string) {
    super('STREAM_DELETED', `Stream ${streamName} is deleted`, { streamName });
    this.name = 'StreamDeletedError';
    this.streamName = streamName;
  }
}

/** Bad input to the store: stream name, event shape, size, revision or URL. Nothing was written. */
export class InvalidEventStoreInputError extends LedgerlineError {
  constructor(
    code: 'INVALID_STREAM_NAME' | 'INVALID_EVENT' | 'EVENT_TOO_LARGE' | 'INVALID_REVISION' | 'UNSUPPORTED_STORE_URL',
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, details);
    this.name = 'InvalidEventStoreInputError';
  }
}
