// TEST SUPPORT for the call-control manager's tests: connected calls made through the call decider on a real store,
// switch facts about the legs the manager dials, and a manager started on a FakeSwitchPort.
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { parseCallCommand, type CallCommandInput } from '../../../domain/call/call-commands.ts';
import { callDecider } from '../../../domain/call/call-decider.ts';
import { tenantStream } from '../../../domain/shared/tenant-stream.ts';
import { VirtualClock } from '../../clock.ts';
import { handleCommand } from '../../command-handling/handle-command.ts';
import type { SwitchFact } from '../../ports/switch-port.ts';
import { callDoes, callerLegOf, SWITCH } from '../../test-support/engine-fixture.ts';
import type { FakeSwitchPort, RecordedSwitchCommand } from '../../test-support/fake-switch-port.ts';
import { agentLegUuidFor } from '../routing/routing-ids.ts';
import { CallControlManager } from './call-control-manager.ts';

export const T0 = 1_700_000_000_000;
let seq = 0;

type Input = CallCommandInput extends infer C ? (C extends unknown ? Omit<C, 'commandId' | 'at'> : never) : never;

/** Runs a call command as the API would (a fresh command id); with a tenant, on `call-<tenant>.<callId>`. */
export function api(store: EventStore, input: Input, at = T0 + 1000 + ++seq, tenant?: string) {
  const command = { ...input, commandId: `api-${++seq}`, at } as CallCommandInput;
  if (tenant === undefined) return callDoes(store, command);
  return handleCommand(store, callDecider, tenantStream('call', tenant, input.callId), parseCallCommand(command), { tenant });
}

/** An inbound call answered by agent `agentId` through offer `o-<callId>`: the caller leg bridged to the agent leg. */
export async function connectedCall(store: EventStore, callId: string, agentId = 'a1', tenant?: string): Promise<{ callerLeg: string; agentLeg: string; offerId: string }> {
  const offerId = `o-${callId}`;
  const callerLeg = callerLegOf(tenant === undefined ? callId : `${tenant}.${callId}`);
  const at = () => T0 + 1000 + ++seq;
  await api(store, { type: 'ReceiveCall', callId, did: '+3225550100', callerNumber: '+32475000001', switchId: SWITCH, channelUuid: callerLeg }, at(), tenant);
  await api(store, { type: 'QueueCall', callId, queueId: 'sales', priority: 0 }, at(), tenant);
  await api(store, { type: 'OfferToAgent', callId, agentId, offerId }, at(), tenant);
  await api(store, { type: 'RecordAgentLegAnswered', callId, offerId }, at(), tenant);
  await api(store, { type: 'ConnectCall', callId, offerId }, at(), tenant);
  return { callerLeg, agentLeg: agentLegUuidFor(offerId), offerId };
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
export function startManager(store: EventStore, port: FakeSwitchPort, errors: unknown[], instanceId = 'cc-test', clock = new VirtualClock(T0)): CallControlManager {
  const m = new CallControlManager({ store, switchPort: port, clock, instanceId, onError: (e, what) => errors.push({ e, what }) });
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
