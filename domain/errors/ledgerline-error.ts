import { errorCatalogue, type ErrorCode } from './catalogue.ts';

/** The one error type every layer throws: a catalogue code, a human message and structured details. */
export class LedgerlineError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message?: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message ?? errorCatalogue[code].message, options);
    this.name = 'LedgerlineError';
    this.code = code;
    this.details = details;
  }

  /** The HTTP status the catalogue maps this code to. */
  get status(): number {
    return errorCatalogue[this.code].status;
  }
}

/** True when `e` is a LedgerlineError, optionally with the given code. */
export function isLedgerlineError(e: unknown, code?: ErrorCode): e is LedgerlineError {
  return e instanceof LedgerlineError && (code === undefined || e.code === code);
}
