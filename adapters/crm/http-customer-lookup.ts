// A CustomerLookup over a CRM's HTTP API: one configured endpoint per look-up name, a URL template filled with the
// look-up's inputs, an optional bearer token, a timeout, and a mapping from the JSON answer to result fields. The
// calling call's tenant goes with every request (`X-Ledgerline-Tenant`, and `{tenant}` in the URL template), so one
// CRM endpoint serving several tenants answers from the right tenant's data.
// Every failure (timeout, refused connection, non-2xx, bad JSON, unexpected shape) is a coded answer, never a
// throw: the inbound manager takes the flow's onFailure branch and the call goes on.
import { z } from 'zod';
import type { VariableValue } from '../../domain/ivr/flow-schema.ts';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import type { CustomerLookup, LookupAnswer, LookupScope } from '../../engine/process-managers/inbound/customer-lookup.ts';
import { crmFailure, RESULT_FIELD, toVariableValue } from './lookup-failure.ts';

const dotPath = z.string().regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'a dot path such as customer.tier or items.0.id');

/** One look-up's endpoint (validated by `httpLookupEndpointSchema`). */
export const httpLookupEndpointSchema = z.strictObject({
  /**
   * The URL, with `{key}` for the key input's value and `{<input>}` for any other input, each percent-encoded:
   * `https://crm.example/customers?phone={key}`.
   */
  url: z.string().min(1).refine((u) => URL.canParse(u.replace(/\{[A-Za-z0-9_.]+\}/g, 'x')) && /^https?:/i.test(u), 'an http(s) URL template'),
  /** The input whose value fills `{key}` (default: the look-up's only input, else the input named `key`). */
  keyInput: z.string().min(1).optional(),
  /** Sent as `Authorization: Bearer <token>`; never appears in a failure message. */
  bearerToken: z.string().min(1).optional(),
  /** Extra request headers (an API key header, a tenant header). */
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string()).optional(),
  /** Give up after this long, ms (default 3 000). The flow's own look-up timeout may be shorter. */
  timeoutMs: z.int().min(1).max(120_000).default(3_000),
  /** Where the customer record is in the answer (default: the answer itself). An array there: its first element. */
  recordPath: dotPath.optional(),
  /** Result field → dot path in the record (default: every scalar field at the record's top level). */
  fields: z.record(z.string().regex(RESULT_FIELD), dotPath).optional(),
  /** Statuses that mean "no such customer" rather than a failure (default [404]). */
  notFoundStatuses: z.array(z.int().min(100).max(599)).default([404]),
  /** Largest answer read, bytes (default 1 MiB); a larger one is CRM_BAD_RESPONSE. */
  maxBytes: z.int().min(1).max(64 * 1024 * 1024).default(1024 * 1024),
});
export type HttpLookupEndpoint = z.input<typeof httpLookupEndpointSchema>;
type Endpoint = z.output<typeof httpLookupEndpointSchema>;

export interface HttpCustomerLookupOptions {
  /** Look-up name (as flows name it: `customer-by-number`) → its endpoint. */
  readonly endpoints: Readonly<Record<string, HttpLookupEndpoint>>;
}

type Inputs = Readonly<Record<string, VariableValue>>;

/** The value at a dot path (`a.b.0`), or undefined. */
function at(value: unknown, path: string | undefined): unknown {
  if (path === undefined) return value;
  let cur = value;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? `: ${(e.cause as NodeJS.ErrnoException).code ?? e.cause.message}` : '';
  return `${e.message}${cause}`;
}

/** See the module comment. */
export class HttpCustomerLookup implements CustomerLookup {
  readonly #endpoints = new Map<string, Endpoint>();

  /** Validates every endpoint: a bad configuration throws CONFIG_INVALID at start-up, not on a caller's call. */
  constructor(options: HttpCustomerLookupOptions) {
    for (const [name, endpoint] of Object.entries(options.endpoints)) {
      const r = httpLookupEndpointSchema.safeParse(endpoint);
      if (!r.success) throw new LedgerlineError('CONFIG_INVALID', `CRM look-up ${name}: ${z.prettifyError(r.error)}`, { lookup: name });
      this.#endpoints.set(name, r.data);
    }
  }

