import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { HttpCustomerLookup, type HttpLookupEndpoint } from './http-customer-lookup.ts';
import type { CrmLookupFailure } from './lookup-failure.ts';

const CUSTOMER = { id: 'c-1', name: 'Ada Lovelace', tier: 'gold', openTickets: 2, vip: true, address: { city: 'Brussels' }, tags: ['a'] };

/** A small CRM: each path is a behaviour the adapter must map. */
function crm(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url!, 'http://crm');
  seen.push({ url: request.url!, authorization: request.headers.authorization, apiKey: request.headers['x-api-key'], tenant: request.headers['x-ledgerline-tenant'] });
  const json = (status: number, body: unknown): void => void response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  switch (url.pathname) {
    case '/customers':
      return url.searchParams.get('phone') === '+32475000001' ? json(200, CUSTOMER) : json(404, { error: 'no such customer' });
    case '/search':
      return json(200, { data: { items: url.searchParams.get('phone') === '+32475000001' ? [CUSTOMER] : [] } });
    case '/secure':
      return request.headers.authorization === 'Bearer s3cret' ? json(200, CUSTOMER) : json(401, { error: 'unauthorized' });
    case '/down':
      return json(503, { error: 'maintenance' });
    case '/broken':
      return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"id": "c-1",');
    case '/html':
      return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
    case '/scalar':
      return json(200, 42);
    case '/big':
      return json(200, { blob: 'x'.repeat(10_000) });
    case '/slow':
      return; // never answers: the adapter's timeout must end the wait
    default:
      return json(500, { error: 'unexpected path' });
  }
}

let server: Server;
let base: string;
let seen: { url: string; authorization: string | undefined; apiKey: string | string[] | undefined; tenant?: string | string[] | undefined }[] = [];

