import { describe, expect, it } from 'vitest';
import { headerOf } from '../events/fs-event.ts';
import { createTestSwitch } from '../testing/test-switch.ts';
import { executeApi } from './api-commands.ts';

const A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const NONE = '00000000-0000-4000-8000-000000000000';

describe('API commands', () => {
  it('uuid_setvar / uuid_getvar / uuid_setvar_multi / uuid_exists', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    expect(await t.api('uuid_setvar', `${A} queue_name sales east`)).toBe('+OK\n');
    expect(await t.api('uuid_getvar', `${A} queue_name`)).toBe('sales east');
    expect(await t.api('uuid_setvar', `${A} queue_name`)).toBe('+OK\n');
    expect(await t.api('uuid_getvar', `${A} queue_name`)).toBe('_undef_');
    expect(await t.api('uuid_setvar_multi', `${A} a=1;b=2`)).toBe('+OK\n');
    expect(await t.api('uuid_getvar', `${A} b`)).toBe('2');
    expect(await t.api('uuid_setvar', A)).toBe('-ERR No variable specified\n');
    expect(await t.api('uuid_setvar', `${NONE} a 1`)).toBe('-ERR No such channel!\n');
    expect(await t.api('uuid_getvar', `${NONE} a`)).toBe('-ERR No such channel!\n');
    expect(await t.api('uuid_exists', A)).toBe('true');
    expect(await t.api('uuid_exists', NONE)).toBe('false');
  });

  it('uuid_kill with a cause, uuid_answer, uuid_park, uuid_break and their errors', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A, apps: [{ app: 'park' }] });
    expect(await t.api('uuid_answer', A)).toBe('+OK\n');
    expect(t.trace(A, { states: false }).slice(-1)).toEqual(['ANSWER']);
    expect(await t.api('uuid_answer', NONE)).toBe('-ERROR\n');
    expect(await t.api('uuid_park', NONE)).toBe('-ERR No such channel!\n');
    expect(await t.api('uuid_break', NONE)).toBe('-ERR No such channel!\n');
    expect(await t.api('uuid_kill', `${A} USER_BUSY`)).toBe('+OK\n');
    expect(headerOf(t.events.find((e) => e.name === 'CHANNEL_HANGUP')!, 'Hangup-Cause')).toBe('USER_BUSY');
    expect(await t.api('uuid_kill', A)).toBe('-ERR No such channel!\n');
    expect(await t.api('uuid_kill', '')).toBe('-USAGE: <uuid> [cause]\n');
  });

  it('uuid_park on a bridged leg parks it (CS_PARK) and the partner reacts', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    const r = t.api('originate', 'user/1001 &park()');
    await t.clock.advance(2500);
    const b = (await r).slice(4).trim();
    await t.api('uuid_setvar', `${b} park_after_bridge true`);
    await t.api('uuid_bridge', `${A} ${b}`);
    expect(await t.api('uuid_park', A)).toBe('+OK\n');
    expect(t.trace(A).slice(-3)).toEqual(['UNBRIDGE', 'STATE(CS_PARK)', 'PARK']);
    expect(t.trace(b).slice(-2)).toEqual(['STATE(CS_PARK)', 'PARK']);
  });

  it('show channels as json lists live channels; empty gives row_count 0', async () => {
    const t = createTestSwitch();
    expect(await t.api('show', 'channels as json')).toBe('{"row_count":0}');
    t.sw.inboundCall({ uuid: A, callerIdNumber: '+15551230000' });
    const json = JSON.parse(await t.api('show', 'channels as json')) as { row_count: number; rows: Array<Record<string, string>> };
    expect(json.row_count).toBe(1);
    expect(json.rows[0]).toMatchObject({ uuid: A, direction: 'inbound', state: 'CS_EXECUTE', cid_num: '+15551230000', callstate: 'ACTIVE', application: 'park' });
    const plain = await t.api('show', 'channels');
    expect(plain.startsWith('uuid,direction,created,created_epoch,name,state,')).toBe(true);
    expect(plain.endsWith('\n\n1 total.\n')).toBe(true);
    const calls = JSON.parse(await t.api('show', 'calls as json')) as { row_count: number };
    expect(calls.row_count).toBe(1);
  });

  it('status counts sessions; hupall hangs everything up; unknown commands are reported', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({});
    t.sw.inboundCall({});
    expect(await t.api('status')).toContain('\n2 session(s) since startup\n2 session(s) - peak 2, last 5min 2 \n');
    expect(await t.api('hupall', 'NORMAL_CLEARING')).toBe('+OK hangup all channels with cause NORMAL_CLEARING\n');
    expect(t.sw.channels.size).toBe(0);
    expect(await t.api('nope')).toBe('-ERR nope Command not found!\n');
  });

  it('uuid_dump serializes the channel as a CHANNEL_DATA event; uuid_send_dtmf acknowledges', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    const dump = await t.api('uuid_dump', A);
    expect(dump.startsWith('Event-Name: CHANNEL_DATA\n')).toBe(true);
    expect(dump).toContain(`\nUnique-ID: ${A}\n`);
    expect(dump).toContain('\nvariable_direction: inbound\n');
    expect(await t.api('uuid_send_dtmf', `${A} 123`)).toBe(`+OK ${A} sent DTMF 123.\n`);
  });

  it('sequential ring groups try the next group after a failure', async () => {
    const t = createTestSwitch({ endpoints: { '1020': { kind: 'busy' } } });
    const r = t.api('originate', 'user/1020|user/1021 &park()');
    await t.clock.advance(3000);
    const body = await r;
    expect(body).toMatch(/^\+OK /);
    const winner = body.slice(4).trim();
    expect(headerOf(t.events.find((e) => e.name === 'CHANNEL_CREATE' && headerOf(e, 'Unique-ID') === winner)!, 'variable_dialed_user')).toBe('1021');
  });
});

