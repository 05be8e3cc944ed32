// The coded failures the CRM adapters answer with. The CustomerLookup port has two failure reasons (`not_found`,
// `error`); the adapters add a stable `code` and put it first in `message` (`CRM_TIMEOUT: …`), so the reason
// survives wherever only the message is kept (IvrLookupFailed.message).
import type { VariableValue } from '../../domain/ivr/flow-schema.ts';
import type { LookupAnswer } from '../../engine/process-managers/inbound/customer-lookup.ts';

/** Why a CRM look-up did not answer values. */
export type CrmFailureCode =
  /** No record for the key (HTTP 404 or an empty result, no row). */
  | 'CRM_NOT_FOUND'
  /** The look-up had no usable key (the caller's number withheld, an empty id). */
  | 'CRM_NO_KEY'
  /** No look-up of that name is configured. */
  | 'CRM_UNKNOWN_LOOKUP'
  /** The endpoint did not answer within its timeout. */
  | 'CRM_TIMEOUT'
  /** Connection refused, DNS failure, reset: the endpoint could not be reached. */
  | 'CRM_UNREACHABLE'
  /** A status other than 2xx (and other than the not-found statuses). */
  | 'CRM_HTTP_STATUS'
  /** The body is not JSON. */
  | 'CRM_BAD_JSON'
  /** JSON of an unexpected shape, or larger than allowed. */
  | 'CRM_BAD_RESPONSE'
  /** The database query failed. */
  | 'CRM_QUERY_FAILED';

/** A failed answer carrying its code. */
export type CrmLookupFailure = Extract<LookupAnswer, { ok: false }> & { readonly code: CrmFailureCode };

const NOT_FOUND: ReadonlySet<CrmFailureCode> = new Set(['CRM_NOT_FOUND', 'CRM_NO_KEY', 'CRM_UNKNOWN_LOOKUP']);

/** A failed answer: `not_found` for the codes that mean "no such customer", `error` for the rest. */
export function crmFailure(code: CrmFailureCode, detail: string): CrmLookupFailure {
  return { ok: false, reason: NOT_FOUND.has(code) ? 'not_found' : 'error', code, message: `${code}: ${detail}` };
}

/** Longest string value handed to a flow (the flow's variables hold at most 1024 characters). */
export const MAX_VALUE_CHARS = 1024;

/** A JSON value as a flow variable value, or undefined when it is not a scalar (objects, arrays). */
export function toVariableValue(v: unknown): VariableValue | undefined {
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') return v.length > MAX_VALUE_CHARS ? v.slice(0, MAX_VALUE_CHARS) : v;
  return undefined;
}

/** Result field names a flow's `outputs` may use (flow-schema.ts). */
export const RESULT_FIELD = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;
