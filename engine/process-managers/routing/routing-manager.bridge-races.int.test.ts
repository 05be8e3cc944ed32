// The bridge of an answered offer racing the caller's hangup or a crash, Given/When/Then on the routing test bed: the
// log says "connected" exactly when the switch bridged the caller to the agent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { agentReady, callerLegOf, callState, createQueue, fact, queueCall } from '../../test-support/engine-fixture.ts';
import { RoutingTestBed } from '../../test-support/routing-test-bed.ts';
import { readAllOf, until } from '../../test-support/wait.ts';
import { mayHaveTakenEffect } from '../../switch-commands/switch-command-claims.ts';
import { RECONCILE_ENDED } from '../../switch/reconcile-facts.ts';

const T0 = 1_700_000_000_000;

describe('RoutingManager: bridges racing hangups and crashes', () => {
  let bed: RoutingTestBed;
  beforeEach(async () => {
    bed = await RoutingTestBed.open(T0);
    await createQueue(bed.store, 'sales', T0, {}, ['a1']);
    await agentReady(bed.store, 'a1', T0);
  });
  afterEach(() => bed.close());

  const types = async () => (await readAllOf(bed.store, 'call-c1')).map((e) => e.type);

  /** c1 queued, offered to a1, whose leg answers; returns the agent leg. */
  async function answered(): Promise<{ legUuid: string; offerId: string }> {
    await bed.start();
    await queueCall(bed.store, 'c1', 'sales', T0 + 1000);
    await until(() => bed.agentOriginates().length === 1, 'a1 dialled');
    const [o] = bed.agentOriginates();
    bed.port.emit(fact('leg_answered', T0 + 3000, { legUuid: o!.legUuid, callId: 'c1', offerId: o!.offerId, role: 'agent' }, {}));
    return o!;
  }

  it('Given the caller gone when the bridge is sent (the switch refuses it), When the reconcile reports the caller ended, Then the call ends unconnected: the refused bridge is not taken for a bridge', async () => {
    bed.port.onCommand = (c) => {
      if (c.name === 'bridge') throw new LedgerlineError('ESL_NO_SUCH_CHANNEL', 'uuid_bridge: -ERR no such channel');
    };
    const o = await answered();
    await until(() => bed.port.named('bridge').length === 1, 'the bridge sent');
    await bed.settle();
    expect(await mayHaveTakenEffect(bed.store, `bridge|${o.legUuid}`)).toBe(false);
    bed.port.emit(fact('leg_hangup', T0 + 60_000, { legUuid: callerLegOf('c1') }, { cause: RECONCILE_ENDED }));
    await until(async () => (await callState(bed.store, 'c1')).status === 'ended', 'the call ended');
    expect(await types()).not.toContain('CallConnected');
    expect((await callState(bed.store, 'c1')).answeredAt).toBeNull();
  });

  it('Given a bridge sent by a process that died before it returned, When the switch reports the legs bridged, Then the call is connected', async () => {
    bed.port.onCommand = (c) => {
      if (c.name === 'bridge') throw new Error('the process died before the bridge returned');
    };
    const o = await answered();
    await until(() => bed.port.named('bridge').length === 1, 'the bridge sent');
    await bed.settle();
    expect((await callState(bed.store, 'c1')).status).toBe('agent_answered');
    bed.port.emit(fact('legs_bridged', T0 + 3500, { legUuid: callerLegOf('c1') }, { otherLegUuid: o.legUuid }));
    await until(async () => (await callState(bed.store, 'c1')).status === 'connected', 'connected on the switch report');
    expect((await types()).filter((t) => t === 'CallConnected')).toHaveLength(1);
  });
});
