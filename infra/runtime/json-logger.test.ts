import { describe, expect, it } from 'vitest';
import { jsonLogger } from './json-logger.ts';

describe('jsonLogger', () => {
  it('writes one JSON line per entry at or above its level, errors reduced to message and code', () => {
    const lines: string[] = [];
    const log = jsonLogger('info', 'engine', (l) => lines.push(l));
    log.debug({ a: 1 }, 'hidden');
    log.warn({ err: Object.assign(new Error('boom'), { code: 'ESL_TIMEOUT' }), n: 2n }, 'shown');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, name: 'engine', msg: 'shown', err: { message: 'boom', code: 'ESL_TIMEOUT' }, n: '2' });
  });
});
