import type { FastifyError, FastifyInstance } from 'fastify';
import { errorCatalogue, type ErrorCode } from '../domain/errors/catalogue.ts';
import { isLedgerlineError } from '../domain/errors/ledgerline-error.ts';

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown>; requestId: string };
}

/** Maps thrown errors to catalogue codes and HTTP statuses; unexpected errors become INTERNAL without leaking internals. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, request, reply) => {
    const body = (code: ErrorCode, message: string, details?: Record<string, unknown>): ErrorBody => ({
      error: { code, message, ...(details ? { details } : {}), requestId: String(request.id) },
    });
    if (isLedgerlineError(err)) {
      return reply.status(err.status).send(body(err.code, err.message, { ...err.details }));
    }
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(body('PAYLOAD_TOO_LARGE', errorCatalogue.PAYLOAD_TOO_LARGE.message));
    }
    if (fe.validation || (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500)) {
      return reply.status(400).send(body('VALIDATION_FAILED', fe.message));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(body('INTERNAL', errorCatalogue.INTERNAL.message));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url}`, requestId: String(request.id) } });
  });
}
