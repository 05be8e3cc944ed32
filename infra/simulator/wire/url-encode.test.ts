import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fsUrlDecode, fsUrlEncode } from './url-encode.ts';

describe('fsUrlEncode', () => {
  it('encodes the reference examples exactly', () => {
    expect(fsUrlEncode('2015-07-07 16:53:14')).toBe('2015-07-07%2016%3A53%3A14');
    expect(fsUrlEncode('sofia/internal/1001@10.0.0.1:5060')).toBe('sofia/internal/1001%4010.0.0.1%3A5060');
    expect(fsUrlEncode('callcenter::info')).toBe('callcenter%3A%3Ainfo');
    expect(fsUrlEncode('Müller')).toBe('M%C3%BCller');
    expect(fsUrlEncode('+OK\n')).toBe('%2BOK%0A');
    expect(fsUrlEncode('100%')).toBe('100%25');
    expect(fsUrlEncode('ARRAY::a|:b')).toBe('ARRAY%3A%3Aa%7C%3Ab');
  });
  it('leaves the safe punctuation alone', () => {
    expect(fsUrlEncode("/,-_.~()'!*$")).toBe("/,-_.~()'!*$");
    expect(fsUrlEncode('*prepaid')).toBe('*prepaid');
  });
  it('does not double-encode an uppercase %XX but does encode a lowercase one', () => {
    expect(fsUrlEncode('a%20b')).toBe('a%20b');
    expect(fsUrlEncode('a%2fb')).toBe('a%252fb');
    expect(fsUrlEncode('%(2000,4000,440,480)')).toBe('%25(2000,4000,440,480)');
  });
  it('takes the no-encoding fast path only when the byte encoder would change nothing', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => fsUrlEncode(s) === fsUrlEncode(Buffer.from(s, 'utf8'))), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('a', '%', 'F', '0', ' ', ':', 'é', '~') }), (s) => fsUrlEncode(s) === fsUrlEncode(Buffer.from(s, 'utf8'))));
  });
  it('round-trips any text without % through decode', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('%')), (s) => fsUrlDecode(fsUrlEncode(s)) === s));
  });
});
