import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives the embedded defaults on an empty environment', () => {
    const c = loadConfig({});
    expect(c.EVENT_STORE_URL).toBe('pglite:.data/eventstore');
    expect(c.HTTP_PORT).toBe(7480);
    expect(c.ESL_PASSWORD).toBe('ClueCon');
  });

  it('reads and coerces values', () => {
    const c = loadConfig({ HTTP_PORT: '9000', EVENT_STORE_URL: 'postgres://u:p@h/db', ESL_HOSTS: 'fs1:8021,10.0.0.2:8022' });
    expect(c.HTTP_PORT).toBe(9000);
    expect(c.ESL_HOSTS).toBe('fs1:8021,10.0.0.2:8022');
  });

  it.each([
    ['HTTP_PORT', 'eighty', 'HTTP_PORT'],
    ['HTTP_PORT', '70000', 'HTTP_PORT'],
    ['EVENT_STORE_URL', 'mysql://x', 'EVENT_STORE_URL'],
    ['ESL_HOSTS', 'fs1', 'ESL_HOSTS'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL'],
  ])('rejects %s=%s with CONFIG_INVALID naming the variable', (key, value, named) => {
    try {
      loadConfig({ [key]: value });
      expect.unreachable();
    } catch (e) {
      expect(isLedgerlineError(e, 'CONFIG_INVALID')).toBe(true);
      expect((e as Error).message).toContain(named);
    }
  });

  it('ignores unrelated variables and empty strings', () => {
    expect(loadConfig({ PATH: '/bin', HTTP_PORT: '' }).HTTP_PORT).toBe(7480);
  });
});
