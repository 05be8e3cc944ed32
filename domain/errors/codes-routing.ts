import type { ErrorSpec } from './catalogue.ts';

/** Codes routing, wait estimation and metrics raise. */
export const routingErrors = {
  // --- routing (domain/routing) ---
  ROUTING_INPUT_INVALID: { status: 500, message: 'The routing view is inconsistent (duplicate ids or invalid settings)' },
  ROUTING_SEED_REQUIRED: { status: 500, message: 'A seed is required to route a queue that uses the random strategy' },
  WAIT_ESTIMATE_INPUT_INVALID: { status: 400, message: 'The wait-estimate input is invalid' },
  QUEUE_EXIT_RULES_INVALID: { status: 400, message: 'The queue exit rules are invalid' },
  OFFER_OUTCOME_INVALID: { status: 400, message: 'The offer outcome policy is invalid' },
  // --- end routing ---
  // --- metrics (domain/metrics) ---
  METRICS_INPUT_INVALID: { status: 400, message: 'The metric or Erlang input is invalid' },
  METRICS_TIME_ZONE_INVALID: { status: 400, message: 'The time zone is not a valid IANA zone' },
  ERLANG_UNSTABLE_QUEUE: { status: 422, message: 'Offered traffic is at or above the number of agents: the queue never settles' },
  STAFFING_TARGET_UNREACHABLE: { status: 422, message: 'No number of agents up to the limit meets the staffing target' },
  // --- end metrics ---
} as const satisfies Record<string, ErrorSpec>;
