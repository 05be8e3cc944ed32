import { describe, expect, it } from 'vitest';
import { agentLegFailureCauseSchema } from './call-schemas.ts';
import { agentLegFailureCause } from './agent-leg-failure.ts';

describe('agentLegFailureCause', () => {
  it.each([
    ['NO_ANSWER', 'no_answer'],
    ['NO_USER_RESPONSE', 'no_answer'],
    ['ORIGINATOR_CANCEL', 'no_answer'],
    ['USER_BUSY', 'busy'],
    ['CALL_REJECTED', 'rejected'],
    ['DECLINE', 'rejected'],
    ['USER_NOT_REGISTERED', 'unreachable'],
    ['SUBSCRIBER_ABSENT', 'unreachable'],
    ['GATEWAY_DOWN', 'unreachable'],
    ['MEDIA_TIMEOUT', 'error'],
    ['', 'error'],
  ])('maps %s to %s, a cause the call events accept', (cause, expected) => {
    const failure = agentLegFailureCause(cause);
    expect(failure).toBe(expected);
    expect(agentLegFailureCauseSchema.parse(failure)).toBe(failure);
  });
});
