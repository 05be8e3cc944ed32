// TEST SUPPORT for the call-control manager's tests: connected calls made through the call decider on a real store,
// switch facts about the legs the manager dials, and a manager started on a FakeSwitchPort.
import type { EventStore } from '../../../adapters/event-store/port.ts';
import type { CallCommandInput } from '../../../domain/call/call-commands.ts';
import { VirtualClock } from '../../clock.ts';
import type { SwitchFact } from '../../ports/switch-port.ts';
import { callDoes, callerLegOf, SWITCH } from '../../test-support/engine-fixture.ts';
import type { FakeSwitchPort, RecordedSwitchCommand } from '../../test-support/fake-switch-port.ts';
import { agentLegUuidFor } from '../routing/routing-ids.ts';
import { CallControlManager } from './call-control-manager.ts';

export const T0 = 1_700_000_000_000;
let seq = 0;

type Input = CallCommandInput extends infer C ? (C extends unknown ? Omit<C, 'commandId' | 'at'> : never) : never;

/** Runs a call command as the API would (a fresh command id). */
export function api(store: EventStore, input: Input, at = T0 + 1000 + ++seq) {
  return callDoes(store, { ...input, commandId: `api-${++seq}`, at } as CallCommandInput);
}

/** An inbound call answered by agent `agentId` through offer `o-<callId>`: the caller leg bridged to the agent leg. */
export async function connectedCall(store: EventStore, callId: string, agentId = 'a1'): Promise<{ callerLeg: string; agentLeg: string; offerId: string }> {
  const offerId = `o-${callId}`;
  await api(store, { type: 'ReceiveCall', callId, did: '+3225550100', callerNumber: '+32475000001', switchId: SWITCH, channelUuid: callerLegOf(callId) });
  await api(store, { type: 'QueueCall', callId, queueId: 'sales', priority: 0 });
  await api(store, { type: 'OfferToAgent', callId, agentId, offerId });
  await api(store, { type: 'RecordAgentLegAnswered', callId, offerId });
  await api(store, { type: 'ConnectCall', callId, offerId });
  return { callerLeg: callerLegOf(callId), agentLeg: agentLegUuidFor(offerId), offerId };
}

let factSeq = 0;
/** A fact about one of the manager's legs. */
export function legFact(
  kind: 'leg_answered' | 'leg_hangup',
  legUuid: string,
  callId: string,
  role: 'consult' | 'supervisor' | 'outbound',
  cause = 'NORMAL_CLEARING',
): SwitchFact {
  const base = { switchId: SWITCH, factId: `cc-f-${++factSeq}`, at: T0 + 5000 + factSeq, legUuid, callId, role };
  return kind === 'leg_hangup' ? { ...base, kind, cause } : { ...base, kind };
}

/** A manager on `port`, started; errors collected. */
export function startManager(store: EventStore, port: FakeSwitchPort, errors: unknown[], instanceId = 'cc-test'): CallControlManager {
  const m = new CallControlManager({ store, switchPort: port, clock: new VirtualClock(T0), instanceId, onError: (e, what) => errors.push({ e, what }) });
  m.start();
  return m;
}

/** The commands a port received, as `name leg…` lines (for order and count checks). */
export function summary(cs: readonly RecordedSwitchCommand[]): string[] {
  return cs.map((c) => {
    const r = c.request as Record<string, unknown>;
    const legs = ['legUuid', 'aLegUuid', 'bLegUuid', 'callerLegUuid', 'agentLegUuid', 'consultLegUuid', 'targetLegUuid'].filter((k) => typeof r[k] === 'string').map((k) => `${k}=${String(r[k])}`);
    return `${c.name} ${legs.join(' ')}`.trim();
  });
}
