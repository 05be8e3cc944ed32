import { describe, expect, it } from 'vitest';
import { CommandReader, commandHeader } from './command-reader.ts';

describe('CommandReader', () => {
  it('reads LF and CRLF commands, skipping leading blank lines', () => {
    const r = new CommandReader();
    expect(r.push(Buffer.from('\n\nauth ClueCon\n\napi status\r\n\r\n'))).toEqual([
      { line: 'auth ClueCon', headers: [] },
      { line: 'api status', headers: [] },
    ]);
  });
  it('assembles a command split into one-byte chunks, with headers and a body', () => {
    const r = new CommandReader();
    const text = 'sendmsg abc\ncall-command: execute\nContent-Length: 5\n\nhello';
    const got = [...text].flatMap((c) => r.push(Buffer.from(c)));
    expect(got).toHaveLength(1);
    expect(got[0]!.line).toBe('sendmsg abc');
    expect(commandHeader(got[0]!, 'CALL-COMMAND')).toBe('execute');
    expect(got[0]!.body).toBe('hello');
  });
  it('strips only the spaces after the first colon', () => {
    const r = new CommandReader();
    const [cmd] = r.push(Buffer.from('bgapi x\nJob-UUID:   a:b\n\n'));
    expect(cmd!.headers).toEqual([['Job-UUID', 'a:b']]);
  });
});
