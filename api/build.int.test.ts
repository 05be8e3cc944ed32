// The platform around the routes: authentication, rate limits, request ids, error mapping under hostile input,
// OpenAPI, metrics, health and log hygiene. Every request goes through inject() on a real PGlite store.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalOf } from './auth/principal.ts';
import type { ApiContext } from './context.ts';
import { protectedRoute } from './http/route-options.ts';
import { MetricsRegistry } from './metrics/registry.ts';
import { startHarness, type Harness } from './testing/api-harness.ts';
import { ROUTES } from './testing/route-table.ts';

describe('authentication', () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness();
    admin = await h.key('admin', 'acme');
  });
  afterAll(async () => h.close());

  it('answers 401 UNAUTHENTICATED with a WWW-Authenticate challenge for every missing or bad key, on every route', async () => {
    const [, id, secret] = /^ll_([0-9a-f]{20})\.(.+)$/.exec(admin)!;
    const flipped = secret!.startsWith('A') ? `B${secret!.slice(1)}` : `A${secret!.slice(1)}`;
    const bad = [undefined, '', 'Bearer', `Basic ${admin}`, `Bearer ${admin} extra`, 'Bearer nonsense', `Bearer ll_${'0'.repeat(20)}.${secret}`, `Bearer ll_${id}.${flipped}`, admin];
    for (const route of ROUTES) {
      for (const authorization of bad) {
        const r = await h.app.inject({ method: route.method, url: route.url, headers: authorization === undefined ? {} : { authorization }, ...(route.body ? { payload: route.body as object } : {}) });
        expect([route.method, route.url, authorization, r.statusCode, r.json().error.code]).toEqual([route.method, route.url, authorization, 401, 'UNAUTHENTICATED']);
        expect(r.headers['www-authenticate']).toBe('Bearer realm="ledgerline"');
      }
    }
  });

  it('authenticates before validating: an anonymous bad body is 401, not 400', async () => {
    const r = await h.app.inject({ method: 'POST', url: '/v1/queues', headers: { 'content-type': 'application/json' }, payload: '{"x":' });
    expect(r.statusCode).toBe(401);
  });

  it('leaves health, readiness, metrics and docs open', async () => {
    expect((await h.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await h.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.map((c: { name: string }) => c.name)).toEqual(['event-store', 'api-keys']);
    expect((await h.app.inject({ url: '/metrics' })).statusCode).toBe(200);
    expect((await h.app.inject({ url: '/docs/json' })).statusCode).toBe(200);
    const ui = await h.app.inject({ url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });
});

describe('rate limits', () => {
  let h: Harness;
  const now = 1_700_000_000_000;
  beforeAll(async () => {
    h = await startHarness({ rateLimit: { capacity: 4, refillPerSecond: 0.5 }, clock: () => now });
  });
  afterAll(async () => h.close());

  it('answers 429 RATE_LIMITED with Retry-After once a key\'s bucket is empty, and only for that key', async () => {
    const busy = await h.key('auditor', 'acme'); // the harness probe takes one token
    const other = await h.key('auditor', 'acme');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await h.call('GET', '/v1/queues/q', { key: busy })).statusCode);
    expect(statuses).toEqual([404, 404, 404, 429]);
    const limited = await h.call('GET', '/v1/queues/q', { key: busy });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 2 } });
    expect(limited.headers['retry-after']).toBe('2');
    expect((await h.call('GET', '/v1/queues/q', { key: other })).statusCode).toBe(404);
  });
});

