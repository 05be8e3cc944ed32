import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { parseSimFlags } from './sim-flags.ts';

describe('parseSimFlags', () => {
  it('defaults to FreeSWITCH port 8021 and password ClueCon', () => {
    const f = parseSimFlags([]);
    expect([f.port, f.password, f.host, f.speed]).toEqual([8021, 'ClueCon', '127.0.0.1', 1]);
  });
  it('parses endpoint lists and numbers', () => {
    const f = parseSimFlags(['--port', '0', '--password', 'x', '--busy', '1001, 1002', '--rate', '2.5', '--speed', '10']);
    expect([f.port, f.password, f.busy, f.rate, f.speed]).toEqual([0, 'x', ['1001', '1002'], 2.5, 10]);
    expect(parseSimFlags(['--split-frames', '7', '--reorder', '0.1'])).toMatchObject({ 'split-frames': 7, reorder: 0.1, 'reorder-delay-ms': 50 });
    expect(parseSimFlags(['--reorder', '0.1', '--reorder-delay-ms', '5'])).toMatchObject({ 'reorder-delay-ms': 5 });
  });
  it('rejects unknown flags and bad values with VALIDATION_FAILED', () => {
    for (const bad of [['--nope'], ['--port', 'abc'], ['--speed', '0']]) {
      let err: unknown;
      try {
        parseSimFlags(bad);
      } catch (e) {
        err = e;
      }
      expect(isLedgerlineError(err, 'VALIDATION_FAILED')).toBe(true);
    }
  });
});
