import { agentQueueErrors } from './codes-agent-queue.ts';
import { callErrors } from './codes-call.ts';
import { commonErrors } from './codes-common.ts';
import { eslErrors } from './codes-esl.ts';
import { eventStoreErrors } from './codes-event-store.ts';
import { ivrErrors } from './codes-ivr.ts';
import { numberErrors } from './codes-number.ts';
import { routingErrors } from './codes-routing.ts';

/**
 * The single catalogue of coded errors and the HTTP status each maps to.
 * Each area keeps its codes in its own `codes-<area>.ts` file; this module merges them.
 */
export const errorCatalogue = {
  ...commonErrors,
  ...eventStoreErrors,
  ...callErrors,
  ...agentQueueErrors,
  ...ivrErrors,
  ...routingErrors,
  ...eslErrors,
  ...numberErrors,
} as const satisfies Record<string, ErrorSpec>;

/** One catalogue entry. */
export interface ErrorSpec {
  readonly status: number;
  readonly message: string;
}

export type ErrorCode = keyof typeof errorCatalogue;
