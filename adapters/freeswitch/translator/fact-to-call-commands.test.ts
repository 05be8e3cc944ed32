import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eslEventFrom } from '../esl/esl-event.ts';
import { type ChannelContext, callIdForChannel, factToCallCommands, switchCommandId } from './fact-to-call-commands.ts';
import { toSwitchFact } from './to-switch-fact.ts';

const CORE = '11111111-2222-4333-8444-555555555555';
const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const source = { switchId: 'fs1:8021', receivedAt: 0 };
let seq = 100;

function fact(name: string, uuid: string, extra: Array<[string, string]> = [], direction = 'inbound') {
  seq++;
  return toSwitchFact(eslEventFrom([
    ['Event-Name', name], ['Core-UUID', CORE], ['Event-Sequence', String(seq)], ['Event-Date-Timestamp', String(1_767_225_600_000_000 + seq * 1000)],
    ['Unique-ID', uuid], ['Call-Direction', direction], ['Caller-Caller-ID-Number', '+15550100'], ['Caller-Caller-ID-Name', 'Ann'],
    ['Caller-Destination-Number', '+18005550000'], ...extra,
  ]), source);
}

const ctx = (map: Record<string, ChannelContext>) => ({ channel: (u: string) => map[u] });
const none = ctx({});

describe('factToCallCommands: a new inbound call', () => {
  it('an inbound CHANNEL_PARK of an unknown leg gives ReceiveCall with a call id derived from the channel', () => {
    const [cmd, ...rest] = factToCallCommands(fact('CHANNEL_PARK', A), none);
    expect(rest).toEqual([]);
    expect(cmd).toMatchObject({
      type: 'ReceiveCall', callId: callIdForChannel(CORE, A), did: '+18005550000', callerNumber: '+15550100', callerName: 'Ann',
      switchId: 'fs1:8021', channelUuid: A, actor: `switch:${CORE}`, at: 1_767_225_600_000 + seq,
    });
  });

  it('ANSWER and PARK of the same leg (and any replay) give the same command id: one ReceiveCall after dedup', () => {
    const ids = [fact('CHANNEL_ANSWER', A), fact('CHANNEL_PARK', A), fact('CHANNEL_PARK', A)].flatMap((f) => factToCallCommands(f, none).map((c) => c.commandId));
    expect(new Set(ids).size).toBe(1);
  });

  it('outbound legs and legs we originated (ledgerline_role set) are never received as new calls', () => {
    expect(factToCallCommands(fact('CHANNEL_PARK', B, [], 'outbound'), none)).toEqual([]);
    expect(factToCallCommands(fact('CHANNEL_PARK', B, [['variable_ledgerline_role', 'agent']]), none)).toEqual([]);
  });

  it('a leg the engine already tracks is not received again', () => {
    expect(factToCallCommands(fact('CHANNEL_PARK', A), ctx({ [A]: { callId: 'c1', role: 'caller', status: 'queued' } }))).toEqual([]);
  });
});

describe('factToCallCommands: the agent leg', () => {
  const offered = ctx({ [A]: { callId: 'c1', role: 'caller', status: 'offered' }, [B]: { callId: 'c1', role: 'agent', status: 'offered', offerId: 'o1' } });

  it('CHANNEL_PROGRESS → RecordAgentLegRinging; CHANNEL_ANSWER → RecordAgentLegAnswered', () => {
    expect(factToCallCommands(fact('CHANNEL_PROGRESS', B, [], 'outbound'), offered)).toMatchObject([{ type: 'RecordAgentLegRinging', callId: 'c1', offerId: 'o1', channelUuid: B }]);
    expect(factToCallCommands(fact('CHANNEL_ANSWER', B, [], 'outbound'), offered)).toMatchObject([{ type: 'RecordAgentLegAnswered', offerId: 'o1' }]);
  });

  it("cross-leg reordering: A's BRIDGE before B's ANSWER implies the answer, with the same command id the ANSWER would give", () => {
    const onBridge = factToCallCommands(fact('CHANNEL_BRIDGE', A, [['Bridge-A-Unique-ID', A], ['Bridge-B-Unique-ID', B]]), offered);
    expect(onBridge.map((c) => c.type)).toEqual(['RecordAgentLegAnswered', 'ConnectCall']);
    expect(onBridge[1]).toMatchObject({ offerId: 'o1', callId: 'c1' });
    const onAnswer = factToCallCommands(fact('CHANNEL_ANSWER', B, [], 'outbound'), offered);
    expect(onAnswer[0]!.commandId).toBe(onBridge[0]!.commandId);
  });

  it('after the answer, BRIDGE gives only ConnectCall; once connected, nothing', () => {
    const answered = ctx({ [A]: { callId: 'c1', role: 'caller', status: 'agent_answered' }, [B]: { callId: 'c1', role: 'agent', status: 'agent_answered', offerId: 'o1' } });
    expect(factToCallCommands(fact('CHANNEL_BRIDGE', A, [['Bridge-A-Unique-ID', A], ['Bridge-B-Unique-ID', B]]), answered).map((c) => c.type)).toEqual(['ConnectCall']);
    const connected = ctx({ [A]: { callId: 'c1', role: 'caller', status: 'connected' }, [B]: { callId: 'c1', role: 'agent', status: 'connected', offerId: 'o1' } });
    expect(factToCallCommands(fact('CHANNEL_BRIDGE', A, [['Bridge-A-Unique-ID', A], ['Bridge-B-Unique-ID', B]]), connected)).toEqual([]);
  });

  it.each([
    ['NO_ANSWER', 'no_answer'], ['USER_BUSY', 'busy'], ['CALL_REJECTED', 'rejected'], ['USER_NOT_REGISTERED', 'unreachable'], ['INCOMPATIBLE_DESTINATION', 'error'],
  ])('an unanswered agent leg hanging up with %s → RecordAgentLegFailed %s', (cause, expected) => {
    expect(factToCallCommands(fact('CHANNEL_HANGUP', B, [['Hangup-Cause', cause]], 'outbound'), offered)).toMatchObject([{ type: 'RecordAgentLegFailed', offerId: 'o1', cause: expected }]);
  });
});

