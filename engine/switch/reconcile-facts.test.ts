import { describe, expect, it } from 'vitest';
import { RECONCILE_ENDED, SWITCH_RESTARTED, reconcileFacts } from './reconcile-facts.ts';

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
