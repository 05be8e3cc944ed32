import { describe, expect, it } from 'vitest';
import { headerOf, type FsEvent } from '../events/fs-event.ts';
import { createTestSwitch } from '../testing/test-switch.ts';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const C = 'cccccccc-0000-4000-8000-000000000003';
const TAIL = ['STATE(CS_HANGUP)', 'CALLSTATE(ACTIVE->HANGUP)', 'STATE(CS_REPORTING)', 'HANGUP_COMPLETE', 'DESTROY'];
const eventOf = (events: FsEvent[], uuid: string, name: string): FsEvent => {
  const e = events.find((x) => x.name === name && headerOf(x, 'Unique-ID') === uuid);
  if (!e) throw new Error(`no ${name} for ${uuid}`);
  return e;
};

describe('inbound call (reference §3.1)', () => {
  it('creates, rings, answers and parks in FreeSWITCH order', () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A, apps: [{ app: 'answer' }, { app: 'park' }] });
    expect(t.trace(A)).toEqual([
      'STATE(CS_INIT)', 'CREATE', 'CALLSTATE(DOWN->RINGING)', 'STATE(CS_ROUTING)', 'STATE(CS_EXECUTE)',
      'EXECUTE(answer)', 'ANSWER', 'CALLSTATE(RINGING->ACTIVE)', 'EXECUTE_COMPLETE(answer)', 'EXECUTE(park)', 'PARK',
    ]);
    const create = eventOf(t.events, A, 'CHANNEL_CREATE');
    expect([headerOf(create, 'Channel-State'), headerOf(create, 'Channel-State-Number'), headerOf(create, 'Channel-Call-State'), headerOf(create, 'Answer-State')]).toEqual(['CS_INIT', '2', 'DOWN', 'ringing']);
    const answer = eventOf(t.events, A, 'CHANNEL_ANSWER');
    expect(headerOf(answer, 'Answer-State')).toBe('answered');
    expect(headerOf(answer, 'Channel-Call-State')).toBe('RINGING');
  });

  it('caller hangs up while parked: HANGUP, UNPARK, EXECUTE_COMPLETE(park), then the tail with billsec and duration', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A, apps: [{ app: 'answer' }, { app: 'park' }] });
    await t.clock.advance(65_500);
    t.sw.hangup(t.sw.get(A)!, 'NORMAL_CLEARING');
    expect(t.trace(A).slice(11)).toEqual(['HANGUP(NORMAL_CLEARING)', 'UNPARK', 'EXECUTE_COMPLETE(park)', ...TAIL]);
    const hangup = eventOf(t.events, A, 'CHANNEL_HANGUP');
    expect(headerOf(hangup, 'Channel-State')).toBe('CS_EXECUTE');
    expect(headerOf(hangup, 'Channel-State-Number')).toBe('10');
    expect(headerOf(hangup, 'Answer-State')).toBe('hangup');
    expect(headerOf(hangup, 'variable_billsec')).toBeUndefined();
    const complete = eventOf(t.events, A, 'CHANNEL_HANGUP_COMPLETE');
    expect(complete.headers.filter(([n]) => n === 'Hangup-Cause')).toHaveLength(2);
    expect(complete.headers[13]).toEqual(['Hangup-Cause', 'NORMAL_CLEARING']);
    expect([headerOf(complete, 'Channel-State'), headerOf(complete, 'Channel-State-Number'), headerOf(complete, 'Channel-Call-State')]).toEqual(['CS_REPORTING', '11', 'HANGUP']);
    expect(headerOf(complete, 'variable_duration')).toBe('65');
    expect(headerOf(complete, 'variable_billsec')).toBe('65');
    expect(headerOf(complete, 'variable_billmsec')).toBe('65500');
    expect(headerOf(complete, 'variable_hangup_cause_q850')).toBe('16');
    const destroy = eventOf(t.events, A, 'CHANNEL_DESTROY');
    expect([headerOf(destroy, 'Channel-State'), headerOf(destroy, 'Channel-State-Number')]).toEqual(['CS_REPORTING', '12']);
    expect(t.sw.get(A)).toBeUndefined();
  });

  it('gives DTMF, CHANNEL_STATE and CHANNEL_CALLSTATE no variables, and CHANNEL_CREATE its variables', () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    t.sw.sendDtmf(A, '5');
    const hasVars = (e: FsEvent): boolean => e.headers.some(([n]) => n.startsWith('variable_'));
    expect(hasVars(eventOf(t.events, A, 'DTMF'))).toBe(false);
    expect(hasVars(eventOf(t.events, A, 'CHANNEL_STATE'))).toBe(false);
    expect(hasVars(eventOf(t.events, A, 'CHANNEL_CALLSTATE'))).toBe(false);
    expect(hasVars(eventOf(t.events, A, 'CHANNEL_CREATE'))).toBe(true);
    expect(eventOf(t.events, A, 'DTMF').headers.slice(-3)).toEqual([['DTMF-Digit', '5'], ['DTMF-Duration', '2000'], ['DTMF-Source', 'RTP']]);
  });

  it('numbers events with a strictly increasing Event-Sequence and µs timestamps on the clock', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    await t.clock.advance(1234.567);
    t.sw.hangup(t.sw.get(A)!);
    const seqs = t.events.map((e) => Number(headerOf(e, 'Event-Sequence')));
    expect(seqs.every((s, i) => i === 0 || s === seqs[i - 1]! + 1)).toBe(true);
    const ts = t.events.map((e) => Number(headerOf(e, 'Event-Date-Timestamp')));
    expect(ts.at(-1)! - ts[0]!).toBe(1_234_567);
  });
});

