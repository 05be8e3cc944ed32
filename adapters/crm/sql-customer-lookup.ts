// The built-in CustomerLookup: the `customers` table (customers-schema.ts), by phone number or by customer id, per
// tenant. The port carries no tenant, so a look-up is bound to one at construction and may be given another per
// call (`scope`): the engine builds one per tenant or passes the call's tenant.
import { sql, type Kysely } from 'kysely';
import type { VariableValue } from '../../domain/ivr/flow-schema.ts';
import type { CustomerLookup, LookupAnswer } from '../../engine/process-managers/inbound/customer-lookup.ts';
import { normalizePhone, tenantColumn, type CrmTables } from './customers-schema.ts';
import { crmFailure, RESULT_FIELD, toVariableValue } from './lookup-failure.ts';

/** What a named look-up searches by. */
export type CustomerKey = 'phone' | 'id';

/** The look-up names this adapter answers by default. */
export const DEFAULT_CUSTOMER_LOOKUPS: Readonly<Record<string, CustomerKey>> = {
  'customer-by-number': 'phone',
  'customer-by-phone': 'phone',
  'customer-by-id': 'id',
};

export interface SqlCustomerLookupOptions {
  /** A database where migrateCustomers has run. */
  readonly db: Kysely<unknown>;
  /** The tenant looked up when a call gives none (undefined: the default tenant). */
  readonly tenant?: string;
  /** Look-up name → what it searches by (default DEFAULT_CUSTOMER_LOOKUPS). */
  readonly lookups?: Readonly<Record<string, CustomerKey>>;
}

type Inputs = Readonly<Record<string, VariableValue>>;

/** The input that holds the key: the only one, else `key`, else `number`/`phone` (by phone) or `id`/`customerId`. */
function keyOf(by: CustomerKey, inputs: Inputs): string | undefined {
  const names = Object.keys(inputs);
  const candidates = names.length === 1 ? names : ['key', ...(by === 'phone' ? ['number', 'phone'] : ['id', 'customerId'])];
  for (const n of candidates) {
    const v = Object.hasOwn(inputs, n) ? inputs[n] : undefined;
    if (v !== undefined && v !== null && v !== '') return String(v);
  }
  return undefined;
}

/**
 * See the module comment. Answers `id`, `name`, `tier`, `segment` (null when unset) and `attributes.<key>` for each
 * top-level scalar attribute. A number shared by several customers answers the most recently updated one.
 */
export class SqlCustomerLookup implements CustomerLookup {
  readonly #db: Kysely<CrmTables>;
  readonly #tenant: string | undefined;
  readonly #lookups: Readonly<Record<string, CustomerKey>>;

  constructor(options: SqlCustomerLookupOptions) {
    this.#db = options.db.withTables<CrmTables>();
    this.#tenant = options.tenant;
    this.#lookups = options.lookups ?? DEFAULT_CUSTOMER_LOOKUPS;
  }

  /** Runs look-up `name`; `scope.tenant` overrides the tenant given at construction. Never throws. */
  async lookup(name: string, inputs: Inputs, scope?: { readonly tenant?: string }): Promise<LookupAnswer> {
    const by = Object.hasOwn(this.#lookups, name) ? this.#lookups[name] : undefined;
    if (by === undefined) return crmFailure('CRM_UNKNOWN_LOOKUP', `no customer look-up named ${name}`);
    const raw = keyOf(by, inputs);
    const key = raw === undefined ? undefined : by === 'phone' ? normalizePhone(raw) : raw;
    if (key === undefined) return crmFailure('CRM_NO_KEY', `the look-up ${name} has no usable ${by === 'phone' ? 'phone number' : 'customer id'}`);
    const tenant = tenantColumn(scope?.tenant ?? this.#tenant);
    try {
      const base = this.#db.selectFrom('customers').select(['id', 'name', 'tier', 'segment', 'attributes']).where('tenant', '=', tenant);
      const row =
        by === 'id'
          ? await base.where('id', '=', key).executeTakeFirst()
          : await base
              .where(sql<boolean>`phone_numbers @> ARRAY[${key}]::text[]`)
              .orderBy('updated_at', 'desc')
              .orderBy('id')
              .limit(1)
              .executeTakeFirst();
      if (!row) return crmFailure('CRM_NOT_FOUND', `no customer with ${by} ${key}`);
      const values: Record<string, VariableValue> = { id: row.id, name: row.name, tier: row.tier, segment: row.segment };
      const attributes = typeof row.attributes === 'string' ? (JSON.parse(row.attributes) as Record<string, unknown>) : row.attributes;
      for (const [k, v] of Object.entries(attributes)) {
        const value = toVariableValue(v);
        if (value !== undefined && RESULT_FIELD.test(`attributes.${k}`)) values[`attributes.${k}`] = value;
      }
      return { ok: true, values };
    } catch (e) {
      return crmFailure('CRM_QUERY_FAILED', e instanceof Error ? e.message : String(e));
    }
  }
}