beforeAll(async () => {
  server = createServer(crm);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const lookupWith = (endpoint: Partial<HttpLookupEndpoint> & { url: string }) => new HttpCustomerLookup({ endpoints: { crm: endpoint } });
const code = (a: unknown) => (a as CrmLookupFailure).code;

describe('HttpCustomerLookup against a local HTTP server', () => {
  it('fills the URL template with the percent-encoded key and answers every scalar top-level field', async () => {
    seen = [];
    const a = await lookupWith({ url: `${base}/customers?phone={key}` }).lookup('crm', { number: '+32475000001' });
    expect(a).toEqual({ ok: true, values: { id: 'c-1', name: 'Ada Lovelace', tier: 'gold', openTickets: 2, vip: true } });
    expect(seen[0]!.url).toBe('/customers?phone=%2B32475000001');
  });

  it('maps result fields from dot paths, and an absent field to null', async () => {
    const l = lookupWith({ url: `${base}/customers?phone={number}`, fields: { tier: 'tier', city: 'address.city', segment: 'segment' } });
    expect(await l.lookup('crm', { number: '+32475000001', other: 'x' })).toEqual({ ok: true, values: { tier: 'gold', city: 'Brussels', segment: null } });
  });

  it('finds the record under recordPath, taking the first element of an array; an empty array is not_found', async () => {
    const l = lookupWith({ url: `${base}/search?phone={key}`, recordPath: 'data.items', fields: { tier: 'tier' } });
    expect(await l.lookup('crm', { number: '+32475000001' })).toEqual({ ok: true, values: { tier: 'gold' } });
    const none = await l.lookup('crm', { number: '+32475000009' });
    expect([none.ok, !none.ok && none.reason, code(none)]).toEqual([false, 'not_found', 'CRM_NOT_FOUND']);
  });

  it('answers not_found (CRM_NOT_FOUND) on a 404', async () => {
    const a = await lookupWith({ url: `${base}/customers?phone={key}` }).lookup('crm', { number: '+32475000009' });
    expect(a).toEqual({ ok: false, reason: 'not_found', code: 'CRM_NOT_FOUND', message: expect.stringMatching(/^CRM_NOT_FOUND: .*404/) });
  });

  it('sends the bearer token and extra headers, and keeps the token out of failure messages', async () => {
    seen = [];
    const ok = await lookupWith({ url: `${base}/secure?p={key}`, bearerToken: 's3cret', headers: { 'x-api-key': 'k1' } }).lookup('crm', { n: '1' });
    expect(ok.ok).toBe(true);
    expect(seen[0]).toMatchObject({ authorization: 'Bearer s3cret', apiKey: 'k1' });
    const refused = await lookupWith({ url: `${base}/secure?p={key}`, bearerToken: 'wrong-token' }).lookup('crm', { n: '1' });
    expect([refused.ok, !refused.ok && refused.reason, code(refused)]).toEqual([false, 'error', 'CRM_HTTP_STATUS']);
    expect(JSON.stringify(refused)).not.toContain('wrong-token');
  });

  it("sends the calling call's tenant (header, and {tenant} in the URL); none for the default tenant", async () => {
    seen = [];
    const lookup = lookupWith({ url: `${base}/customers?phone={key}&t={tenant}` });
    expect((await lookup.lookup('crm', { phone: '+32475000001' }, { tenant: 'acme' })).ok).toBe(true);
    expect(seen[0]).toMatchObject({ url: '/customers?phone=%2B32475000001&t=acme', tenant: 'acme' });
    await lookup.lookup('crm', { phone: '+32475000001' });
    expect(seen[1]).toMatchObject({ url: '/customers?phone=%2B32475000001&t=', tenant: undefined });
  });

  it('maps a 5xx, bad JSON, a non-record answer and an oversized answer to coded errors', async () => {
    const cases: [string, Partial<HttpLookupEndpoint>, string][] = [
      ['/down', {}, 'CRM_HTTP_STATUS'],
      ['/broken', {}, 'CRM_BAD_JSON'],
      ['/html', {}, 'CRM_BAD_JSON'],
      ['/scalar', {}, 'CRM_BAD_RESPONSE'],
      ['/big', { maxBytes: 1000 }, 'CRM_BAD_RESPONSE'],
      ['/customers', { fields: { address: 'address' } }, 'CRM_BAD_RESPONSE'],
    ];
    for (const [path, extra, expected] of cases) {
      const a = await lookupWith({ url: `${base}${path}?phone={key}`, ...extra }).lookup('crm', { number: '+32475000001' });
      expect([path, a.ok, !a.ok && a.reason, code(a), !a.ok && a.message?.startsWith(`${expected}: `)]).toEqual([path, false, 'error', expected, true]);
    }
  });

  it('gives up after its timeout with CRM_TIMEOUT', async () => {
    const a = await lookupWith({ url: `${base}/slow?phone={key}`, timeoutMs: 100 }).lookup('crm', { number: '1' });
    expect([a.ok, !a.ok && a.reason, code(a)]).toEqual([false, 'error', 'CRM_TIMEOUT']);
  });

  it('answers CRM_UNREACHABLE when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const a = await lookupWith({ url: `http://127.0.0.1:${port}/customers?phone={key}` }).lookup('crm', { number: '1' });
    expect([a.ok, !a.ok && a.reason, code(a)]).toEqual([false, 'error', 'CRM_UNREACHABLE']);
  });

  it('answers not_found without a request for an empty key or an unknown look-up name', async () => {
    seen = [];
    const l = lookupWith({ url: `${base}/customers?phone={key}` });
    expect(code(await l.lookup('crm', { number: null }))).toBe('CRM_NO_KEY');
    expect(code(await l.lookup('crm', { a: '1', b: '2' }))).toBe('CRM_NO_KEY');
    expect(code(await l.lookup('other', { number: '1' }))).toBe('CRM_UNKNOWN_LOOKUP');
    expect(seen).toEqual([]);
  });

  it('refuses a bad configuration at construction with CONFIG_INVALID', () => {
    for (const bad of [{ url: 'ftp://crm/{key}' }, { url: 'not a url' }, { url: `${base}/c`, timeoutMs: 0 }, { url: `${base}/c`, fields: { '1bad': 'x' } }, { url: `${base}/c`, extra: true }]) {
      let error: unknown;
      try {
        new HttpCustomerLookup({ endpoints: { crm: bad as HttpLookupEndpoint } });
      } catch (e) {
        error = e;
      }
      expect(isLedgerlineError(error, 'CONFIG_INVALID'), JSON.stringify(bad)).toBe(true);
    }
  });
});
