import { describe, expect, it } from 'vitest';
import { diffChannels, parseShowChannels } from './reconcile.ts';

describe('reconcile', () => {
  it('parses show channels as json, including the empty form {"row_count":0}', () => {
    expect(parseShowChannels('{"row_count":0}')).toEqual([]);
    const rows = parseShowChannels(JSON.stringify({ row_count: 1, rows: [{ uuid: 'u1', direction: 'inbound', cid_num: '+1555', cid_name: '', callstate: 'ACTIVE', created_epoch: '1700000000' }] }));
    expect(rows).toEqual([expect.objectContaining({ uuid: 'u1', direction: 'inbound', callerIdNumber: '+1555', callerIdName: undefined, callState: 'ACTIVE', createdEpoch: 1700000000 })]);
  });

  it('refuses an error body instead of reading it as "no channels" (which would end every call)', () => {
    expect(() => parseShowChannels('-ERR no reply\n')).toThrow();
    expect(() => parseShowChannels('{"rows":[]}')).toThrow();
  });

  it('ended = believed but gone; adopted = live but unknown; confirmed = both', () => {
    const live = ['b', 'c'].map((uuid) => ({ uuid }) as never);
    const d = diffChannels(['a', 'b'], live);
    expect(d.ended).toEqual(['a']);
    expect(d.confirmed).toEqual(['b']);
    expect(d.adopted.map((c) => c.uuid)).toEqual(['c']);
  });
});
