// A minimal raw ESL client for tests: writes commands, reads frames exactly as they arrive (no decoding), so tests
// can assert on bytes. Not a production client (the adapter uses modesl).
import { connect, type Socket } from 'node:net';

/** One frame as received: outer headers (in order), body bytes as text, and the exact raw bytes. */
export interface RawFrame {
  headers: Array<[string, string]>;
  body: string;
  raw: string;
}

export const frameHeader = (f: RawFrame, name: string): string | undefined => f.headers.find(([n]) => n === name)?.[1];

/** Parses plain event text (`Name: value` lines, optional inner body) without decoding values. */
export function parsePlainEvent(text: string): { headers: Array<[string, string]>; body?: string } {
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const headers = head.split('\n').filter((l) => l !== '').map((l): [string, string] => {
    const i = l.indexOf(': ');
    return [l.slice(0, i), l.slice(i + 2)];
  });
  const len = headers.find(([n]) => n === 'Content-Length');
  if (!len || end < 0) return { headers };
  return { headers: headers.filter((h) => h !== len), body: Buffer.from(text.slice(end + 2), 'utf8').subarray(0, Number(len[1])).toString('utf8') };
}

/** A raw connection collecting frames. */
export class RawEslClient {
  readonly socket: Socket;
  readonly frames: RawFrame[] = [];
  closed = false;
  /** Every byte received, as text (for asserting on frames the parser cannot split). */
  received = '';
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.received += d.toString('utf8');
      this.buffer = Buffer.concat([this.buffer, d]);
      this.parse();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  /** Wraps an accepted socket (outbound mode: FreeSWITCH connected to us). */
  static fromSocket(socket: Socket): RawEslClient {
    return new RawEslClient(socket);
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawEslClient> {
    const socket = connect({ port, host });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawEslClient(socket);
  }

  /** Connects and authenticates; resolves after `+OK accepted`. */
  static async authed(port: number, password = 'ClueCon'): Promise<RawEslClient> {
    const c = await RawEslClient.connect(port);
    await c.next();
    c.send(`auth ${password}`);
    await c.next();
    return c;
  }

  send(line: string, headers: Record<string, string> = {}, body?: string): void {
    let text = line + '\n' + Object.entries(headers).map(([k, v]) => `${k}: ${v}\n`).join('');
    if (body !== undefined) text += `Content-Length: ${Buffer.byteLength(body)}\n\n${body}`;
    else text += '\n';
    this.socket.write(text);
  }

  /** Waits for the frame at `index` (default: the next unread one). */
  private cursor = 0;
  async next(timeoutMs = 5000): Promise<RawFrame> {
    const frame = await this.waitFor(() => this.frames[this.cursor], timeoutMs);
    this.cursor++;
    return frame;
  }

  /** Waits until a frame matching `pred` has arrived (searching from the cursor) and moves past it. */
  async until(pred: (f: RawFrame) => boolean, timeoutMs = 5000): Promise<RawFrame> {
    const found = await this.waitFor(() => {
      for (let i = this.cursor; i < this.frames.length; i++) if (pred(this.frames[i]!)) return { f: this.frames[i]!, i };
      return undefined;
    }, timeoutMs);
    this.cursor = found.i + 1;
    return found.f;
  }

  /** Waits for the socket to close. */
  async closedPromise(timeoutMs = 5000): Promise<void> {
    await this.waitFor(() => (this.closed ? true : undefined), timeoutMs);
  }

  /** Frames not yet consumed. */
  unread(): RawFrame[] {
    return this.frames.slice(this.cursor);
  }

  close(): void {
    this.socket.destroy();
  }

  private async waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v !== undefined) return v;
      if (this.closed) throw new Error('connection closed while waiting');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a frame');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  private parse(): void {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end < 0) break;
      const head = this.buffer.subarray(0, end).toString('utf8');
      const headers = head.split('\n').map((l): [string, string] => {
        const i = l.indexOf(': ');
        return [l.slice(0, i), l.slice(i + 2)];
      });
      const len = Number(headers.find(([n]) => n === 'Content-Length')?.[1] ?? 0);
      if (this.buffer.length < end + 2 + len) break;
      const body = this.buffer.subarray(end + 2, end + 2 + len).toString('utf8');
      const raw = this.buffer.subarray(0, end + 2 + len).toString('utf8');
      this.buffer = this.buffer.subarray(end + 2 + len);
      this.frames.push({ headers, body, raw });
    }
    this.wake();
  }
}
