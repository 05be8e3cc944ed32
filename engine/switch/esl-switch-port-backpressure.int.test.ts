// A consumer slower than the switch: the port holds at most its capacity (plus reconcile facts), drops the rest, and
// once the engine has caught up it reconciles, so a leg that hung up while facts were dropped still ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../infra/simulator/server/start-simulator.ts';
import type { SwitchFact } from '../ports/switch-port.ts';
import { until } from '../test-support/wait.ts';
import { EslSwitchPort } from './esl-switch-port.ts';
import { RECONCILE_ENDED } from './reconcile-facts.ts';

let sim: Simulator;
let port: EslSwitchPort;
let switchId: string;
const believed = new Set<string>();

beforeAll(async () => {
  sim = await startSimulator({ port: 0, ringMs: 20, seed: 'esl-switch-port-backpressure' });
  port = new EslSwitchPort({
    switches: [{ host: sim.host, port: sim.port }],
    password: sim.password,
    bufferCapacity: 4,
    openChannels: () => [...believed],
    connection: { heartbeatMisses: 0 },
  });
  switchId = `${sim.host}:${sim.port}`;
  await port.start(5000);
});
afterAll(async () => {
  port.close();
  await sim.close();
});

describe('EslSwitchPort backpressure', () => {
  it('drops beyond its capacity while nobody reads, then reconciles: the hangup it dropped arrives as RECONCILE_ENDED', async () => {
    const callers = [0, 1, 2, 3, 4, 5].map(() => sim.originateInbound());
    for (const c of callers) believed.add(c);
    // Six answers (the only port facts of a parked inbound call): four held, two dropped.
    await until(() => port.droppedFacts === 2, 'the buffer to overflow');
    // Hung up while the buffer is full: its leg_hangup is dropped too.
    const lost = callers[5]!;
    sim.hangup(lost);
    await until(() => port.droppedFacts === 3, 'the hangup to be dropped');
    const seen: SwitchFact[] = [];
    const it = port.facts()[Symbol.asyncIterator]();
    while (!seen.some((f) => f.kind === 'leg_hangup' && f.legUuid === lost)) {
      const r = await it.next();
      if (r.done) break;
      seen.push(r.value);
      if (r.value.kind === 'leg_hangup') believed.delete(r.value.legUuid);
    }
    const hangup = seen.find((f) => f.kind === 'leg_hangup' && f.legUuid === lost);
    expect(hangup).toMatchObject({ cause: RECONCILE_ENDED, switchId });
    expect(seen.map((f) => f.kind)).toEqual(['leg_answered', 'leg_answered', 'leg_answered', 'leg_answered', 'leg_hangup']);
    await it.return?.();
  });
});
