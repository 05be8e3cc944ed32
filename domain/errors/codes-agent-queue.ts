import type { ErrorSpec } from './catalogue.ts';

/** Codes the agent, queue-configuration and IVR-flow deciders raise. */
export const agentQueueErrors = {
  // agent-<agentId>
  AGENT_COMMAND_INVALID: { status: 400, message: 'The agent command does not match its schema or names another agent' },
  AGENT_NOT_LOGGED_IN: { status: 409, message: 'The agent is not logged in' },
  AGENT_ALREADY_LOGGED_IN: { status: 409, message: 'The agent is already logged in' },
  AGENT_NOT_AVAILABLE: { status: 409, message: 'The agent is not available for an offer' },
  AGENT_BUSY: { status: 409, message: 'The agent is handling a call' },
  AGENT_NO_OFFER: { status: 409, message: 'The agent has no pending offer' },
  AGENT_OFFER_MISMATCH: { status: 409, message: 'The command names another offer than the agent holds' },
  AGENT_NOT_IN_CALL: { status: 409, message: 'The agent is not on a call' },
  AGENT_NOT_IN_WRAP_UP: { status: 409, message: 'The agent is not in wrap-up' },
  AGENT_WRAP_UP_NOT_DUE: { status: 409, message: 'The wrap-up deadline has not been reached' },
  // queue-<queueId>
  QUEUE_COMMAND_INVALID: { status: 400, message: 'The queue command is addressed to another queue' },
  QUEUE_CONFIG_INVALID: { status: 422, message: 'The queue configuration is invalid' },
  QUEUE_NOT_FOUND: { status: 404, message: 'No such queue' },
  QUEUE_ALREADY_EXISTS: { status: 409, message: 'The queue already exists' },
  QUEUE_DELETED: { status: 410, message: 'The queue has been deleted' },
  // ivrflow-<flowId> (IVR_FLOW_INVALID, for a flow that fails validateFlow, lives in codes-ivr.ts)
  IVR_FLOW_COMMAND_INVALID: { status: 400, message: 'The IVR flow command does not match its schema or names another flow' },
  IVR_FLOW_NOT_FOUND: { status: 404, message: 'No such IVR flow' },
  IVR_FLOW_RETIRED: { status: 409, message: 'The IVR flow is retired' },
  IVR_FLOW_DRAFT_CHANGED: { status: 409, message: 'The IVR flow draft is not the one the publisher reviewed' },
  IVR_FLOW_NOT_PUBLISHED: { status: 409, message: 'The IVR flow has no published version' },
  IVR_FLOW_VERSION_NOT_FOUND: { status: 404, message: 'No such published version of the IVR flow' },
} as const satisfies Record<string, ErrorSpec>;