describe('busyWhenInUse (test aid)', () => {
  it('makes a second originate to a user with a live leg fail USER_BUSY; off by default', async () => {
    const t = createTestSwitch();
    const first = t.api('originate', 'user/1030 &park()');
    await t.clock.advance(2500);
    expect(await first).toMatch(/^\+OK /);
    const again = t.api('originate', 'user/1030 &park()');
    await t.clock.advance(2500);
    expect(await again).toMatch(/^\+OK /);
    t.sw.busyWhenInUse = true;
    const third = t.api('originate', 'user/1030 &park()');
    await t.clock.advance(2500);
    expect(await third).toBe('-ERR USER_BUSY\n');
  });

});

describe('show channels and global_getvar (as FreeSWITCH answers them)', () => {
  it('show channels lists a channel until CHANNEL_DESTROY; while it hangs up the row keeps its pre-hangup states', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    const seenAt: Record<string, string> = {};
    t.sw.subscribe((e) => {
      if (headerOf(e, 'Unique-ID') !== A) return;
      if (e.name === 'CHANNEL_HANGUP' || e.name === 'CHANNEL_HANGUP_COMPLETE' || (e.name === 'CHANNEL_STATE' && headerOf(e, 'Channel-State') === 'CS_HANGUP')) {
        executeApi(t.sw, 'show', 'channels as json', (body) => {
          const rows = (JSON.parse(body) as { rows?: Array<{ uuid: string; state: string; callstate: string }> }).rows ?? [];
          const row = rows.find((r) => r.uuid === A);
          seenAt[e.name === 'CHANNEL_STATE' ? 'CS_HANGUP' : e.name] = row ? `${row.state}/${row.callstate}` : 'absent';
        });
      }
    });
    t.sw.hangup(t.sw.get(A)!);
    expect(seenAt).toEqual({ CHANNEL_HANGUP: 'CS_EXECUTE/ACTIVE', CS_HANGUP: 'CS_EXECUTE/ACTIVE', CHANNEL_HANGUP_COMPLETE: 'CS_EXECUTE/ACTIVE' });
    expect(await t.api('show', 'channels as json')).toBe('{"row_count":0}');
  });

  it('global_getvar core_uuid answers the Core-UUID the events carry', async () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    const core = headerOf(t.events[0]!, 'Core-UUID');
    expect(await t.api('global_getvar', 'core_uuid')).toBe(core);
    expect(await t.api('global_getvar', '')).toContain(`core_uuid=${core}\n`);
  });
});
