// Incremental reader of client commands, after mod_event_socket's read_packet: LF-counted, CR ignored, leading blank
// lines skipped, `Name: value` headers, and an exact-length body when a content-length header is present.

/** One command as the server sees it. */
export interface ClientCommand {
  /** The first line, e.g. `api status`. */
  readonly line: string;
  /** Headers in order; names as sent. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: string;
}

/** Case-insensitive header lookup. */
export function commandHeader(cmd: ClientCommand, name: string): string | undefined {
  const lower = name.toLowerCase();
  return cmd.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** FreeSWITCH ≥ 1.10.12 drops connections whose command body is larger than this. */
export const MAX_COMMAND_BODY = 16 * 1024 * 1024;

export class CommandTooLargeError extends Error {}

/** Feeds raw bytes, returns complete commands; keeps partial input for the next chunk. */
export class CommandReader {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: { line: string; headers: Array<[string, string]>; bodyLength: number } | undefined;

  push(chunk: Buffer): ClientCommand[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: ClientCommand[] = [];
    for (;;) {
      if (this.pending) {
        if (this.buffer.length < this.pending.bodyLength) break;
        const body = this.buffer.subarray(0, this.pending.bodyLength).toString('utf8');
        this.buffer = this.buffer.subarray(this.pending.bodyLength);
        out.push({ line: this.pending.line, headers: this.pending.headers, body });
        this.pending = undefined;
        continue;
      }
      const cmd = this.readHead();
      if (!cmd) break;
      const lengthHeader = cmd.headers.find(([n]) => n.toLowerCase() === 'content-length');
      const length = lengthHeader ? parseInt(lengthHeader[1], 10) : 0;
      if (length > MAX_COMMAND_BODY) throw new CommandTooLargeError(`command body of ${length} bytes`);
      if (length > 0) this.pending = { ...cmd, bodyLength: length };
      else out.push(cmd);
    }
    return out;
  }

  private readHead(): { line: string; headers: Array<[string, string]> } | undefined {
    // Skip leading blank lines (LF or CRLF), as read_packet does before the first real byte.
    let start = 0;
    while (start < this.buffer.length && (this.buffer[start] === 0x0a || this.buffer[start] === 0x0d)) start++;
    let lineStart = start;
    const lines: string[] = [];
    for (let i = start; i < this.buffer.length; i++) {
      if (this.buffer[i] !== 0x0a) continue;
      const line = this.buffer.subarray(lineStart, i).toString('utf8').replace(/\r/g, '');
      lineStart = i + 1;
      if (line === '') {
        this.buffer = this.buffer.subarray(lineStart);
        const [first = '', ...rest] = lines;
        const headers = rest.map((l): [string, string] => {
          const colon = l.indexOf(':');
          return colon < 0 ? [l, ''] : [l.slice(0, colon), l.slice(colon + 1).replace(/^ +/, '')];
        });
        return { line: first, headers };
      }
      lines.push(line);
    }
    if (start > 0) this.buffer = this.buffer.subarray(start);
    return undefined;
  }
}
