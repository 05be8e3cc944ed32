import type { FastifyInstance } from 'fastify';

/**
 * JSON bodies through fastify's own secure parser (prototype-poisoning keys refused), except that an empty body
 * with `Content-Type: application/json` reads as no body: many clients send the header on every POST, and a
 * route without input should not fail on it. Routes that need a body still refuse null through their schema.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const secure = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, null);
    secure(request, body as string, done);
  });
}
