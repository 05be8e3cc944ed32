// The data look-ups an IVR flow names (`lookup` nodes): the engine asks this port, the flow never does IO itself.
// Adapters: adapters/crm (an HTTP CRM, the built-in customers table); tests use the in-memory implementation below.
import type { VariableValue } from '../../../domain/ivr/flow-schema.ts';

/** What a look-up answered: values by result field, or why it failed. */
export type LookupAnswer =
  | { readonly ok: true; readonly values: Readonly<Record<string, VariableValue>> }
  | { readonly ok: false; readonly reason: 'not_found' | 'error'; readonly message?: string };

/** Runs a named look-up (`customer-by-number`, …) with the flow's inputs. Should not throw; a throw counts as `error`. */
export interface CustomerLookup {
  /** `scope.tenant`: the calling call's tenant (a look-up never answers from another tenant's data). */
  lookup(name: string, inputs: Readonly<Record<string, VariableValue>>, scope?: LookupScope): Promise<LookupAnswer>;
}

/** Whose data a look-up may read. */
export interface LookupScope {
  readonly tenant?: string;
}

/** A look-up function per name, for tests and local runs. An unknown name answers `not_found`. */
export class InMemoryCustomerLookup implements CustomerLookup {
  readonly #handlers: Map<string, (inputs: Readonly<Record<string, VariableValue>>) => LookupAnswer | Promise<LookupAnswer>>;
  /** Every look-up asked, in order (tests check a look-up was not run twice). */
  readonly calls: { name: string; inputs: Readonly<Record<string, VariableValue>> }[] = [];

  constructor(handlers: Record<string, (inputs: Readonly<Record<string, VariableValue>>) => LookupAnswer | Promise<LookupAnswer>> = {}) {
    this.#handlers = new Map(Object.entries(handlers));
  }

  async lookup(name: string, inputs: Readonly<Record<string, VariableValue>>): Promise<LookupAnswer> {
    this.calls.push({ name, inputs });
    const h = this.#handlers.get(name);
    if (!h) return { ok: false, reason: 'not_found', message: `no look-up named ${name}` };
    return h(inputs);
  }
}