describe('originate (reference §3.2, §3.3)', () => {
  it('rings the agent, answers after the ring, reports +OK <uuid>, then parks', async () => {
    const t = createTestSwitch();
    const result = t.api('originate', `{origination_uuid=${B},origination_caller_id_number=5551234}user/1001 &park()`);
    await t.clock.advance(2500);
    expect(await result).toBe(`+OK ${B}\n`);
    expect(t.trace(B)).toEqual([
      'OUTGOING', 'STATE(CS_INIT)', 'CREATE', 'ORIGINATE', 'STATE(CS_ROUTING)', 'STATE(CS_CONSUME_MEDIA)',
      'PROGRESS', 'CALLSTATE(DOWN->RINGING)', 'ANSWER', 'CALLSTATE(RINGING->ACTIVE)', 'STATE(CS_EXECUTE)', 'EXECUTE(park)', 'PARK',
    ]);
    const create = eventOf(t.events, B, 'CHANNEL_CREATE');
    expect(headerOf(create, 'Call-Direction')).toBe('outbound');
    expect(headerOf(create, 'Caller-Caller-ID-Number')).toBe('5551234');
    expect(headerOf(create, 'Channel-Name')).toMatch(/^sofia\/internal\/sip:1001@192\.168\.1\.\d+:5060$/);
    expect(headerOf(create, 'variable_origination_uuid')).toBe(B);
    expect(headerOf(create, 'Channel-HIT-Dialplan')).toBe('false');
  });

  it('fails with -ERR NO_ANSWER at originate_timeout, with billsec 0', async () => {
    const t = createTestSwitch({ endpoints: { '1002': { kind: 'no-answer' } } });
    const result = t.api('originate', `{origination_uuid=${B},originate_timeout=20}user/1002 &park()`);
    await t.clock.advance(19_000);
    expect(t.sw.get(B)).toBeDefined();
    await t.clock.advance(2_000);
    expect(await result).toBe('-ERR NO_ANSWER\n');
    expect(t.trace(B, { states: false })).toEqual(['OUTGOING', 'CREATE', 'ORIGINATE', 'PROGRESS', 'HANGUP(NO_ANSWER)', 'HANGUP_COMPLETE', 'DESTROY']);
    const complete = eventOf(t.events, B, 'CHANNEL_HANGUP_COMPLETE');
    expect([headerOf(complete, 'variable_billsec'), headerOf(complete, 'variable_answersec'), headerOf(complete, 'variable_duration')]).toEqual(['0', '0', '20']);
    expect(headerOf(complete, 'variable_hangup_cause_q850')).toBe('19');
  });

  it('maps busy, reject, unregistered and unknown users to their causes', async () => {
    const t = createTestSwitch({ endpoints: { '1003': { kind: 'busy' }, '1004': { kind: 'reject', ringMs: 1000 }, '1005': { kind: 'unregistered' } } });
    const busy = t.api('originate', 'user/1003 &park()');
    const reject = t.api('originate', 'user/1004 &park()');
    const unreg = t.api('originate', 'user/1005 &park()');
    const absent = t.api('originate', 'user/4242 &park()');
    const usage = t.api('originate', 'user/1001');
    await t.clock.advance(5000);
    expect(await busy).toBe('-ERR USER_BUSY\n');
    expect(await reject).toBe('-ERR CALL_REJECTED\n');
    expect(await unreg).toBe('-ERR USER_NOT_REGISTERED\n');
    expect(await absent).toBe('-ERR SUBSCRIBER_ABSENT\n');
    expect(await usage).toMatch(/^-USAGE: <call url> /);
  });

  it('rings a group at once: the first answer wins and the others end with LOSE_RACE', async () => {
    const t = createTestSwitch({ endpoints: { '1010': { kind: 'answer', ringMs: 3000 }, '1011': { kind: 'answer', ringMs: 1000 } } });
    const result = t.api('originate', 'user/1010,user/1011 &park()');
    await t.clock.advance(1500);
    const body = await result;
    expect(body).toMatch(/^\+OK /);
    const winner = body.slice(4).trim();
    expect(headerOf(eventOf(t.events, winner, 'CHANNEL_CREATE'), 'variable_dialed_user')).toBe('1011');
    expect(t.events.some((e) => e.name === 'CHANNEL_HANGUP' && headerOf(e, 'Hangup-Cause') === 'LOSE_RACE')).toBe(true);
  });
});

