import { commonErrors } from './codes-common.ts';
import { eventStoreErrors } from './codes-event-store.ts';

/**
 * The single catalogue of coded errors and the HTTP status each maps to.
 * Each area keeps its codes in its own `codes-<area>.ts` file; this module merges them.
 */
export const errorCatalogue = {
  ...commonErrors,
  ...eventStoreErrors,
} as const satisfies Record<string, ErrorSpec>;

/** One catalogue entry. */
export interface ErrorSpec {
  readonly status: number;
  readonly message: string;
}

export type ErrorCode = keyof typeof errorCatalogue;
