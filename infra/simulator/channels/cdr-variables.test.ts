import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { channelFromDump, readDump } from '../fidelity/dump-rebuild.ts';
import { setCdrVariables } from './cdr-variables.ts';

describe('setCdrVariables', () => {
  it('reproduces the cgrates dump’s durations from its own caller-profile times', () => {
    const dump = readDump(readFileSync(new URL('../fixtures/cgrates-hangup-complete.plain', import.meta.url), 'utf8'), true);
    const expected = new Map(dump.filter(([n]) => n.startsWith('variable_')).map(([n, v]) => [n.slice(9), v]));
    const ch = channelFromDump(dump);
    ch.variables = new Map();
    ch.lastApp = { name: 'sched_hangup', data: '+3120 alloted_timeout' };
    setCdrVariables(ch, ch.profile.times.hungup, 120);
    // progressmsec/progress_mediamsec are 28 in the dump although progress is 0 (an artefact of that build); skip them.
    const checked = ['start_stamp', 'answer_stamp', 'bridge_stamp', 'end_stamp', 'start_epoch', 'start_uepoch', 'answer_epoch', 'answer_uepoch',
      'bridge_epoch', 'bridge_uepoch', 'end_epoch', 'end_uepoch', 'last_app', 'last_arg', 'caller_id', 'duration', 'billsec', 'progresssec', 'answersec',
      'waitsec', 'progress_mediasec', 'flow_billsec', 'mduration', 'billmsec', 'answermsec', 'waitmsec', 'flow_billmsec', 'uduration', 'billusec',
      'progressusec', 'answerusec', 'waitusec', 'progress_mediausec', 'flow_billusec', 'hold_accum_seconds', 'last_hold_epoch', 'progress_epoch'];
    for (const name of checked) expect([name, ch.variables.get(name)]).toEqual([name, expected.get(name)]);
    expect(ch.variables.get('caller_id')).toBe('"1001" <1001>');
  });
});