async function bridgedCall(t: ReturnType<typeof createTestSwitch>): Promise<void> {
  t.sw.inboundCall({ uuid: A });
  const r = t.api('originate', `{origination_uuid=${B}}user/1001 &park()`);
  await t.clock.advance(2500);
  await r;
  expect(await t.api('uuid_bridge', `${A} ${B}`)).toBe(`+OK ${B}\n`);
}

describe('bridge and unbridge (reference §3.2)', () => {
  it('unparks both legs, hibernates/resets them, fires EXECUTE(uuid_bridge) on both and BRIDGE on A only', async () => {
    const t = createTestSwitch();
    await bridgedCall(t);
    expect(t.trace(A).slice(11)).toEqual([
      'UNPARK', 'EXECUTE_COMPLETE(park)', 'STATE(CS_HIBERNATE)', 'STATE(CS_RESET)', 'STATE(CS_SOFT_EXECUTE)', 'EXECUTE(uuid_bridge)', 'BRIDGE',
    ]);
    expect(t.trace(B).slice(13)).toEqual([
      'UNPARK', 'EXECUTE_COMPLETE(park)', 'STATE(CS_HIBERNATE)', 'STATE(CS_RESET)', 'STATE(CS_SOFT_EXECUTE)', 'EXECUTE(uuid_bridge)', 'STATE(CS_EXCHANGE_MEDIA)',
    ]);
    const bridge = eventOf(t.events, A, 'CHANNEL_BRIDGE');
    expect(bridge.headers.slice(13, 15)).toEqual([['Bridge-A-Unique-ID', A], ['Bridge-B-Unique-ID', B]]);
    expect(headerOf(bridge, 'Other-Type')).toBe('originatee');
    expect(headerOf(bridge, 'Other-Leg-Unique-ID')).toBe(B);
    expect(bridge.headers.some(([n]) => n === 'Other-Leg-Profile-Index')).toBe(false);
  });

  it('caller hangs up: A HANGUP, A UNBRIDGE, B HANGUP, then both tails', async () => {
    const t = createTestSwitch();
    await bridgedCall(t);
    const from = t.events.length;
    t.sw.hangup(t.sw.get(A)!);
    const tail = t.events.slice(from).filter((e) => e.name !== 'CHANNEL_STATE' && e.name !== 'CHANNEL_CALLSTATE').map((e) => `${headerOf(e, 'Unique-ID') === A ? 'A' : 'B'}:${e.name}`);
    expect(tail).toEqual(['A:CHANNEL_HANGUP', 'A:CHANNEL_UNBRIDGE', 'B:CHANNEL_HANGUP', 'A:CHANNEL_HANGUP_COMPLETE', 'A:CHANNEL_DESTROY', 'B:CHANNEL_HANGUP_COMPLETE', 'B:CHANNEL_DESTROY']);
  });

  it('agent hangs up first with park_after_bridge on the caller: A UNBRIDGE then A PARK', async () => {
    const t = createTestSwitch();
    await bridgedCall(t);
    expect(await t.api('uuid_setvar', `${A} park_after_bridge true`)).toBe('+OK\n');
    t.sw.hangup(t.sw.get(B)!);
    expect(t.trace(A, { states: false }).slice(-2)).toEqual(['UNBRIDGE', 'PARK']);
    expect(t.sw.get(A)?.parked).toBeDefined();
    expect(await t.api('uuid_getvar', `${A} bridge_hangup_cause`)).toBe('NORMAL_CLEARING');
  });

  it('attended transfer via the primitives: B↔C, then A↔C', async () => {
    const t = createTestSwitch();
    await bridgedCall(t);
    await t.api('uuid_setvar', `${A} park_after_bridge true`);
    const rc = t.api('originate', `{origination_uuid=${C}}user/1002 &park()`);
    await t.clock.advance(2500);
    await rc;
    expect(await t.api('uuid_bridge', `${B} ${C}`)).toBe(`+OK ${C}\n`);
    expect(t.trace(A, { states: false }).slice(-2)).toEqual(['UNBRIDGE', 'PARK']);
    expect(await t.api('uuid_bridge', `${A} ${C}`)).toBe(`+OK ${C}\n`);
    expect(t.sw.get(A)?.peer).toBe(C);
    expect(t.sw.get(B)).toBeUndefined();
  });
});

