import type { ErrorSpec } from './catalogue.ts';

/** Codes the agent, queue-configuration and IVR-flow deciders raise. */
export const agentQueueErrors = {} as const satisfies Record<string, ErrorSpec>;
