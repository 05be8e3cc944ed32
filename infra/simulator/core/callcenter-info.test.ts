import { describe, expect, it } from 'vitest';
import { headerOf } from '../events/fs-event.ts';
import { createTestSwitch } from '../testing/test-switch.ts';
import { serializePlain } from '../wire/serialize-event.ts';
import { CALLCENTER_ACTIONS, callcenterInfo } from './callcenter-info.ts';

const A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const member = { 'CC-Member-UUID': 'm1', 'CC-Member-Session-UUID': A, 'CC-Member-CID-Name': 'Zoë', 'CC-Member-CID-Number': '+15550100' };
const ccHeaders = (e: { headers: ReadonlyArray<readonly [string, string]> }): string[] => e.headers.filter(([n]) => n.startsWith('CC-')).map(([n]) => n);

describe('callcenter::info (reference §2.4)', () => {
  it('lists every CC-Action of §2.4', () => {
    expect([...CALLCENTER_ACTIONS].sort()).toEqual([
      'agent-add', 'agent-contact-change', 'agent-max-no-answer', 'agent-offering', 'agent-state-change', 'agent-status-change',
      'bridge-agent-end', 'bridge-agent-fail', 'bridge-agent-start', 'member-queue-end', 'member-queue-resume', 'member-queue-start', 'members-count',
    ]);
  });

  it('agent-status-change: no channel data, CC-Action after the first CC header, subclass URL-encoded in plain', () => {
    const t = createTestSwitch();
    const e = callcenterInfo(t.sw, 'agent-status-change', { 'CC-Agent': '1000@default', 'CC-Agent-Status': 'Available' });
    expect(e.name).toBe('CUSTOM');
    expect(ccHeaders(e)).toEqual(['CC-Agent', 'CC-Action', 'CC-Agent-Status']);
    expect(headerOf(e, 'Unique-ID')).toBeUndefined();
    const plain = serializePlain(e);
    expect(plain).toContain('\nEvent-Subclass: callcenter%3A%3Ainfo\n');
    expect(plain).toContain('\nCC-Agent-Status: Available\n');
  });

  it('member-queue-start carries the member channel and its variables before the CC-* headers', () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    const e = callcenterInfo(t.sw, 'member-queue-start', { 'CC-Queue': 'support@default', ...member }, A);
    expect(headerOf(e, 'Unique-ID')).toBe(A);
    const names = e.headers.map(([n]) => n);
    const lastVariable = names.findLastIndex((n) => n.startsWith('variable_'));
    expect(lastVariable).toBeGreaterThan(0);
    expect(names.indexOf('CC-Queue')).toBeGreaterThan(lastVariable);
    expect(ccHeaders(e)).toEqual(['CC-Queue', 'CC-Action', 'CC-Member-UUID', 'CC-Member-Session-UUID', 'CC-Member-CID-Name', 'CC-Member-CID-Number']);
  });

  it('member-queue-end has its abandoned form when CC-Cause is Cancel', () => {
    const t = createTestSwitch();
    t.sw.inboundCall({ uuid: A });
    const e = callcenterInfo(t.sw, 'member-queue-end', { 'CC-Queue': 'q', 'CC-Member-Leaving-Time': '10050', 'CC-Member-Joined-Time': '9000', 'CC-Cause': 'Cancel', 'CC-Cancel-Reason': 'TIMEOUT', ...member }, A);
    expect(ccHeaders(e)).toEqual(['CC-Queue', 'CC-Action', 'CC-Member-Leaving-Time', 'CC-Member-Joined-Time', 'CC-Cause', 'CC-Cancel-Reason', 'CC-Member-UUID', 'CC-Member-Session-UUID', 'CC-Member-CID-Name', 'CC-Member-CID-Number']);
  });

  it('refuses an unknown action, a missing header, and a channel-data action without a live channel', () => {
    const t = createTestSwitch();
    expect(() => callcenterInfo(t.sw, 'agent-dance', {})).toThrow(/unknown/);
    expect(() => callcenterInfo(t.sw, 'members-count', { 'CC-Queue': 'q', 'CC-Count': '1' })).toThrow(/CC-Selection/);
    expect(() => callcenterInfo(t.sw, 'member-queue-start', { 'CC-Queue': 'q', ...member })).toThrow(/member/);
  });
});
