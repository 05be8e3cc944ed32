import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { parseScenario } from './load-scenario.ts';

describe('parseScenario', () => {
  it('accepts the example scenario and fills defaults', () => {
    const s = parseScenario(readFileSync(new URL('./example-scenario.json', import.meta.url), 'utf8'));
    expect(s.callers.tiers).toHaveLength(2);
    expect(s.context).toBe('public');
  });
  it('names the offending fields', () => {
    let err: unknown;
    try {
      parseScenario('{"arrivals":{"ratePerSecond":"fast"}}');
    } catch (e) {
      err = e;
    }
    expect(isLedgerlineError(err, 'VALIDATION_FAILED')).toBe(true);
    expect((err as Error).message).toContain('arrivals.ratePerSecond');
    expect(() => parseScenario('not json')).toThrow(/not JSON/);
  });
});
