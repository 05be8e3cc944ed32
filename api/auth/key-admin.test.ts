import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { parseKeysArgs } from './key-admin.ts';

describe('parseKeysArgs', () => {
  it('parses create, list and revoke', () => {
    expect(parseKeysArgs(['create', '--role', 'agent', '--tenant', 'acme', '--agent', 'a1', '--name', 'Ann'])).toEqual({ kind: 'create', role: 'agent', tenant: 'acme', agentId: 'a1', name: 'Ann' });
    expect(parseKeysArgs(['create', '--tenant', 'acme', '--role', 'admin'])).toEqual({ kind: 'create', role: 'admin', tenant: 'acme', agentId: null, name: '' });
    expect(parseKeysArgs(['list'])).toEqual({ kind: 'list', tenant: null });
    expect(parseKeysArgs(['list', '--tenant', 'acme'])).toEqual({ kind: 'list', tenant: 'acme' });
    expect(parseKeysArgs(['revoke', 'ab'.repeat(10)])).toEqual({ kind: 'revoke', keyId: 'ab'.repeat(10) });
  });

  it('refuses anything else with the usage', () => {
    for (const args of [
      [],
      ['rotate'],
      ['create', '--role', 'root', '--tenant', 'acme'],
      ['create', '--role', 'admin'],
      ['create', '--role', 'admin', '--tenant', 'Acme.Corp'],
      ['create', '--role', 'agent', '--tenant', 'acme'],
      ['create', '--role', 'admin', '--tenant', 'acme', '--agent', 'a1'],
      ['create', '--role', 'admin', '--tenant', 'acme', '--colour', 'red'],
      ['create', '--role', 'admin', '--tenant'],
      ['create', '--role', 'admin', '--role', 'agent', '--tenant', 'acme'],
      ['list', 'extra'],
      ['revoke'],
      ['revoke', 'xyz'],
    ]) {
      let error: unknown;
      try {
        parseKeysArgs(args);
      } catch (e) {
        error = e;
      }
      expect(isLedgerlineError(error, 'VALIDATION_FAILED'), args.join(' ')).toBe(true);
      expect((error as Error).message).toContain('Usage:');
    }
  });
});
