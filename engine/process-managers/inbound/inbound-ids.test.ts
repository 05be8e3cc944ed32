import { describe, expect, it } from 'vitest';
import { callOfMediaId, mediaIdFor, turnOfMediaId } from './inbound-ids.ts';

describe('inbound media ids', () => {
  it('carry the scoped call id and the turn back from a fact', () => {
    for (const callId of ['c1', 'acme.c1', 'acme.0f4e-uuid']) {
      const id = mediaIdFor(callId, 7, 'collect', 2);
      expect({ call: callOfMediaId(id), turn: turnOfMediaId(id) }).toEqual({ call: callId, turn: 7 });
    }
  });

  it('are not read out of ids that are not ours', () => {
    expect(callOfMediaId('some-playback')).toBeUndefined();
    expect(callOfMediaId('|t1|play|0')).toBeUndefined();
  });
});