describe('hold, transfer, DTMF, record, playback', () => {
  it('uuid_hold plays music to the partner and fires HOLD/UNHOLD on the holder', async () => {
    const t = createTestSwitch();
    await bridgedCall(t);
    expect(await t.api('uuid_hold', B)).toBe('+OK Success\n');
    expect(t.trace(B, { states: false }).slice(-1)).toEqual(['HOLD']);
    expect(t.trace(A, { states: false }).slice(-2)).toEqual(['EXECUTE(playback)', 'PLAYBACK_START']);
    await t.clock.advance(10_000);
    expect(await t.api('uuid_hold', `off ${B}`)).toBe('+OK Success\n');
    expect(t.trace(A, { states: false }).slice(-2)).toEqual(['PLAYBACK_STOP(break)', 'EXECUTE_COMPLETE(playback)']);
    expect(t.trace(B, { states: false }).slice(-1)).toEqual(['UNHOLD']);
    expect(headerOf(eventOf(t.events, B, 'CHANNEL_UNHOLD'), 'Caller-Channel-Hold-Accum')).toBe('10000000');
    expect(await t.api('uuid_hold', 'toggle 00000000-0000-4000-8000-000000000000')).toBe('-ERR Operation failed\n');
  });

  it('phone hold changes the call state HELD/UNHELD around CHANNEL_HOLD/UNHOLD', () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    t.sw.phoneHold(A, true);
    t.sw.phoneHold(A, false);
    expect(t.trace(A).slice(-4)).toEqual(['CALLSTATE(ACTIVE->HELD)', 'HOLD', 'CALLSTATE(HELD->UNHELD)', 'UNHOLD']);
  });

  it('uuid_transfer (blind) unbridges, re-routes with a new profile and transfer source, and the agent hangs up', async () => {
    const t = createTestSwitch();
    await bridgedCall(t);
    expect(await t.api('uuid_transfer', `${A} 2000 XML default`)).toBe('+OK\n');
    expect(t.trace(A).slice(-7)).toEqual(['UNBRIDGE', 'STATE(CS_ROUTING)', 'STATE(CS_EXECUTE)', 'EXECUTE(answer)', 'EXECUTE_COMPLETE(answer)', 'EXECUTE(park)', 'PARK']);
    const park = t.events.at(-1)!;
    expect(headerOf(park, 'Caller-Destination-Number')).toBe('2000');
    expect(headerOf(park, 'Caller-Profile-Index')).toBe('2');
    expect(headerOf(park, 'Caller-Transfer-Source')).toMatch(new RegExp(`^\\d+:${A}:bl_xfer:2000/default/XML$`));
    expect(t.sw.get(B)).toBeUndefined();
    expect(await t.api('uuid_transfer', '00000000-0000-4000-8000-000000000000 2000')).toBe('-ERR No such channel!\n');
  });

  it('play_and_get_digits: prompt broken by the first digit, DTMF per digit, digits in the variable on completion', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    t.sw.execute(t.sw.get(A)!, 'play_and_get_digits', '1 4 3 5000 # ivr/ivr-enter_ext.wav ivr/ivr-that_was_an_invalid_entry.wav digits \\d+', 'e0000000-0000-4000-8000-000000000000');
    await t.clock.advance(500);
    t.sw.sendDtmf(A, '1234');
    await t.clock.advance(2000);
    expect(t.trace(A, { states: false }).slice(-8)).toEqual([
      'EXECUTE(play_and_get_digits)', 'PLAYBACK_START', 'DTMF(1)', 'PLAYBACK_STOP(break)', 'DTMF(2)', 'DTMF(3)', 'DTMF(4)', 'EXECUTE_COMPLETE(play_and_get_digits)',
    ]);
    const complete = t.events.at(-1)!;
    expect(headerOf(complete, 'Application-UUID')).toBe('e0000000-0000-4000-8000-000000000000');
    expect(headerOf(complete, 'variable_digits')).toBe('1234');
  });

  it('uuid_record start/stop fires RECORD_START/STOP with the path; unknown channels get FreeSWITCH errors', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    expect(await t.api('uuid_record', `${A} start /tmp/a.wav`)).toBe('+OK Success\n');
    await t.clock.advance(100);
    expect(await t.api('uuid_record', `${A} mask /tmp/a.wav`)).toBe('+OK Success\n');
    expect(await t.api('uuid_record', `${A} stop /tmp/a.wav`)).toBe('+OK Success\n');
    expect(await t.api('uuid_record', `${A} stop /tmp/a.wav`)).toBe('-ERR Cannot stop record session!\n');
    expect(await t.api('uuid_record', `${B} start /tmp/a.wav`)).toBe('-ERR Cannot locate session!\n');
    expect(t.trace(A, { states: false }).slice(-2)).toEqual(['RECORD_START', 'RECORD_STOP']);
    expect(headerOf(t.events.at(-1)!, 'Record-File-Path')).toBe('/tmp/a.wav');
  });

  it('a recording still running at hangup stops after CS_HANGUP', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    await t.api('uuid_record', `${A} start /tmp/b.wav`);
    await t.clock.advance(100);
    t.sw.hangup(t.sw.get(A)!);
    expect(t.trace(A).slice(-9)).toEqual([
      'HANGUP(NORMAL_CLEARING)', 'UNPARK', 'EXECUTE_COMPLETE(park)', 'STATE(CS_HANGUP)', 'RECORD_STOP', 'CALLSTATE(ACTIVE->HANGUP)', 'STATE(CS_REPORTING)', 'HANGUP_COMPLETE', 'DESTROY',
    ]);
  });

  it('uuid_broadcast runs playback on the leg: EXECUTE, PLAYBACK_START, PLAYBACK_STOP(done), EXECUTE_COMPLETE', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    expect(await t.api('uuid_broadcast', `${A} /sounds/hello.wav aleg`)).toBe('+OK Message sent\n');
    await t.clock.advance(3500);
    expect(t.trace(A, { states: false }).slice(-4)).toEqual(['EXECUTE(playback)', 'PLAYBACK_START', 'PLAYBACK_STOP(done)', 'EXECUTE_COMPLETE(playback)']);
    expect(headerOf(t.events.at(-1)!, 'Application-Response')).toBe('FILE PLAYED');
    expect(await t.api('uuid_broadcast', `${B} /x.wav`)).toBe('-ERR invalid uuid\n');
  });
});

