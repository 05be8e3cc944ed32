import { describe, expect, it } from 'vitest';
import { upcast } from '../events/event-definition.ts';
import { parseStoredEvent } from '../events/registry.ts';
import { CallArrived, callEvents } from './call-events.ts';

// A CallArrived stored by version 1, which named the numbers `ani` and `dnis` and had no caller name.
const v1 = { callId: 'c-7', at: 1_700_000_000_000, ani: '+32475000001', dnis: '+3225550100', switchId: 'fs-1', channelUuid: 'u-1' };

describe('CallArrived versions', () => {
  it('is at version 2', () => {
    expect(CallArrived.version).toBe(2);
  });
  it('upcasts v1 (ani/dnis) to v2 (callerNumber/did, callerName null)', () => {
    expect(upcast(CallArrived, 1, v1)).toEqual({
      callId: 'c-7',
      at: 1_700_000_000_000,
      callerNumber: '+32475000001',
      did: '+3225550100',
      callerName: null,
      switchId: 'fs-1',
      channelUuid: 'u-1',
    });
  });
  it('keeps a caller name a v1 writer already added, and the registry reads v1 through the upcaster', () => {
    const e = parseStoredEvent('CallArrived', 1, { ...v1, callerName: 'Ada' });
    expect(e).toMatchObject({ type: 'CallArrived', data: { callerNumber: '+32475000001', did: '+3225550100', callerName: 'Ada' } });
  });
  it('does not run the upcaster on data already at v2', () => {
    const v2 = { callId: 'c', at: 1, did: '1', callerNumber: '2', callerName: null, switchId: 's', channelUuid: 'u' };
    expect(upcast(CallArrived, 2, v2)).toEqual(v2);
    expect(() => upcast(CallArrived, 2, v1)).toThrow();
  });
});

describe('call event definitions', () => {
  it('all live in the call category, name the call and carry the time', () => {
    for (const d of callEvents) {
      expect(d.category).toBe('call');
      const shape = (d.schema as unknown as { shape: Record<string, unknown> }).shape;
      expect(Object.keys(shape), d.type).toEqual(expect.arrayContaining(['callId', 'at']));
    }
  });
});