describe('factToCallCommands: hangups', () => {
  it('the caller hanging up while waiting abandons; while connected ends the call (hung up by the caller)', () => {
    expect(factToCallCommands(fact('CHANNEL_HANGUP', A, [['Hangup-Cause', 'ORIGINATOR_CANCEL']]), ctx({ [A]: { callId: 'c1', role: 'caller', status: 'queued' } })))
      .toMatchObject([{ type: 'AbandonCall', cause: 'ORIGINATOR_CANCEL' }]);
    expect(factToCallCommands(fact('CHANNEL_HANGUP', A, [['Hangup-Cause', 'NORMAL_CLEARING']]), ctx({ [A]: { callId: 'c1', role: 'caller', status: 'connected' } })))
      .toMatchObject([{ type: 'EndCall', cause: 'NORMAL_CLEARING', hungUpBy: 'caller' }]);
  });

  it('the agent hanging up a connected call ends it (agent); a hangup the engine requested is attributed to it', () => {
    const c = { [B]: { callId: 'c1', role: 'agent' as const, status: 'connected' as const, offerId: 'o1' } };
    expect(factToCallCommands(fact('CHANNEL_HANGUP', B, [], 'outbound'), ctx(c))).toMatchObject([{ type: 'EndCall', hungUpBy: 'agent' }]);
    expect(factToCallCommands(fact('CHANNEL_HANGUP', A), ctx({ [A]: { callId: 'c1', role: 'caller', status: 'queued', endRequestedBy: 'system' } }))).toMatchObject([{ type: 'EndCall', hungUpBy: 'system' }]);
  });

  it('CHANNEL_HANGUP, CHANNEL_HANGUP_COMPLETE and CHANNEL_DESTROY of one leg give one command id (the later ones cover a missed HANGUP)', () => {
    const c = ctx({ [A]: { callId: 'c1', role: 'caller', status: 'connected' } });
    const a = factToCallCommands(fact('CHANNEL_HANGUP', A), c);
    const b = factToCallCommands(fact('CHANNEL_HANGUP_COMPLETE', A, [['variable_billsec', '12']]), c);
    const d = factToCallCommands(fact('CHANNEL_DESTROY', A, [['Hangup-Cause', 'NORMAL_CLEARING']]), c);
    expect(a[0]!.commandId).toBe(b[0]!.commandId);
    expect(d[0]!.commandId).toBe(a[0]!.commandId);
  });

  it('an ended call, or a channel the engine does not know, gives nothing', () => {
    expect(factToCallCommands(fact('CHANNEL_HANGUP', A), ctx({ [A]: { callId: 'c1', role: 'caller', status: 'ended' } }))).toEqual([]);
    expect(factToCallCommands(fact('CHANNEL_HANGUP', A), none)).toEqual([]);
  });
});

