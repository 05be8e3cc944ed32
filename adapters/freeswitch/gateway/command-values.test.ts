import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { channelUuid, displayName, mediaPath, playbackPath, setvarValue, variableList, variableValue } from './command-values.ts';
import { dialString } from './call-control.ts';

const rejects = (fn: () => unknown): boolean => {
  try {
    fn();
    return false;
  } catch (e) {
    return isLedgerlineError(e, 'ESL_INVALID_ARGUMENT');
  }
};

describe('command values', () => {
  it('rejects anything but a canonical uuid where a channel uuid goes', () => {
    expect(channelUuid('2f1c0f7e-0000-4000-8000-000000000001')).toBe('2f1c0f7e-0000-4000-8000-000000000001');
    for (const bad of ['', 'x', '2f1c0f7e-0000-4000-8000-000000000001 all', '2f1c0f7e-0000-4000-8000-000000000001\nexit', '../../etc']) expect(rejects(() => channelUuid(bad))).toBe(true);
  });

  it('variable values: quoted when they hold a comma or space, rejected when they could break out of {…} or expand ${…}', () => {
    expect(variableValue('abc')).toBe('abc');
    expect(variableValue('a b,c')).toBe("'a b,c'");
    for (const bad of ["x'y", 'a}b', 'a]b', 'a|b', '${system rm}', 'a\nb', 'a\rb', 'a<b>', 'a\\b']) expect(rejects(() => variableValue(bad))).toBe(true);
    expect(rejects(() => setvarValue('v\napi hupall'))).toBe(true);
  });

  it('display names are cleaned, never rejected', () => {
    expect(displayName("O'Brien, Pat")).toBe('O Brien Pat');
    expect(displayName('${api hupall}')).toBe('api hupall');
    expect(displayName('\n\n')).toBe('Unknown');
  });

  it('media paths allow files and stream urls, not spaces or expansion', () => {
    expect(mediaPath('/sounds/en/ivr-welcome.wav')).toBe('/sounds/en/ivr-welcome.wav');
    expect(mediaPath('local_stream://moh')).toBe('local_stream://moh');
    expect(mediaPath('tone_stream://%(250,0,440)')).toBe('tone_stream://%(250,0,440)');
    for (const bad of ['a b.wav', '${x}.wav', "a'.wav", 'a\n.wav']) expect(rejects(() => mediaPath(bad))).toBe(true);
  });

  it('playback takes a media path, or spoken text after say: with spaces and punctuation but nothing that breaks out', () => {
    const offer = 'say:Press 1 to be called back, keeping your place in the queue.';
    expect(playbackPath(offer)).toBe(offer);
    expect(playbackPath('local_stream://moh')).toBe('local_stream://moh');
    for (const bad of ['say:', 'say:a\nb', 'say:${api hupall}', "say:it's", 'say:a {x}', 'say:a|b', 'a b.wav']) expect(rejects(() => playbackPath(bad))).toBe(true);
  });

  it('dial strings from typed endpoints only', () => {
    expect(dialString({ kind: 'user', user: '1001' })).toBe('user/1001');
    expect(dialString({ kind: 'gateway', gateway: 'carrier1', number: '+15550100' })).toBe('sofia/gateway/carrier1/+15550100');
    expect(rejects(() => dialString({ kind: 'user', user: '1001 &bridge(user/1002)' }))).toBe(true);
  });

  it('property: any string either is rejected or yields a variable list with no line break and balanced braces', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (name, value) => {
      let out: string;
      try {
        out = variableList([[name, value]]);
      } catch (e) {
        expect(isLedgerlineError(e, 'ESL_INVALID_ARGUMENT')).toBe(true);
        return;
      }
      expect(out).not.toMatch(/[\r\n]/);
      expect(out.match(/[{}]/g)).toEqual(['{', '}']);
      expect(out.startsWith('{') && out.endsWith('}')).toBe(true);
      expect(out).not.toContain('${');
    }));
  });

  it('property: a display name never contains a character that is unsafe in a command', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      expect(displayName(s)).not.toMatch(/[\r\n\0'"{}[\]<>^`|\\$,]/);
    }));
  });
});
