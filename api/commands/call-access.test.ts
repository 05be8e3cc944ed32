import { describe, expect, it } from 'vitest';
import { callDecider } from '../../domain/call/call-decider.ts';
import { sampleCommand, stateOf } from '../../domain/call/call-fixtures.ts';
import type { Principal } from '../auth/principal.ts';
import { callDeciderFor } from './call-access.ts';

const key = (role: Principal['role'], agentId: string | null = null): Principal => ({ keyId: 'k1', role, tenant: 'acme', agentId, actor: agentId ? `agent:${agentId}` : `${role}:k1` });

describe('callDeciderFor', () => {
  it('lets the handling agent decide as the plain decider does', () => {
    const state = stateOf('connected');
    expect(callDeciderFor(key('agent', 'a1')).decide(sampleCommand('HoldCall'), state)).toEqual(callDecider.decide(sampleCommand('HoldCall'), state));
  });

  it('refuses another agent, and any agent on a call with no agent yet, with FORBIDDEN', () => {
    for (const [scenario, agent] of [['connected', 'a2'], ['queued', 'a1'], ['offered', 'a1']] as const) {
      expect(() => callDeciderFor(key('agent', agent)).decide(sampleCommand('EndCall'), stateOf(scenario)), scenario).toThrowError(expect.objectContaining({ code: 'FORBIDDEN' }));
    }
  });

  it('leaves an empty stream to the decider (CALL_NOT_FOUND, not FORBIDDEN)', () => {
    expect(() => callDeciderFor(key('agent', 'a1')).decide(sampleCommand('HoldCall'), stateOf('none'))).toThrowError(expect.objectContaining({ code: 'CALL_NOT_FOUND' }));
  });

  it('is the plain decider for every other role', () => {
    for (const role of ['admin', 'supervisor', 'integrator', 'auditor'] as const) expect(callDeciderFor(key(role))).toBe(callDecider);
  });
});