describe('hostile input', () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness({ rateLimit: { capacity: 100_000, refillPerSecond: 100_000 } });
    admin = await h.key('admin', 'acme');
  });
  afterAll(async () => h.close());
  const raw = (method: string, url: string, payload: string | Buffer, contentType = 'application/json') =>
    h.app.inject({ method: method as 'POST', url, headers: { authorization: `Bearer ${admin}`, 'content-type': contentType }, payload });

  it('malformed JSON is 400 VALIDATION_FAILED with path body and reason malformed_json', async () => {
    for (const payload of ['{', '{"skills":', 'nul', '{"a":1}}', '\u0000']) {
      const r = await raw('POST', '/v1/agents/a1/login', payload);
      expect([payload, r.statusCode, r.json().error.code, r.json().error.details]).toEqual([payload, 400, 'VALIDATION_FAILED', { path: 'body', reason: 'malformed_json' }]);
    }
  });

  it('an empty body with a JSON content type counts as no body: fine where none is needed, a path where one is', async () => {
    const ready = await raw('POST', '/v1/agents/e1/ready', '');
    expect([ready.statusCode, ready.json().error.code]).toEqual([409, 'AGENT_NOT_LOGGED_IN']);
    const login = await raw('POST', '/v1/agents/e1/login', ' ');
    expect([login.statusCode, login.json().error.details.path]).toEqual([400, 'body']);
  });

  it('an oversized body is 413 PAYLOAD_TOO_LARGE', async () => {
    const r = await raw('PUT', '/v1/ivr-flows/big/draft', JSON.stringify({ flow: { blob: 'x'.repeat(1_100_000) } }));
    expect([r.statusCode, r.json().error.code, r.json().error.details.path]).toEqual([413, 'PAYLOAD_TOO_LARGE', 'body']);
  });

  it('a body that is not JSON is refused with the content-type path', async () => {
    const r = await raw('POST', '/v1/agents/a1/not-ready', 'reasonCode=lunch', 'application/x-www-form-urlencoded');
    expect([r.statusCode, r.json().error.code, r.json().error.details.path]).toEqual([400, 'VALIDATION_FAILED', 'headers.content-type']);
  });

  it('prototype-poisoning keys are refused, not merged', async () => {
    const r = await raw('POST', '/v1/agents/a1/not-ready', '{"reasonCode":"x","__proto__":{"admin":true}}');
    expect(r.statusCode).toBe(400);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('arbitrary JSON bodies and ids never cause a 500 on any route', async () => {
    const routes = ROUTES.filter((r) => r.method !== 'GET');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 30 }), async (route, body, id) => {
        const url = route.url.replace(/\/(a1|sales|main|c-1)(\/|$)/, `/${encodeURIComponent(id) || 'x'}$2`);
        const r = await raw(route.method, url, JSON.stringify(body) ?? 'null');
        expect(r.statusCode, `${route.method} ${url} ${JSON.stringify(body)} → ${r.body}`).toBeLessThan(500);
        expect(r.json().error?.code ?? 'ok').toMatch(/^[A-Z_]+$|^ok$/);
      }),
      { numRuns: 150 },
    );
  });

  it('unknown routes are a coded 404', async () => {
    const r = await h.call('GET', '/v1/nothing?x=1', { key: admin });
    expect([r.statusCode, r.json().error.code, r.json().error.message]).toEqual([404, 'NOT_FOUND', 'No route GET /v1/nothing']);
  });
});