describe('conference and eavesdrop', () => {
  it('moves both legs into a conference (3-way) and dials a third party', async () => {
    const t = createTestSwitch();
    await bridgedCall(t);
    expect(await t.api('uuid_transfer', `${A} -both 'conference:3w-1@default' inline`)).toBe('+OK\n');
    const actions = t.events.filter((e) => e.name === 'CUSTOM').map((e) => headerOf(e, 'Action'));
    expect(actions).toEqual(['conference-create', 'add-member', 'add-member']);
    const dial = t.api('conference', '3w-1 dial user/1003');
    await t.clock.advance(2500);
    expect(await dial).toBe('Call Requested: result: [SUCCESS]\n');
    expect((await t.api('conference', '3w-1 list')).trim().split('\n')).toHaveLength(3);
    const first = t.events.find((e) => e.name === 'CUSTOM')!;
    expect(first.headers[13]).toEqual(['Event-Subclass', 'conference::maintenance']);
  });

  it('eavesdrop: supervisor leg executes eavesdrop, the target gets MEDIA_BUG_START/STOP', async () => {
    const t = createTestSwitch();
    await bridgedCall(t);
    const r = t.api('originate', `{origination_uuid=${C},eavesdrop_whisper_aleg=true}user/1050 &eavesdrop(${B})`);
    await t.clock.advance(2500);
    expect(await r).toBe(`+OK ${C}\n`);
    expect(t.trace(C, { states: false }).slice(-1)).toEqual(['EXECUTE(eavesdrop)']);
    expect(t.trace(B, { states: false }).slice(-1)).toEqual(['MEDIA_BUG_START']);
    t.sw.hangup(t.sw.get(C)!);
    expect(t.trace(B, { states: false }).slice(-1)).toEqual(['MEDIA_BUG_STOP']);
    expect(headerOf(eventOf(t.events, C, 'CHANNEL_CREATE'), 'variable_eavesdrop_whisper_aleg')).toBe('true');
  });
});