describe('factToCallCommands: agent-originated outbound calls', () => {
  it('the customer answering connects the call without an offer; a hangup is the remote party’s', () => {
    const c = (status: 'arrived' | 'connected') => ctx({ [A]: { callId: 'c9', role: 'caller', status, outbound: true } });
    expect(factToCallCommands(fact('CHANNEL_ANSWER', A, [], 'outbound'), c('arrived'))).toMatchObject([{ type: 'ConnectCall', offerId: null }]);
    expect(factToCallCommands(fact('CHANNEL_HANGUP', A, [['Hangup-Cause', 'NO_ANSWER']], 'outbound'), c('arrived'))).toMatchObject([{ type: 'EndCall', hungUpBy: 'remote', cause: 'NO_ANSWER' }]);
    expect(factToCallCommands(fact('CHANNEL_HANGUP', A, [], 'outbound'), c('connected'))).toMatchObject([{ type: 'EndCall', hungUpBy: 'remote' }]);
  });
});

describe('factToCallCommands: hold, IVR, recording', () => {
  it('CHANNEL_HOLD on the agent leg of a connected call → HoldCall, UNHOLD → ResumeCall, each once per event', () => {
    const c = (held: boolean) => ctx({ [B]: { callId: 'c1', role: 'agent', status: 'connected', offerId: 'o1', held } });
    const hold = fact('CHANNEL_HOLD', B, [], 'outbound');
    expect(factToCallCommands(hold, c(false))).toMatchObject([{ type: 'HoldCall' }]);
    expect(factToCallCommands(hold, c(true))).toEqual([]);
    expect(factToCallCommands(fact('CHANNEL_UNHOLD', B, [], 'outbound'), c(true))).toMatchObject([{ type: 'ResumeCall' }]);
    expect(factToCallCommands(hold, c(false))[0]!.commandId).toBe(switchCommandId(CORE, `ev:seq:${hold.sequence}`, 'HoldCall'));
  });

  it('the EXECUTE_COMPLETE of our digit collection → RecordIvrInput (digits, or timeout without any)', () => {
    const c = ctx({ [A]: { callId: 'c1', role: 'caller', status: 'in_ivr', ivr: { nodeId: 'menu', collectUuid: 'e1' } } });
    const done = (digits?: string) => fact('CHANNEL_EXECUTE_COMPLETE', A, [
      ['Application', 'play_and_get_digits'], ['Application-Data', '1 1 3 5000 # a.wav b.wav ledgerline_digits \\d 5000'], ['Application-UUID', 'e1'],
      ...(digits ? [['variable_ledgerline_digits', digits] as [string, string]] : []),
    ]);
    expect(factToCallCommands(done('2'), c)).toMatchObject([{ type: 'RecordIvrInput', nodeId: 'menu', input: { kind: 'dtmf', digits: '2' } }]);
    expect(factToCallCommands(done(), c)).toMatchObject([{ type: 'RecordIvrInput', input: { kind: 'timeout' } }]);
  });

  it('RECORD_START of the path the engine asked for → StartRecording; RECORD_STOP → StopRecording', () => {
    const rec = (active: boolean) => ctx({ [A]: { callId: 'c1', role: 'caller', status: 'connected', recording: { recordingId: 'r1', path: '/rec/c1.wav', active } } });
    expect(factToCallCommands(fact('RECORD_START', A, [['Record-File-Path', '/rec/c1.wav']]), rec(false))).toMatchObject([{ type: 'StartRecording', recordingId: 'r1' }]);
    expect(factToCallCommands(fact('RECORD_START', A, [['Record-File-Path', '/other.wav']]), rec(false))).toEqual([]);
    expect(factToCallCommands(fact('RECORD_STOP', A, [['Record-File-Path', '/rec/c1.wav']]), rec(true))).toMatchObject([{ type: 'StopRecording' }]);
  });
});

describe('factToCallCommands properties', () => {
  it('is deterministic, and every command validates against the call schemas (factToCallCommands parses them)', () => {
    const names = ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_PARK', 'CHANNEL_PROGRESS', 'CHANNEL_BRIDGE', 'CHANNEL_HOLD', 'CHANNEL_UNHOLD', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE', 'DTMF', 'RECORD_START', 'CHANNEL_EXECUTE_COMPLETE'];
    const statuses = ['arrived', 'in_ivr', 'queued', 'offered', 'ringing', 'agent_answered', 'connected', 'ended'] as const;
    fc.assert(fc.property(
      fc.constantFrom(...names), fc.constantFrom(A, B), fc.constantFrom(...statuses), fc.constantFrom('caller', 'agent', undefined), fc.boolean(), fc.string({ maxLength: 200 }),
      (name, uuid, status, role, held, callerName) => {
        const f = fact(name, uuid, [['Bridge-A-Unique-ID', A], ['Bridge-B-Unique-ID', B], ['Caller-Caller-ID-Name', callerName]]);
        const c = ctx(role ? { [A]: { callId: 'c1', role: 'caller', status, held }, [B]: { callId: 'c1', role, status, held, offerId: 'o1' } } : {});
        expect(factToCallCommands(f, c)).toEqual(factToCallCommands(f, c));
      },
    ));
  });
});
