import { describe, expect, it } from 'vitest';
import { eavesdropVariables, jobUuidFor } from './call-control.ts';

describe('call-control helpers', () => {
  it('eavesdrop modes: listen is silent, whisper talks to the agent only (mode 2), barge to both (mode 3)', () => {
    expect(eavesdropVariables('listen')).toEqual([['eavesdrop_enable_dtmf', 'false']]);
    expect(eavesdropVariables('whisper')).toContainEqual(['eavesdrop_whisper_bleg', 'true']);
    expect(eavesdropVariables('whisper')).not.toContainEqual(['eavesdrop_whisper_aleg', 'true']);
    expect(eavesdropVariables('barge')).toEqual(expect.arrayContaining([['eavesdrop_whisper_aleg', 'true'], ['eavesdrop_whisper_bleg', 'true']]));
  });

  it('Job-UUIDs: the same command id and step give the same uuid per switch; without a command id they are fresh', () => {
    const a = jobUuidFor('fs1:8021', { commandId: 'cmd-1' }, 'originate');
    expect(jobUuidFor('fs1:8021', { commandId: 'cmd-1' }, 'originate')).toBe(a);
    expect(jobUuidFor('fs2:8021', { commandId: 'cmd-1' }, 'originate')).not.toBe(a);
    expect(jobUuidFor('fs1:8021', { commandId: 'cmd-1' }, 'uuid_bridge')).not.toBe(a);
    expect(jobUuidFor('fs1:8021', undefined, 'originate')).not.toBe(jobUuidFor('fs1:8021', undefined, 'originate'));
  });
});