describe('determinism', () => {
  it('replays the same event stream for the same seed', async () => {
    const run = async (): Promise<string[]> => {
      const t = createTestSwitch({ seed: 'det', endpoints: {} });
      t.sw.inboundCall({});
      const r = t.api('originate', 'user/1001 &park()');
      await t.clock.advance(3000);
      const b = (await r).slice(4).trim();
      const a = [...t.sw.channels.keys()].find((k) => k !== b)!;
      await t.api('uuid_bridge', `${a} ${b}`);
      await t.clock.advance(60_000);
      t.sw.hangup(t.sw.get(a)!);
      return t.events.map((e) => e.headers.map(([n, v]) => `${n}=${v}`).join('|'));
    };
    expect(await run()).toEqual(await run());
  });
});

describe('early media', () => {
  it('ring_ready and pre_answer fire PROGRESS/PROGRESS_MEDIA with their call states, Answer-State early', () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A, apps: [{ app: 'ring_ready' }, { app: 'pre_answer' }, { app: 'answer' }, { app: 'park' }] });
    expect(t.trace(A, { states: false })).toEqual([
      'CREATE', 'EXECUTE(ring_ready)', 'PROGRESS', 'EXECUTE_COMPLETE(ring_ready)', 'EXECUTE(pre_answer)', 'PROGRESS_MEDIA',
      'EXECUTE_COMPLETE(pre_answer)', 'EXECUTE(answer)', 'ANSWER', 'EXECUTE_COMPLETE(answer)', 'EXECUTE(park)', 'PARK',
    ]);
    expect(t.trace(A).filter((l) => l.startsWith('CALLSTATE'))).toEqual(['CALLSTATE(DOWN->RINGING)', 'CALLSTATE(RINGING->EARLY)', 'CALLSTATE(EARLY->ACTIVE)']);
    expect(headerOf(eventOf(t.events, A, 'CHANNEL_EXECUTE_COMPLETE'), 'Answer-State')).toBe('ringing');
    const afterEarly = t.events.filter((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && headerOf(e, 'Application') === 'pre_answer')[0]!;
    expect(headerOf(afterEarly, 'Answer-State')).toBe('early');
  });

  it('the dialplan running out hangs up with NORMAL_CLEARING; an unrouted extension gets NO_ROUTE_DESTINATION', () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A, apps: [{ app: 'answer' }] });
    expect(t.trace(A, { states: false }).slice(-4)).toEqual(['EXECUTE_COMPLETE(answer)', 'HANGUP(NORMAL_CLEARING)', 'HANGUP_COMPLETE', 'DESTROY']);
    t.sw.dialplan = () => undefined;
    t.sw.inboundCall({ uuid: B });
    expect(t.trace(B, { states: false })).toEqual(['CREATE', 'HANGUP(NO_ROUTE_DESTINATION)', 'HANGUP_COMPLETE', 'DESTROY']);
  });
});

