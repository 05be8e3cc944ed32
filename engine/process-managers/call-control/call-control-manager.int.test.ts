// The call-control manager, Given/When/Then, on a real embedded store (PGlite) and a fake switch port that records
// commands: Given a connected call (made through the call decider), When the API records a call-control command (and
// the switch reports on the legs the manager dialled), Then these switch commands go out and these commands are
// recorded on the call stream.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../adapters/event-store/open-event-store.ts';
import type { EventStore } from '../../../adapters/event-store/port.ts';
import { callerLegOf, callState, SWITCH } from '../../test-support/engine-fixture.ts';
import { FakeSwitchPort } from '../../test-support/fake-switch-port.ts';
import { readAllOf, until } from '../../test-support/wait.ts';
import { conferenceRoomOf, consultLegUuid, outboundAgentLegUuid, partyLegUuid } from './call-control-ids.ts';
import type { CallControlManager } from './call-control-manager.ts';
import { api, connectedCall, legFact, startManager, summary, T0 } from './call-control-test-kit.ts';

describe('CallControlManager (Given/When/Then)', () => {
  let store: EventStore;
  let port: FakeSwitchPort;
  let manager: CallControlManager;
  const errors: unknown[] = [];

  beforeEach(async () => {
    store = await openEventStore('pglite:memory');
    port = new FakeSwitchPort();
    errors.length = 0;
    manager = startManager(store, port, errors);
  });
  afterEach(async () => {
    await manager.stop();
    port.close();
    await store.close();
    expect(errors).toEqual([]);
  });

  const req = (name: string, i = 0) => port.named(name)[i]?.request as Record<string, unknown> | undefined;
  const settled = () => manager.idle();
  const types = async (callId: string) => (await readAllOf(store, `call-${callId}`)).map((e) => e.type);

  describe('hold and resume', () => {
    it('Given a connected call, When the agent holds then resumes, Then the agent leg is held (the customer hears music), then taken off hold', async () => {
      const { agentLeg } = await connectedCall(store, 'c1');
      await api(store, { type: 'HoldCall', callId: 'c1' });
      await until(() => port.named('hold').length === 1, 'hold');
      expect(req('hold')).toMatchObject({ switchId: SWITCH, legUuid: agentLeg });
      await api(store, { type: 'ResumeCall', callId: 'c1' });
      await until(() => port.named('unhold').length === 1, 'unhold');
      expect(req('unhold')).toMatchObject({ legUuid: agentLeg });
      await settled();
      expect(summary(port.commands)).toEqual([`hold legUuid=${agentLeg}`, `unhold legUuid=${agentLeg}`]);
    });
  });

  describe('blind transfer', () => {
    it('to a number: the caller leg is transferred into the dialplan to that number', async () => {
      const { callerLeg } = await connectedCall(store, 'c1');
      await api(store, { type: 'TransferCall', callId: 'c1', target: { kind: 'external', number: '+3225559999' } });
      await until(() => port.named('transfer').length === 1, 'transfer');
      expect(req('transfer')).toMatchObject({ legUuid: callerLeg, exten: '+3225559999' });
      await settled();
      expect((await callState(store, 'c1')).status).toBe('ended');
    });

    it('to a queue: the caller is parked (to wait for the next agent) and the transferring agent leg hangs up', async () => {
      const { callerLeg, agentLeg } = await connectedCall(store, 'c1');
      await api(store, { type: 'TransferCall', callId: 'c1', target: { kind: 'queue', queueId: 'support', priority: 5, requiredSkills: [] } });
      await until(() => port.named('kill').length === 1, 'kill');
      expect(summary(port.commands)).toEqual([`park legUuid=${callerLeg}`, `kill legUuid=${agentLeg}`]);
      expect(req('kill')).toMatchObject({ cause: 'BLIND_TRANSFER' });
      expect((await callState(store, 'c1')).status).toBe('queued');
    });

    it('to an agent: the caller is parked and the agent leg hangs up; the call is offered to the other agent', async () => {
      const { callerLeg, agentLeg } = await connectedCall(store, 'c1');
      await api(store, { type: 'TransferCall', callId: 'c1', target: { kind: 'agent', agentId: 'a2', offerId: 'o-direct' } });
      await until(() => port.named('kill').length === 1, 'kill');
      expect(summary(port.commands)).toEqual([`park legUuid=${callerLeg}`, `kill legUuid=${agentLeg}`]);
      const s = await callState(store, 'c1');
      expect(s.offer).toMatchObject({ agentId: 'a2', offerId: 'o-direct' });
    });
  });

  describe('attended transfer', () => {
    it('complete: the consult leg is dialled, bridged to the agent when it answers (caller parked on music), then the caller is bridged to it and the first agent leaves', async () => {
      const { callerLeg, agentLeg } = await connectedCall(store, 'c1');
      const consultLeg = consultLegUuid('c1', 'k1');
      await api(store, { type: 'StartConsult', callId: 'c1', consultId: 'k1', target: { kind: 'agent', agentId: 'a2' } });
      await until(() => port.named('originate').length === 1, 'consult originate');
      expect(req('originate')).toMatchObject({ legUuid: consultLeg, role: 'consult', callId: 'c1', endpoint: { kind: 'user', user: 'a2' } });
      port.emit(legFact('leg_answered', consultLeg, 'c1', 'consult'));
      await until(() => port.named('bridgeConsult').length === 1, 'bridge consult');
      expect(req('bridgeConsult')).toMatchObject({ callerLegUuid: callerLeg, agentLegUuid: agentLeg, consultLegUuid: consultLeg });
      await until(async () => (await callState(store, 'c1')).consult?.answeredAt != null, 'ConsultAnswered recorded');
      await api(store, { type: 'CompleteConsult', callId: 'c1', consultId: 'k1', mode: 'transfer' });
      await until(() => port.named('kill').length === 1, 'first agent leaves');
      expect(summary(port.commands).slice(2)).toEqual([`bridge aLegUuid=${callerLeg} bLegUuid=${consultLeg}`, `kill legUuid=${agentLeg}`]);
      expect(req('kill')).toMatchObject({ cause: 'ATTENDED_TRANSFER' });
      expect((await callState(store, 'c1')).agentId).toBe('a2');
      // The new agent hangs up: that is the agent ending the call.
      port.emit(legFact('leg_hangup', consultLeg, 'c1', 'consult'));
      await until(async () => (await callState(store, 'c1')).status === 'ended', 'call ended');
      const ended = (await readAllOf(store, 'call-c1')).find((e) => e.type === 'CallEnded');
      expect(ended?.data).toMatchObject({ hungUpBy: 'agent', agentId: 'a2' });
    });

    it('completed before the consulted party answered: the hand-over waits for the answer, then happens once', async () => {
      const { callerLeg, agentLeg } = await connectedCall(store, 'c1');
      const consultLeg = consultLegUuid('c1', 'k1');
      await api(store, { type: 'StartConsult', callId: 'c1', consultId: 'k1', target: { kind: 'agent', agentId: 'a2' } });
      await until(() => port.named('originate').length === 1, 'consult originate');
      await api(store, { type: 'CompleteConsult', callId: 'c1', consultId: 'k1', mode: 'transfer' });
      await settled();
      expect(summary(port.commands)).toEqual([`originate legUuid=${consultLeg}`]);
      port.emit(legFact('leg_answered', consultLeg, 'c1', 'consult'));
      await until(() => port.named('kill').length === 1, 'first agent leaves');
      expect(summary(port.commands).slice(1)).toEqual([`bridge aLegUuid=${callerLeg} bLegUuid=${consultLeg}`, `kill legUuid=${agentLeg}`]);
      expect(port.named('bridgeConsult')).toEqual([]);
    });

    it('cancel: the caller is bridged back to the agent and the consult leg hangs up', async () => {
      const { callerLeg, agentLeg } = await connectedCall(store, 'c1');
      const consultLeg = consultLegUuid('c1', 'k1');
      await api(store, { type: 'StartConsult', callId: 'c1', consultId: 'k1', target: { kind: 'external', number: '+3225551234' } });
      await until(() => port.named('originate').length === 1, 'consult originate');
      expect(req('originate')).toMatchObject({ endpoint: { kind: 'gateway', gateway: 'default', number: '+3225551234' } });
      port.emit(legFact('leg_answered', consultLeg, 'c1', 'consult'));
      await until(() => port.named('bridgeConsult').length === 1, 'bridge consult');
      await api(store, { type: 'CancelConsult', callId: 'c1', consultId: 'k1' });
      await until(() => port.named('kill').length === 1, 'consult leg killed');
      expect(summary(port.commands).slice(2)).toEqual([`bridge aLegUuid=${callerLeg} bLegUuid=${agentLeg}`, `kill legUuid=${consultLeg}`]);
      expect((await callState(store, 'c1')).consult).toBeNull();
    });

    it('the consulted party does not answer: CancelConsult target_unavailable is recorded; the caller never left the agent', async () => {
      await connectedCall(store, 'c1');
      const consultLeg = consultLegUuid('c1', 'k1');
      await api(store, { type: 'StartConsult', callId: 'c1', consultId: 'k1', target: { kind: 'agent', agentId: 'a2' } });
      await until(() => port.named('originate').length === 1, 'consult originate');
      port.emit(legFact('leg_hangup', consultLeg, 'c1', 'consult', 'NO_ANSWER'));
      await until(async () => (await callState(store, 'c1')).consult === null, 'consult cancelled');
      const cancelled = (await readAllOf(store, 'call-c1')).find((e) => e.type === 'ConsultCancelled');
      expect(cancelled?.data).toMatchObject({ consultId: 'k1', reason: 'target_unavailable' });
      await settled();
      expect(port.named('bridge')).toEqual([]);
      expect(port.named('bridgeConsult')).toEqual([]);
    });

    it('the caller hangs up during the consult: the consult leg is ended, and a late answer bridges nothing', async () => {
      await connectedCall(store, 'c1');
      const consultLeg = consultLegUuid('c1', 'k1');
      await api(store, { type: 'StartConsult', callId: 'c1', consultId: 'k1', target: { kind: 'agent', agentId: 'a2' } });
      await until(() => port.named('originate').length === 1, 'consult originate');
      // What routing records on the caller leg's hangup.
      await api(store, { type: 'EndCall', callId: 'c1', cause: 'NORMAL_CLEARING', hungUpBy: 'caller' });
      await until(() => port.named('kill').length === 1, 'consult leg killed');
      expect(req('kill')).toMatchObject({ legUuid: consultLeg });
      port.emit(legFact('leg_answered', consultLeg, 'c1', 'consult'));
      port.emit(legFact('leg_hangup', consultLeg, 'c1', 'consult'));
      await settled();
      expect(summary(port.commands)).toEqual([`originate legUuid=${consultLeg}`, `kill legUuid=${consultLeg}`]);
      expect(await types('c1')).toEqual(expect.arrayContaining(['ConsultCancelled', 'CallEnded']));
      expect((await readAllOf(store, 'call-c1')).find((e) => e.type === 'ConsultCancelled')?.data).toMatchObject({ reason: 'call_ended' });
    });

    it('complete as a conference: the agent (bridged to the consulted party) and the caller move into the call’s room', async () => {
      const { callerLeg, agentLeg } = await connectedCall(store, 'c1');
      const consultLeg = consultLegUuid('c1', 'k1');
      await api(store, { type: 'StartConsult', callId: 'c1', consultId: 'k1', target: { kind: 'agent', agentId: 'a2' } });
      await until(() => port.named('originate').length === 1, 'consult originate');
      port.emit(legFact('leg_answered', consultLeg, 'c1', 'consult'));
      await until(() => port.named('bridgeConsult').length === 1, 'bridge consult');
      await api(store, { type: 'CompleteConsult', callId: 'c1', consultId: 'k1', mode: 'conference' });
      await until(() => port.named('moveToConference').length === 2, 'conference');
      const room = conferenceRoomOf('c1');
      expect(port.named('moveToConference').map((c) => c.request)).toEqual([
        expect.objectContaining({ legUuid: agentLeg, room, both: true }),
        expect.objectContaining({ legUuid: callerLeg, room, both: false }),
      ]);
      // A further party is dialled into the same room; the agent is not moved again.
      await api(store, { type: 'AddConferenceParty', callId: 'c1', partyId: 'p9', party: { kind: 'external', number: '+3225550009' } });
      await until(() => port.named('originateIntoConference').length === 1, 'p9 dialled');
      expect(req('originateIntoConference')).toMatchObject({ room, partyId: 'p9' });
      expect(port.named('moveToConference')).toHaveLength(2);
      // The consulted party leaving the room is a party hanging up.
      port.emit(legFact('leg_hangup', consultLeg, 'c1', 'consult'));
      await until(async () => (await callState(store, 'c1')).parties.k1 === undefined, 'party removed');
    });
  });

  describe('three-way conference', () => {
    it('add: the call moves into its room once, each party is dialled into it; remove: the party leg hangs up; a party hanging up is recorded', async () => {
      const { agentLeg } = await connectedCall(store, 'c1');
      const room = conferenceRoomOf('c1');
      await api(store, { type: 'AddConferenceParty', callId: 'c1', partyId: 'p1', party: { kind: 'external', number: '+3225557777' } });
      await api(store, { type: 'AddConferenceParty', callId: 'c1', partyId: 'p2', party: { kind: 'agent', agentId: 'a3' } });
      await until(() => port.named('originateIntoConference').length === 2, 'parties dialled');
      expect(port.named('moveToConference').map((c) => c.request)).toEqual([expect.objectContaining({ legUuid: agentLeg, room, both: true })]);
      expect(port.named('originateIntoConference').map((c) => c.request)).toEqual([
        expect.objectContaining({ legUuid: partyLegUuid('c1', 'p1'), room, partyId: 'p1', role: 'consult', endpoint: { kind: 'gateway', gateway: 'default', number: '+3225557777' } }),
        expect.objectContaining({ legUuid: partyLegUuid('c1', 'p2'), room, partyId: 'p2', endpoint: { kind: 'user', user: 'a3' } }),
      ]);
      expect(summary(port.commands)[0]).toBe(`moveToConference legUuid=${agentLeg}`);
      await api(store, { type: 'RemoveConferenceParty', callId: 'c1', partyId: 'p1' });
      await until(() => port.named('kill').length === 1, 'p1 removed');
      expect(req('kill')).toMatchObject({ legUuid: partyLegUuid('c1', 'p1') });
      port.emit(legFact('leg_hangup', partyLegUuid('c1', 'p2'), 'c1', 'consult'));
      await until(async () => Object.keys((await callState(store, 'c1')).parties).length === 0, 'p2 removed');
      const removed = (await readAllOf(store, 'call-c1')).filter((e) => e.type === 'ConferencePartyRemoved').map((e) => e.data);
      expect(removed).toEqual([expect.objectContaining({ partyId: 'p1', reason: 'requested' }), expect.objectContaining({ partyId: 'p2', reason: 'hung_up' })]);
      await settled();
      expect(port.named('kill')).toHaveLength(1);
    });
  });

  describe('recording', () => {
    it('the consent announcement plays to the caller FIRST; the recording starts only when it finished; pause masks, resume unmasks, stop stops', async () => {
      const { callerLeg } = await connectedCall(store, 'c1');
      await api(store, { type: 'StartRecording', callId: 'c1', recordingId: 'r1' });
      await until(() => port.named('play').length === 1, 'consent');
      const play = req('play')!;
      expect(play).toMatchObject({ legUuid: callerLeg, path: 'ivr/recording-consent.wav' });
      await settled();
      expect(port.named('startRecording')).toEqual([]);
      port.emit({ kind: 'playback_done', switchId: SWITCH, factId: 'pb-done-1', at: T0 + 9000, legUuid: callerLeg, role: 'caller', callId: 'c1', playbackId: String(play.playbackId) });
      await until(() => port.named('startRecording').length === 1, 'recording started');
      const path = 'recordings/c1/r1.wav';
      expect(req('startRecording')).toMatchObject({ legUuid: callerLeg, path });
      await api(store, { type: 'PauseRecording', callId: 'c1', reason: 'pci' });
      await until(() => port.named('maskRecording').length === 1, 'masked');
      await api(store, { type: 'ResumeRecording', callId: 'c1' });
      await until(() => port.named('maskRecording').length === 2, 'unmasked');
      await api(store, { type: 'StopRecording', callId: 'c1' });
      await until(() => port.named('stopRecording').length === 1, 'stopped');
      expect(port.named('maskRecording').map((c) => c.request.masked)).toEqual([true, false]);
      expect(summary(port.commands).map((l) => l.split(' ')[0])).toEqual(['play', 'startRecording', 'maskRecording', 'maskRecording', 'stopRecording']);
    });

    it('paused while the consent still plays: the recording starts masked; stopped before it: it never starts', async () => {
      const { callerLeg } = await connectedCall(store, 'c1');
      await api(store, { type: 'StartRecording', callId: 'c1', recordingId: 'r1' });
      await until(() => port.named('play').length === 1, 'consent');
      await api(store, { type: 'PauseRecording', callId: 'c1', reason: 'pci' });
      await settled();
      expect(port.named('maskRecording')).toEqual([]);
      port.emit({ kind: 'playback_done', switchId: SWITCH, factId: 'pb-done-2', at: T0 + 9000, legUuid: callerLeg, playbackId: String(req('play')!.playbackId) });
      await until(() => port.named('maskRecording').length === 1, 'masked at start');
      expect(summary(port.commands).map((l) => l.split(' ')[0])).toEqual(['play', 'startRecording', 'maskRecording']);

      const c2 = await connectedCall(store, 'c2');
      await api(store, { type: 'StartRecording', callId: 'c2', recordingId: 'r2' });
      await until(() => port.named('play').length === 2, 'consent 2');
      await api(store, { type: 'StopRecording', callId: 'c2' });
      await settled();
      port.emit({ kind: 'playback_done', switchId: SWITCH, factId: 'pb-done-3', at: T0 + 9000, legUuid: c2.callerLeg, playbackId: String(req('play', 1)!.playbackId) });
      await settled();
      expect(port.named('startRecording')).toHaveLength(1);
      expect(port.named('stopRecording')).toEqual([]);
    });
  });

  describe('supervisor', () => {
    it('listen, whisper and barge dial the supervisor into an eavesdrop on the agent leg; leaving ends the leg; hanging up records the leave', async () => {
      const { agentLeg } = await connectedCall(store, 'c1');
      await api(store, { type: 'JoinSupervisor', callId: 'c1', supervisorId: 's1', mode: 'listen' });
      await api(store, { type: 'JoinSupervisor', callId: 'c1', supervisorId: 's2', mode: 'whisper' });
      await api(store, { type: 'JoinSupervisor', callId: 'c1', supervisorId: 's3', mode: 'barge' });
      await until(() => port.named('originateSupervisor').length === 3, 'supervisors dialled');
      const sups = port.named('originateSupervisor').map((c) => c.request as Record<string, unknown>);
      expect(sups.map((r) => [r.supervisorId, r.mode, r.targetLegUuid, (r.endpoint as { user: string }).user])).toEqual([
        ['s1', 'listen', agentLeg, 's1'],
        ['s2', 'whisper', agentLeg, 's2'],
        ['s3', 'barge', agentLeg, 's3'],
      ]);
      await api(store, { type: 'LeaveSupervisor', callId: 'c1', supervisorId: 's1' });
      await until(() => port.named('kill').length === 1, 's1 leg ended');
      expect(req('kill')).toMatchObject({ legUuid: sups[0]!.legUuid });
      port.emit(legFact('leg_hangup', String(sups[1]!.legUuid), 'c1', 'supervisor'));
      await until(async () => (await callState(store, 'c1')).supervisors.s2 === undefined, 's2 left');
      expect((await callState(store, 'c1')).supervisors).toEqual({ s3: 'barge' });
    });
  });

  describe('click-to-call', () => {
    it('the agent phone rings first; once answered the customer is dialled; once the customer answers they are bridged and the call connects', async () => {
      const customerLeg = callerLegOf('out1');
      const agentLeg = outboundAgentLegUuid('out1');
      await api(store, { type: 'OriginateCall', callId: 'out1', destinationNumber: '+32475009999', callerIdNumber: '+3225550100', switchId: SWITCH, channelUuid: customerLeg, agentId: 'a1' });
      await until(() => port.named('originate').length === 1, 'agent phone');
      expect(req('originate')).toMatchObject({ legUuid: agentLeg, role: 'outbound', callId: 'out1', endpoint: { kind: 'user', user: 'a1' } });
      port.emit(legFact('leg_answered', agentLeg, 'out1', 'outbound'));
      await until(() => port.named('originate').length === 2, 'customer dialled');
      expect(req('originate', 1)).toMatchObject({ legUuid: customerLeg, role: 'outbound', callerIdNumber: '+3225550100', endpoint: { kind: 'gateway', gateway: 'default', number: '+32475009999' } });
      port.emit(legFact('leg_answered', customerLeg, 'out1', 'outbound'));
      await until(async () => (await callState(store, 'out1')).status === 'connected', 'connected');
      expect(summary(port.named('bridge'))).toEqual([`bridge aLegUuid=${customerLeg} bLegUuid=${agentLeg}`]);
      expect((await callState(store, 'out1')).agentId).toBe('a1');
      await api(store, { type: 'HoldCall', callId: 'out1' });
      await until(() => port.named('hold').length === 1, 'hold');
      expect(req('hold')).toMatchObject({ legUuid: agentLeg });
      // The agent hangs up: the call ends by the agent.
      port.emit(legFact('leg_hangup', agentLeg, 'out1', 'outbound'));
      await until(async () => (await callState(store, 'out1')).status === 'ended', 'ended');
    });

    it('the customer is busy: the call ends (remote) and the agent phone is hung up', async () => {
      const customerLeg = callerLegOf('out2');
      const agentLeg = outboundAgentLegUuid('out2');
      await api(store, { type: 'OriginateCall', callId: 'out2', destinationNumber: '+32475008888', callerIdNumber: '+3225550100', switchId: SWITCH, channelUuid: customerLeg, agentId: 'a1' });
      await until(() => port.named('originate').length === 1, 'agent phone');
      port.emit(legFact('leg_answered', agentLeg, 'out2', 'outbound'));
      await until(() => port.named('originate').length === 2, 'customer dialled');
      port.emit(legFact('leg_hangup', customerLeg, 'out2', 'outbound', 'USER_BUSY'));
      await until(async () => (await callState(store, 'out2')).status === 'ended', 'ended');
      await until(() => port.named('kill').length === 1, 'agent phone hung up');
      expect(req('kill')).toMatchObject({ legUuid: agentLeg });
      const ended = (await readAllOf(store, 'call-out2')).find((e) => e.type === 'CallEnded');
      expect(ended?.data).toMatchObject({ hungUpBy: 'remote', cause: 'USER_BUSY', answered: false });
    });
  });

  it('a tenant’s call: legs carry the scoped call id, people are dialled by scoped id, answers go to the event’s own stream with the tenant', async () => {
    const { agentLeg } = await connectedCall(store, 'c9', 'a1', 'acme');
    const consultLeg = consultLegUuid('acme.c9', 'k1');
    await api(store, { type: 'StartConsult', callId: 'c9', consultId: 'k1', target: { kind: 'agent', agentId: 'a2' } }, T0 + 2000, 'acme');
    await api(store, { type: 'JoinSupervisor', callId: 'c9', supervisorId: 's1', mode: 'listen' }, T0 + 2001, 'acme');
    await until(() => port.named('originate').length === 1 && port.named('originateSupervisor').length === 1, 'dialled');
    expect(req('originate')).toMatchObject({ legUuid: consultLeg, callId: 'acme.c9', endpoint: { kind: 'user', user: 'acme.a2' } });
    expect(req('originateSupervisor')).toMatchObject({ callId: 'acme.c9', targetLegUuid: agentLeg, endpoint: { kind: 'user', user: 'acme.s1' } });
    port.emit(legFact('leg_hangup', consultLeg, 'acme.c9', 'consult', 'USER_BUSY'));
    await until(async () => (await readAllOf(store, 'call-acme.c9')).some((e) => e.type === 'ConsultCancelled'), 'cancelled');
    const cancelled = (await readAllOf(store, 'call-acme.c9')).find((e) => e.type === 'ConsultCancelled')!;
    expect(cancelled.data).toMatchObject({ callId: 'c9', consultId: 'k1', reason: 'target_unavailable' });
    expect(cancelled.metadata).toMatchObject({ tenant: 'acme' });
    expect(await readAllOf(store, 'call-c9')).toEqual([]);
  });

  it('ignores facts about legs it did not dial (caller and agent legs are routing’s)', async () => {
    const { agentLeg, callerLeg } = await connectedCall(store, 'c1');
    port.emit({ kind: 'leg_hangup', switchId: SWITCH, factId: 'x1', at: T0, legUuid: agentLeg, callId: 'c1', role: 'agent', offerId: 'o-c1', cause: 'NORMAL_CLEARING' });
    port.emit({ kind: 'leg_hangup', switchId: SWITCH, factId: 'x2', at: T0, legUuid: callerLeg, callId: 'c1', role: 'caller', cause: 'NORMAL_CLEARING' });
    await settled();
    expect(port.commands).toEqual([]);
    expect((await callState(store, 'c1')).status).toBe('connected');
  });
});
