import { describe, expect, it } from 'vitest';
import { RECONCILE_ENDED, SWITCH_RESTARTED, adoptedCallerFacts, reconcileFacts } from './reconcile-facts.ts';

const report = { switchId: 'fs1:8021', coreUuid: 'core-1', coreChanged: false, ended: ['a', 'b'], adopted: [], confirmed: ['c'], at: 1000 };

describe('reconcileFacts', () => {
  it('each ended channel becomes a leg_hangup; confirmed ones say nothing', () => {
    expect(reconcileFacts(report)).toEqual([
      { kind: 'leg_hangup', switchId: 'fs1:8021', factId: 'reconcile/fs1:8021/core-1/1000/a', at: 1000, legUuid: 'a', cause: RECONCILE_ENDED },
      { kind: 'leg_hangup', switchId: 'fs1:8021', factId: 'reconcile/fs1:8021/core-1/1000/b', at: 1000, legUuid: 'b', cause: RECONCILE_ENDED },
    ]);
  });

  it('a restarted switch ended them with SWITCH_RESTARTED', () => {
    expect(reconcileFacts({ ...report, coreChanged: true, coreUuid: 'core-2' }).map((f) => f.kind === 'leg_hangup' && f.cause)).toEqual([SWITCH_RESTARTED, SWITCH_RESTARTED]);
  });
});

const channel = (uuid: string, over: Record<string, unknown> = {}) => ({
  uuid, direction: 'inbound' as const, name: `sofia/external/${uuid}`, state: 'CS_EXECUTE', callState: 'ACTIVE', callerIdNumber: '+15550001', callerIdName: 'Ada',
  destinationNumber: '5000', callUuid: undefined, createdEpoch: 1, ...over,
});

describe('adoptedCallerFacts', () => {
  it('a caller the engine never heard of becomes the fact it missed; agent legs, outbound legs and ended ones do not', () => {
    const adopted = [
      channel('c1'),
      channel('c2', { callState: 'RINGING' }),
      channel('c3', { callState: 'HANGUP' }),
      channel('o1', { direction: 'outbound' }),
      channel('a1', { ledgerline: { callId: 'x', role: 'agent', offerId: 'o' } }),
    ];
    const facts = adoptedCallerFacts({ ...report, adopted });
    expect(facts.map((f) => [f.legUuid, f.kind])).toEqual([['c1', 'leg_answered'], ['c2', 'leg_ringing']]);
    expect(facts[0]).toMatchObject({ direction: 'inbound', did: '5000', callerNumber: '+15550001', callerName: 'Ada', factId: 'adopt/fs1:8021/core-1/c1' });
    // The same leg in a later reconcile is the same fact (the port passes it on once).
    expect(adoptedCallerFacts({ ...report, at: 2000, adopted })[0]!.factId).toBe(facts[0]!.factId);
  });
});
