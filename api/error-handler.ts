import type { FastifyError, FastifyInstance } from 'fastify';
import { errorCatalogue, type ErrorCode } from '../domain/errors/catalogue.ts';
import { isLedgerlineError } from '../domain/errors/ledgerline-error.ts';

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown>; requestId: string };
}

/** Fastify's own client errors, as catalogue codes with the offending part of the request. */
const FASTIFY_CLIENT_ERRORS: Readonly<Record<string, { code: ErrorCode; reason: string; path: string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'VALIDATION_FAILED', reason: 'malformed_json', path: 'body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'VALIDATION_FAILED', reason: 'empty_json_body', path: 'body' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'VALIDATION_FAILED', reason: 'unsupported_media_type', path: 'headers.content-type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'VALIDATION_FAILED', reason: 'invalid_content_length', path: 'headers.content-length' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'VALIDATION_FAILED', reason: 'invalid_content_type', path: 'headers.content-type' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', reason: 'body_too_large', path: 'body' },
};

/**
 * Maps thrown errors to catalogue codes and HTTP statuses. Coded errors keep their status and details; fastify's
 * client errors (malformed JSON, oversized body, bad content type) become coded 400/413 with the offending path;
 * anything else is INTERNAL, logged, and never leaks internals. No input reaches the 500 branch.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, request, reply) => {
    const body = (code: ErrorCode, message: string, details?: Record<string, unknown>): ErrorBody => ({
      error: { code, message, ...(details ? { details } : {}), requestId: String(request.id) },
    });
    if (isLedgerlineError(err)) {
      if (err.status >= 500) request.log.error({ err }, 'request failed');
      return reply.status(err.status).send(body(err.code, err.message, Object.keys(err.details).length > 0 ? { ...err.details } : undefined));
    }
    const fe = err as FastifyError;
    const known = fe.code ? FASTIFY_CLIENT_ERRORS[fe.code] : undefined;
    if (known) {
      const message = known.code === 'PAYLOAD_TOO_LARGE' ? errorCatalogue.PAYLOAD_TOO_LARGE.message : `${known.path}: ${fe.message}`;
      return reply.status(errorCatalogue[known.code].status).send(body(known.code, message, { path: known.path, reason: known.reason }));
    }
    if (fe.validation || (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500)) {
      return reply.status(400).send(body('VALIDATION_FAILED', fe.message, { path: fe.validationContext ?? '', reason: fe.code ?? 'bad_request' }));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(body('INTERNAL', errorCatalogue.INTERNAL.message));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${path}`, requestId: String(request.id) } });
  });
}