  async lookup(name: string, inputs: Inputs, scope: LookupScope = {}): Promise<LookupAnswer> {
    const endpoint = this.#endpoints.get(name);
    if (!endpoint) return crmFailure('CRM_UNKNOWN_LOOKUP', `no CRM look-up named ${name}`);
    const url = this.#url(endpoint, inputs, scope.tenant);
    if (typeof url !== 'string') return url;
    const where = URL.parse(url)?.host ?? 'the CRM';
    let response: Response;
    let text: string;
    const signal = AbortSignal.timeout(endpoint.timeoutMs);
    try {
      response = await fetch(url, {
        headers: {
          accept: 'application/json',
          ...endpoint.headers,
          ...(scope.tenant !== undefined ? { 'x-ledgerline-tenant': scope.tenant } : {}),
          ...(endpoint.bearerToken ? { authorization: `Bearer ${endpoint.bearerToken}` } : {}),
        },
        signal,
      });
      if (endpoint.notFoundStatuses.includes(response.status)) {
        await response.body?.cancel();
        return crmFailure('CRM_NOT_FOUND', `${where} answered ${response.status}`);
      }
      if (response.status < 200 || response.status > 299) {
        await response.body?.cancel();
        return crmFailure('CRM_HTTP_STATUS', `${where} answered ${response.status}`);
      }
      const body = await readLimited(response, endpoint.maxBytes);
      if (body === undefined) return crmFailure('CRM_BAD_RESPONSE', `${where} answered more than ${endpoint.maxBytes} bytes`);
      text = body;
    } catch (e) {
      if (signal.aborted) return crmFailure('CRM_TIMEOUT', `${where} did not answer within ${endpoint.timeoutMs} ms`);
      return crmFailure('CRM_UNREACHABLE', `${where}: ${errorText(e)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return crmFailure('CRM_BAD_JSON', `${where} answered ${response.headers.get('content-type') ?? 'no content type'} that is not JSON`);
    }
    return this.#map(endpoint, json, where);
  }

  /** The request URL, or a coded answer when an input it needs is missing. */
  #url(endpoint: Endpoint, inputs: Inputs, tenant: string | undefined): string | LookupAnswer {
    const names = Object.keys(inputs);
    const keyInput = endpoint.keyInput ?? (names.length === 1 ? names[0]! : 'key');
    let missing: string | undefined;
    const url = endpoint.url.replace(/\{([A-Za-z0-9_.]+)\}/g, (_, placeholder: string) => {
      // `{tenant}` is the call's tenant (empty for the default tenant) unless the flow passes an input of that name.
      if (placeholder === 'tenant' && !Object.hasOwn(inputs, 'tenant')) return encodeURIComponent(tenant ?? '');
      const input = placeholder === 'key' ? keyInput : placeholder;
      const v = Object.hasOwn(inputs, input) ? inputs[input] : undefined;
      if (v === undefined || v === null || v === '') {
        missing ??= input;
        return '';
      }
      return encodeURIComponent(String(v));
    });
    return missing === undefined ? url : crmFailure('CRM_NO_KEY', `the look-up input ${missing} is empty`);
  }

  #map(endpoint: Endpoint, json: unknown, where: string): LookupAnswer {
    let record = at(json, endpoint.recordPath);
    if (Array.isArray(record)) record = record[0];
    if (record === undefined || record === null) return crmFailure('CRM_NOT_FOUND', `${where} answered no record`);
    if (typeof record !== 'object' || Array.isArray(record)) return crmFailure('CRM_BAD_RESPONSE', `${where} answered a ${typeof record}, not a record`);
    const values: Record<string, VariableValue> = {};
    if (endpoint.fields) {
      for (const [field, path] of Object.entries(endpoint.fields)) {
        const raw = at(record, path);
        // An absent field is a known unknown (null): the flow's condition nodes can test it.
        const v = raw === undefined ? null : toVariableValue(raw);
        if (v === undefined) return crmFailure('CRM_BAD_RESPONSE', `${where}: ${path} is not a string, number, boolean or null`);
        values[field] = v;
      }
    } else {
      for (const [field, raw] of Object.entries(record)) {
        const v = toVariableValue(raw);
        if (v !== undefined && RESULT_FIELD.test(field)) values[field] = v;
      }
    }
    return { ok: true, values };
  }
}

/** The body as text, or undefined when it exceeds `maxBytes` (the rest is not read). */
async function readLimited(response: Response, maxBytes: number): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