describe('request ids', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('echoes a sane x-request-id, and puts it in error bodies', async () => {
    const r = await h.app.inject({ url: '/v1/agents/a1', headers: { 'x-request-id': 'trace-42.a' } });
    expect(r.headers['x-request-id']).toBe('trace-42.a');
    expect(r.json().error.requestId).toBe('trace-42.a');
  });

  it('generates one when absent or unfit for logs', async () => {
    for (const headers of [{}, { 'x-request-id': 'has spaces\tand tabs' }, { 'x-request-id': 'x'.repeat(200) }]) {
      const r = await h.app.inject({ url: '/healthz', headers });
      expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('OpenAPI document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('is OpenAPI 3 and lists every /v1 route with its parameters, body, security and responses', async () => {
    const doc = (await h.app.inject({ url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Ledgerline API', version: expect.any(String) });
    expect(doc.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const expected = ROUTES.map((r) => `${r.method} ${r.pattern.replace(/:(\w+)/g, '{$1}')}`);
    expect(documented.filter((d) => d.includes(' /v1/')).sort()).toEqual([...new Set(expected)].sort());
    for (const route of ROUTES) {
      const path = route.pattern.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[path][route.method.toLowerCase()];
      expect(op.security, path).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(op.responses), path).toEqual(expect.arrayContaining(['400', '401', '403', '429']));
      for (const name of route.pattern.match(/:(\w+)/g) ?? []) {
        expect(op.parameters, `${path} ${name}`).toContainEqual(expect.objectContaining({ name: name.slice(1), in: 'path', required: true }));
      }
      if (route.body !== undefined) {
        const schema = op.requestBody.content['application/json'].schema;
        expect(schema.type, path).toBe('object');
        expect(schema.additionalProperties, path).toBe(false);
      }
    }
    // Schemas are plain OpenAPI 3.0: no JSON Schema 2020 keywords leak through.
    expect(JSON.stringify(doc)).not.toMatch(/"\$schema"|"\$defs"|"const":/);
  });
});

describe('extension points', () => {
  let h: Harness;
  const registry = new MetricsRegistry();
  beforeAll(async () => {
    // Another module registers its gauge on the process registry before the app starts…
    registry.gauge({ name: 'ledgerline_active_calls', help: 'Calls in progress', collect: (g) => g.set(3) });
    // …and a projection module adds a list route with the same protection as the API's own.
    const listRoutes = async (app: FastifyInstance, opts: { ctx: ApiContext }) => {
      app.get('/v1/things', protectedRoute(opts.ctx, { permission: 'queues.read', tags: ['things'], summary: 'Things' }), async (request) => ({ tenant: principalOf(request).tenant }));
    };
    h = await startHarness({ metrics: registry, plugins: [listRoutes] });
  });
  afterAll(async () => h.close());

  it('serves plugin routes behind the same authentication and permissions', async () => {
    expect((await h.call('GET', '/v1/things')).statusCode).toBe(401);
    expect((await h.call('GET', '/v1/things', { key: await h.key('agent', 'acme', 'a1') })).statusCode).toBe(403);
    expect((await h.call('GET', '/v1/things', { key: await h.key('auditor', 'globex') })).json()).toEqual({ tenant: 'globex' });
  });

  it('exposes request counts and latency per route and status, events appended, and other modules\' gauges', async () => {
    const sup = await h.key('supervisor', 'acme');
    await h.call('GET', '/v1/agents/nobody', { key: sup });
    await h.call('POST', '/v1/agents/m1/login', { key: sup, body: { skills: [], capacity: { voice: 1 } } });
    const r = await h.app.inject({ url: '/metrics' });
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(r.body).toContain('# TYPE ledgerline_http_requests_total counter');
    expect(r.body).toContain('ledgerline_http_requests_total{method="GET",route="/v1/agents/:agentId",status="404"} 1');
    expect(r.body).toContain('ledgerline_http_requests_total{method="POST",route="/v1/agents/:agentId/login",status="200"} 1');
    expect(r.body).toMatch(/ledgerline_http_request_duration_seconds_bucket\{method="GET",route="\/v1\/agents\/:agentId",status="404",le="\+Inf"\} 1/);
    expect(r.body).toContain('ledgerline_events_appended_total{category="agent",type="AgentLoggedIn"} 1');
    expect(r.body).toContain('ledgerline_active_calls 3');
  });
});

describe('logs', () => {
  it('contain requests but never a secret, a hash or an Authorization header', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const h = await startHarness({}, { logger: { level: 'trace', stream } });
    try {
      const admin = await h.key('admin', 'acme');
      const created = await h.call('POST', '/v1/keys', { key: admin, body: { role: 'supervisor' } });
      const secret = created.json().secret as string;
      await h.call('GET', '/v1/agents/a1', { key: secret, headers: { 'x-request-id': 'log-probe-1' } });
      await h.call('GET', '/v1/agents/a1?token=abc', { key: `${secret}x` });
      await h.call('POST', '/v1/agents/a1/login', { key: secret, body: { skills: 'bad', capacity: { voice: 1 } } });
      const text = lines.join('');
      expect(text).toContain('log-probe-1');
      expect(text).toContain('API key created');
      for (const s of [admin, secret]) {
        expect(text).not.toContain(s);
        expect(text).not.toContain(s.split('.')[1]);
      }
      expect(text).not.toMatch(/sha256:[0-9a-f]{64}/);
      expect(text.toLowerCase()).not.toContain('bearer');
      expect(text).not.toContain('token=abc');
    } finally {
      await h.close();
    }
  });
});