describe('bridge app (dialplan-level bridging)', () => {
  it('rings the agent with the caller id, bridges on answer; when the agent hangs up the app completes and the dialplan goes on', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A, callerIdNumber: '+15550123', apps: [{ app: 'answer' }, { app: 'bridge', data: `{origination_uuid=${B}}user/1001` }, { app: 'playback', data: 'goodbye.wav' }] });
    await t.clock.advance(2500);
    expect(t.trace(A, { states: false }).slice(-2)).toEqual(['EXECUTE(bridge)', 'BRIDGE']);
    expect(headerOf(eventOf(t.events, B, 'CHANNEL_CREATE'), 'Caller-Caller-ID-Number')).toBe('+15550123');
    t.sw.hangup(t.sw.get(B)!);
    expect(t.trace(A, { states: false }).slice(-4)).toEqual(['UNBRIDGE', 'EXECUTE_COMPLETE(bridge)', 'EXECUTE(playback)', 'PLAYBACK_START']);
    expect(await t.api('uuid_getvar', `${A} DIALSTATUS`)).toBe('SUCCESS');
  });

  it('a busy agent sets DIALSTATUS BUSY and originate_disposition USER_BUSY, then the dialplan goes on', async () => {
    const t = createTestSwitch({ endpoints: { '1001': { kind: 'busy' } } });
    t.sw.inboundCall({ uuid: A, apps: [{ app: 'answer' }, { app: 'bridge', data: 'user/1001' }, { app: 'park' }] });
    await t.clock.advance(1000);
    expect(t.trace(A, { states: false }).slice(-3)).toEqual(['EXECUTE_COMPLETE(bridge)', 'EXECUTE(park)', 'PARK']);
    expect(await t.api('uuid_getvar', `${A} DIALSTATUS`)).toBe('BUSY');
    expect(await t.api('uuid_getvar', `${A} originate_disposition`)).toBe('USER_BUSY');
  });

  it('the caller hanging up while the agent rings cancels the agent leg (ORIGINATOR_CANCEL)', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A, apps: [{ app: 'answer' }, { app: 'bridge', data: `{origination_uuid=${B}}user/1001` }] });
    await t.clock.advance(500);
    t.sw.hangup(t.sw.get(A)!);
    expect(t.trace(B, { states: false }).slice(-3)).toEqual(['HANGUP(ORIGINATOR_CANCEL)', 'HANGUP_COMPLETE', 'DESTROY']);
    expect(t.trace(A, { states: false })).toContain('EXECUTE_COMPLETE(bridge)');
  });

  it('hangup_after_bridge=true hangs the caller up when the agent leaves', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A, variables: { hangup_after_bridge: 'true' }, apps: [{ app: 'answer' }, { app: 'bridge', data: `{origination_uuid=${B}}user/1001` }, { app: 'park' }] });
    await t.clock.advance(2500);
    t.sw.hangup(t.sw.get(B)!);
    expect(t.sw.get(A)).toBeUndefined();
    expect(t.trace(A, { states: false })).not.toContain('EXECUTE(park)');
  });
});

