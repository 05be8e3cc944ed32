import { describe, expect, it } from 'vitest';
import { LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { interpretReply } from './replies.ts';

function codeOf(command: string, body: string): { code: string; details: Record<string, unknown> } {
  try {
    interpretReply(command, body);
  } catch (e) {
    if (e instanceof LedgerlineError) return { code: e.code, details: { ...e.details } };
    throw e;
  }
  throw new Error('expected an error');
}

describe('interpretReply: FreeSWITCH reply strings (reference §4)', () => {
  it.each([
    ['originate', '+OK 2f1c0f7e-0000-4000-8000-000000000001\n', '2f1c0f7e-0000-4000-8000-000000000001'],
    ['uuid_bridge', '+OK b\n', 'b'],
    ['uuid_hold', '+OK Success\n', 'Success'],
    ['uuid_broadcast', '+OK Message sent\n', 'Message sent'],
    ['uuid_kill', '+OK\n', ''],
  ])('%s %j is ok', (cmd, body, text) => {
    expect(interpretReply(cmd, body)).toEqual({ ok: true, text });
  });

  it.each([
    ['uuid_kill', '-ERR No such channel!\n', 'ESL_NO_SUCH_CHANNEL'],
    ['uuid_bridge', '-ERR Invalid uuid\n', 'ESL_NO_SUCH_CHANNEL'],
    ['uuid_broadcast', '-ERR invalid uuid\n', 'ESL_NO_SUCH_CHANNEL'],
    ['uuid_record', '-ERR Cannot locate session!\n', 'ESL_NO_SUCH_CHANNEL'],
    ['sendmsg', '-ERR invalid session id [x]', 'ESL_NO_SUCH_CHANNEL'],
    ['uuid_answer', '-ERROR\n', 'ESL_NO_SUCH_CHANNEL'],
    ['uuid_hold', '-ERR Operation failed\n', 'ESL_COMMAND_FAILED'],
    ['uuid_record', '-ERR Cannot record session!\n', 'ESL_COMMAND_FAILED'],
    ['uuid_bridge', '-USAGE: <uuid> <other_uuid>\n', 'ESL_USAGE'],
    ['foo', '-ERR foo Command not found!\n', 'ESL_COMMAND_FAILED'],
    ['uuid_exists', '', 'ESL_COMMAND_FAILED'],
  ])('%s %j → %s', (cmd, body, code) => {
    expect(codeOf(cmd, body).code).toBe(code);
  });

  it('an originate failure carries the hangup cause', () => {
    expect(codeOf('originate', '-ERR USER_BUSY\n')).toMatchObject({ code: 'ESL_ORIGINATE_FAILED', details: { cause: 'USER_BUSY' } });
    expect(codeOf('originate', '-ERR NO_ANSWER\n').details.cause).toBe('NO_ANSWER');
  });
});
