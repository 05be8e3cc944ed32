// Restart: a manager is stopped mid-way (a consult bridged, a recording running, a supervisor listening, a consent
// announcement playing); more is decided while no manager runs; a new manager (another instance, on a fresh switch
// port so what it sends is seen apart) catches up from the log, carries out only what was not done, and a third
// one sends nothing at all.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { VirtualClock } from '../../clock.ts';
import { callerLegOf, callState, SWITCH } from '../../test-support/engine-fixture.ts';
import { FakeSwitchPort } from '../../test-support/fake-switch-port.ts';
import { readAllOf, until } from '../../test-support/wait.ts';
import { consultLegUuid, outboundAgentLegUuid } from './call-control-ids.ts';
import type { CallControlManager } from './call-control-manager.ts';
import { api, connectedCall, legFact, startManager, summary, T0 } from './call-control-test-kit.ts';

describe('CallControlManager restart', () => {
  let store: EventStore;
  const ports: FakeSwitchPort[] = [];
  const running: CallControlManager[] = [];
  const errors: unknown[] = [];

  beforeEach(async () => {
    store = await openEventStore('pglite:memory');
    errors.length = 0;
  });
  afterEach(async () => {
    for (const m of running.splice(0)) await m.stop();
    for (const p of ports.splice(0)) p.close();
    await store.close();
    expect(errors).toEqual([]);
  });

  function start(name: string, clock?: VirtualClock): { manager: CallControlManager; port: FakeSwitchPort } {
    const port = new FakeSwitchPort();
    const manager = startManager(store, port, errors, name, clock);
    ports.push(port);
    running.push(manager);
    return { manager, port };
  }

  async function stop(m: CallControlManager): Promise<void> {
    await m.stop();
    running.splice(running.indexOf(m), 1);
  }

  it('never repeats a switch command: the new manager does only what the log asks that was not done', async () => {
    const c1 = await connectedCall(store, 'c1');
    const c3 = await connectedCall(store, 'c3');
    const consultLeg = consultLegUuid('c1', 'k1');
    const first = start('cc-1');
    // c1: a consult answered and bridged, a recording running (consent heard), a supervisor listening.
    await api(store, { type: 'StartConsult', callId: 'c1', consultId: 'k1', target: { kind: 'agent', agentId: 'a2' } });
    await api(store, { type: 'StartRecording', callId: 'c1', recordingId: 'r1' });
    await api(store, { type: 'JoinSupervisor', callId: 'c1', supervisorId: 's1', mode: 'listen' });
    await until(() => first.port.named('play').length === 1 && first.port.named('originateSupervisor').length === 1, 'consent and supervisor');
    first.port.emit(legFact('leg_answered', consultLeg, 'c1', 'consult'));
    first.port.emit({ kind: 'playback_done', switchId: SWITCH, factId: 'pb-1', at: T0 + 9000, legUuid: c1.callerLeg, playbackId: String(first.port.named('play')[0]!.request.playbackId) });
    await until(() => first.port.named('bridgeConsult').length === 1 && first.port.named('startRecording').length === 1, 'bridged and recording');
    // c3: a consent announcement sent, its end not yet reported.
    await api(store, { type: 'StartRecording', callId: 'c3', recordingId: 'r3' });
    await until(() => first.port.named('play').length === 2, 'consent c3');
    await first.manager.idle();
    await stop(first.manager);
    const sentBefore = summary(first.port.commands);

    // While no manager runs: the consult completes (its supervisor leaves with the first agent), the recording is paused;
    // a new call consults.
    await api(store, { type: 'CompleteConsult', callId: 'c1', consultId: 'k1', mode: 'transfer' });
    await api(store, { type: 'PauseRecording', callId: 'c1', reason: 'pci' });
    await connectedCall(store, 'c2');
    await api(store, { type: 'StartConsult', callId: 'c2', consultId: 'k2', target: { kind: 'external', number: '+3225551234' } });

    const second = start('cc-2');
    await until(() => second.port.named('maskRecording').length === 1 && second.port.named('originate').length === 1 && second.port.named('play').length === 1, 'caught up');
    await second.manager.idle();
    const supervisorLeg = String(first.port.named('originateSupervisor')[0]!.request.legUuid);
    expect(summary(second.port.commands).sort()).toEqual(
      [
        `bridge aLegUuid=${c1.callerLeg} bLegUuid=${consultLeg}`,
        `kill legUuid=${c1.agentLeg}`,
        `kill legUuid=${supervisorLeg}`,
        `maskRecording legUuid=${c1.callerLeg}`,
        `originate legUuid=${consultLegUuid('c2', 'k2')}`,
        // c3: nobody knows whether the consent was heard, so it is played again (never zero times), with a new id.
        `play legUuid=${c3.callerLeg}`,
      ].sort(),
    );
    const replay = second.port.named('play')[0]!.request;
    expect(replay.playbackId).not.toBe(first.port.named('play')[1]!.request.playbackId);
    // Nothing sent before is sent again.
    for (const line of summary(second.port.commands)) if (!line.startsWith('play')) expect(sentBefore).not.toContain(line);
    expect((await callState(store, 'c1')).agentId).toBe('a2');

    // The replayed consent ends: c3's recording starts, once.
    second.port.emit({ kind: 'playback_done', switchId: SWITCH, factId: 'pb-3', at: T0 + 9500, legUuid: c3.callerLeg, playbackId: String(replay.playbackId) });
    await until(() => second.port.named('startRecording').length === 1, 'c3 recording');
    await second.manager.idle();
    await stop(second.manager);

    const third = start('cc-3');
    // The switch as it is now: c2's consult leg still rings (this fresh fake port knows no legs otherwise).
    third.port.statuses.set(consultLegUuid('c2', 'k2'), 'ringing');
    await third.manager.idle();
    expect(third.port.commands).toEqual([]);
  });

  it('legs answered or gone while no manager ran: the new manager asks the switch and carries on (bridge, dial the customer, cancel)', async () => {
    const c4 = await connectedCall(store, 'c4');
    await connectedCall(store, 'c5');
    const consult4 = consultLegUuid('c4', 'k4');
    const consult5 = consultLegUuid('c5', 'k5');
    const customerLeg = callerLegOf('out4');
    const agentPhone = outboundAgentLegUuid('out4');
    const first = start('cc-1');
    await api(store, { type: 'StartConsult', callId: 'c4', consultId: 'k4', target: { kind: 'agent', agentId: 'a2' } });
    await api(store, { type: 'StartConsult', callId: 'c5', consultId: 'k5', target: { kind: 'agent', agentId: 'a3' } });
    await api(store, { type: 'OriginateCall', callId: 'out4', destinationNumber: '+32475009999', callerIdNumber: '+3225550100', switchId: SWITCH, channelUuid: customerLeg, agentId: 'a1' });
    await until(() => first.port.named('originate').length === 3, 'dialled');
    await first.manager.idle();
    await stop(first.manager);

    // Meanwhile on the switch: c4's consulted agent answered, c5's never did (gone), the agent phone of out4 answered.
    const second = start('cc-2');
    second.port.statuses.set(consult4, 'answered');
    second.port.statuses.set(consult5, 'hungup');
    second.port.statuses.set(agentPhone, 'answered');
    await until(() => second.port.named('bridgeConsult').length === 1 && second.port.named('originate').length === 1, 'carried on');
    await until(async () => (await callState(store, 'c5')).consult === null && (await callState(store, 'c4')).consult?.answeredAt != null, 'recorded');
    await second.manager.idle();
    expect(summary(second.port.commands).sort()).toEqual(
      [`bridgeConsult callerLegUuid=${c4.callerLeg} agentLegUuid=${c4.agentLeg} consultLegUuid=${consult4}`, `originate legUuid=${customerLeg}`, `kill legUuid=${consult5}`].sort(),
    );
    expect((await readAllOf(store, 'call-c5')).find((e) => e.type === 'ConsultCancelled')?.data).toMatchObject({ reason: 'target_unavailable' });
    // No leg was dialled twice across both runs.
    const dialled = [...first.port.named('originate'), ...second.port.named('originate')].map((c) => c.request.legUuid);
    expect(new Set(dialled).size).toBe(dialled.length);
  });

  it('two instances at once (each with its own copy of every fact): every switch command goes out once in all', async () => {
    const c6 = await connectedCall(store, 'c6');
    const a = start('cc-a');
    const b = start('cc-b');
    const both = (f: Parameters<FakeSwitchPort['emit']>[0]) => {
      a.port.emit(f);
      b.port.emit(f);
    };
    const all = () => [...a.port.commands, ...b.port.commands];
    const consultLeg = consultLegUuid('c6', 'k6');
    await api(store, { type: 'StartConsult', callId: 'c6', consultId: 'k6', target: { kind: 'agent', agentId: 'a2' } });
    await api(store, { type: 'JoinSupervisor', callId: 'c6', supervisorId: 's1', mode: 'barge' });
    await until(() => all().filter((c) => c.name === 'originate' || c.name === 'originateSupervisor').length === 2, 'dialled');
    for (const p of [a.port, b.port]) p.statuses.set(consultLeg, 'ringing');
    both(legFact('leg_answered', consultLeg, 'c6', 'consult'));
    await until(() => all().some((c) => c.name === 'bridgeConsult'), 'bridged');
    await until(async () => (await callState(store, 'c6')).consult?.answeredAt != null, 'answered recorded');
    await api(store, { type: 'CompleteConsult', callId: 'c6', consultId: 'k6', mode: 'transfer' });
    await until(() => all().filter((c) => c.name === 'kill').length >= 2, 'handed over');
    await a.manager.idle();
    await b.manager.idle();
    const lines = summary(all());
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines.sort()).toEqual(
      [
        `originate legUuid=${consultLeg}`,
        `originateSupervisor legUuid=${String(all().find((c) => c.name === 'originateSupervisor')!.request.legUuid)} targetLegUuid=${c6.agentLeg}`,
        `bridgeConsult callerLegUuid=${c6.callerLeg} agentLegUuid=${c6.agentLeg} consultLegUuid=${consultLeg}`,
        `bridge aLegUuid=${c6.callerLeg} bLegUuid=${consultLeg}`,
        `kill legUuid=${c6.agentLeg}`,
        `kill legUuid=${String(all().find((c) => c.name === 'originateSupervisor')!.request.legUuid)}`,
      ].sort(),
    );
    expect((await readAllOf(store, 'call-c6')).filter((e) => e.type === 'ConsultAnswered')).toHaveLength(1);
  });

  it('a leg the switch does not have right after the claim is not given up at once: only after its ring time and a grace', async () => {
    await connectedCall(store, 'c7');
    const consultLeg = consultLegUuid('c7', 'k7');
    const first = start('cc-1');
    await api(store, { type: 'StartConsult', callId: 'c7', consultId: 'k7', target: { kind: 'agent', agentId: 'a2' } });
    await until(() => first.port.named('originate').length === 1, 'dialled');
    await first.manager.idle();
    await stop(first.manager);

    const clock = new VirtualClock(T0);
    const second = start('cc-2', clock); // its fake switch has no such leg: 'absent'
    await second.manager.idle();
    await clock.advanceBy(30_000); // within 30 s ring + 10 s grace of the claim
    await second.manager.idle();
    expect((await callState(store, 'c7')).consult).not.toBeNull();
    await clock.advanceBy(11_000);
    await until(async () => (await callState(store, 'c7')).consult === null, 'given up');
    expect((await readAllOf(store, 'call-c7')).find((e) => e.type === 'ConsultCancelled')?.data).toMatchObject({ reason: 'target_unavailable' });
    await second.manager.idle();
    expect(summary(second.port.commands)).toEqual([`kill legUuid=${consultLeg}`]);
  });
});