describe('read app', () => {
  it('collects digits into the variable like a one-try play_and_get_digits', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A, apps: [{ app: 'answer' }, { app: 'read', data: '1 3 ask.wav account 4000 #' }, { app: 'park' }] });
    await t.clock.advance(3500);
    t.sw.sendDtmf(A, '42#');
    await t.clock.advance(1000);
    expect(await t.api('uuid_getvar', `${A} account`)).toBe('42');
    expect(t.trace(A, { states: false }).slice(-2)).toEqual(['EXECUTE(park)', 'PARK']);
  });
});

describe('other-leg profiles', () => {
  it('A’s Other-Leg copy of an originated B has Bridged-Time 0, B’s answer time, and Logical-Direction inbound (as in the dumps)', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A, apps: [{ app: 'answer' }, { app: 'bridge', data: `{origination_uuid=${B}}user/1001` }] });
    await t.clock.advance(2500);
    const bridge = eventOf(t.events, A, 'CHANNEL_BRIDGE');
    expect(headerOf(bridge, 'Other-Leg-Channel-Bridged-Time')).toBe('0');
    expect(headerOf(bridge, 'Other-Leg-Channel-Answered-Time')).toBe(headerOf(eventOf(t.events, B, 'CHANNEL_ANSWER'), 'Caller-Channel-Answered-Time'));
    expect(headerOf(bridge, 'Other-Leg-Direction')).toBe('outbound');
    expect(headerOf(bridge, 'Other-Leg-Logical-Direction')).toBe('inbound');
    expect(headerOf(bridge, 'Caller-Channel-Bridged-Time')).not.toBe('0');
    t.sw.sendDtmf(B, '7');
    const dtmf = eventOf(t.events, B, 'DTMF');
    expect(headerOf(dtmf, 'Other-Type')).toBe('originator');
    expect(headerOf(dtmf, 'Other-Leg-Channel-Created-Time')).toBe('0');
  });
});

describe('verbose_events', () => {
  it('a channel with verbose_events=true carries variables on every event, DTMF included', () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A, variables: { verbose_events: 'true' } });
    t.sw.sendDtmf(A, '3');
    expect(eventOf(t.events, A, 'DTMF').headers.some(([n]) => n === 'variable_verbose_events')).toBe(true);
  });
});
