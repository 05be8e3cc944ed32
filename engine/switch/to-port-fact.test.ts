import { describe, expect, it } from 'vitest';
import type { SwitchFact as AdapterFact } from '../../adapters/freeswitch/translator/switch-facts.ts';
import { factIdOf, toPortFact } from './to-port-fact.ts';

type Ledgerline = { callId?: string; offerId?: string; role?: 'agent' | 'caller' };
const channel = (uuid: string, ledgerline: Ledgerline = {}) => ({
  uuid, direction: 'outbound' as const, channelName: undefined, callerIdNumber: undefined, callerIdName: undefined, destinationNumber: undefined,
  answerState: undefined, otherLegUuid: undefined, ledgerline: { callId: undefined, offerId: undefined, role: undefined, partyId: undefined, ...ledgerline },
});
const origin = (seq: number, core = 'core-1') => ({ switchId: 'fs1:8021', coreUuid: core, eventName: 'X', sequence: seq, timestampMicros: 1_700_000_000_000_000, at: 1_700_000_000_000, eventKey: `seq:${seq}` });
const none = { playbackIdOf: () => undefined, collectIdOf: () => undefined };

describe('toPortFact', () => {
  it('an answered agent leg keeps our variables, the switch and the event’s time', () => {
    const f: AdapterFact = { ...origin(7), kind: 'channel_answered', channel: channel('leg-1', { callId: 'call-1', offerId: 'offer-1', role: 'agent' }) };
    expect(toPortFact(f, none)).toEqual({ kind: 'leg_answered', switchId: 'fs1:8021', factId: 'core-1/seq:7', at: 1_700_000_000_000, legUuid: 'leg-1', callId: 'call-1', offerId: 'offer-1', role: 'agent', direction: 'outbound' });
  });

  it('a new inbound leg carries the dialled number and the caller id, so it can become a call', () => {
    const ch = { ...channel('leg-9'), direction: 'inbound' as const, destinationNumber: '5000', callerIdNumber: '+15551230000', callerIdName: 'Ada' };
    expect(toPortFact({ ...origin(8), kind: 'channel_answered', channel: ch }, none)).toMatchObject({ kind: 'leg_answered', direction: 'inbound', did: '5000', callerNumber: '+15551230000', callerName: 'Ada' });
    expect(toPortFact({ ...origin(9), kind: 'channel_hangup_complete', cause: 'NORMAL_CLEARING', billsec: 1, durationSec: 1, channel: ch }, none)).not.toHaveProperty('did');
  });

  it('the same ESL event twice is the same fact; another switch process with the same sequence is not', () => {
    const f: AdapterFact = { ...origin(7), kind: 'channel_hangup_complete', cause: 'USER_BUSY', billsec: 0, durationSec: 0, channel: channel('leg-1') };
    expect(toPortFact(f, none)).toEqual(toPortFact({ ...f }, none));
    expect(factIdOf({ ...f, ...origin(7, 'core-2') })).not.toBe(factIdOf(f));
  });

  it('maps hangup complete (not CHANNEL_HANGUP) to leg_hangup, bridges by their A leg, dtmf', () => {
    const ch = channel('a');
    expect(toPortFact({ ...origin(1), kind: 'channel_hangup', cause: 'X', channel: ch }, none)).toBeUndefined();
    expect(toPortFact({ ...origin(2), kind: 'channel_hangup_complete', cause: 'NO_ANSWER', billsec: 0, durationSec: 1, channel: ch }, none)).toMatchObject({ kind: 'leg_hangup', cause: 'NO_ANSWER' });
    expect(toPortFact({ ...origin(3), kind: 'channel_bridged', aLegUuid: 'a', bLegUuid: 'b', channel: ch }, none)).toMatchObject({ kind: 'legs_bridged', legUuid: 'a', otherLegUuid: 'b' });
    expect(toPortFact({ ...origin(4), kind: 'channel_unbridged', aLegUuid: 'a', bLegUuid: undefined, channel: ch }, none)).toEqual(expect.not.objectContaining({ otherLegUuid: expect.anything() }));
    expect(toPortFact({ ...origin(5), kind: 'dtmf', digit: '5', durationSamples: 2000, source: 'RTP', channel: ch }, none)).toMatchObject({ kind: 'dtmf', digit: '5' });
    expect(toPortFact({ ...origin(6), kind: 'channel_parked', channel: ch }, none)).toBeUndefined();
  });

  it('app completions become playback_done / digits_collected only for the ids the port handed out', () => {
    const media = { playbackIdOf: (u: string) => (u === 'ev-p' ? 'pb-1' : undefined), collectIdOf: (u: string) => (u === 'ev-c' ? 'col-1' : undefined) };
    const done = (application: string, applicationUuid: string, digits?: string): AdapterFact => ({
      ...origin(9), kind: 'execute_complete', application, applicationData: undefined, applicationUuid, response: undefined, digits, channel: channel('a'),
    });
    expect(toPortFact(done('playback', 'ev-p'), media)).toMatchObject({ kind: 'playback_done', playbackId: 'pb-1' });
    expect(toPortFact(done('playback', 'other'), media)).toBeUndefined();
    expect(toPortFact(done('play_and_get_digits', 'ev-c', '1234'), media)).toMatchObject({ kind: 'digits_collected', collectId: 'col-1', digits: '1234' });
    expect(toPortFact(done('play_and_get_digits', 'ev-c'), media)).toMatchObject({ kind: 'digits_collected', digits: null });
  });
});
