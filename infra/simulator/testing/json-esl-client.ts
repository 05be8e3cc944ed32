// A lean inbound ESL client for load-style tests: real TCP, `auth`, commands answered in order (command/reply or
// api/response), `text/event-json` events parsed and handed over one by one. Keeps no history of its own, so a test
// can push tens of thousands of events through it.
import { connect, type Socket } from 'node:net';

/** A decoded JSON event: header name → value (an array for repeated headers), `_body` for the body. */
export type JsonEvent = Record<string, string | string[]>;

/** A command's answer: Reply-Text for command/reply, the body for api/response. */
export interface EslReply {
  contentType: string;
  text: string;
}

/** One client connection. */
export class JsonEslClient {
  private readonly socket: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly waiting: Array<(reply: EslReply) => void> = [];
  private readonly onEvent: (event: JsonEvent) => void;
  /** Frames that were neither replies nor JSON events (auth/request, disconnect notices), by Content-Type. */
  readonly other: string[] = [];
  closed = false;

  private constructor(socket: Socket, onEvent: (event: JsonEvent) => void) {
    this.socket = socket;
    this.onEvent = onEvent;
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.data(d));
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => undefined);
  }

  /** Connects, waits for auth/request, authenticates. */
  static async open(port: number, password: string, onEvent: (event: JsonEvent) => void): Promise<JsonEslClient> {
    const socket = connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new JsonEslClient(socket, onEvent);
    const auth = client.expectReply();
    await new Promise<void>((resolve) => {
      const poll = (): void => {
        if (client.other.includes('auth/request')) resolve();
        else setTimeout(poll, 5);
      };
      poll();
    });
    client.socket.write(`auth ${password}\n\n`);
    const reply = await auth;
    if (!reply.text.startsWith('+OK')) throw new Error(`auth failed: ${reply.text}`);
    return client;
  }

  /** Sends one command (with optional extra header lines) and resolves with its reply. */
  command(line: string, headers: Record<string, string> = {}): Promise<EslReply> {
    const reply = this.expectReply();
    this.socket.write(`${line}\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\n`).join('')}\n`);
    return reply;
  }

  /** `api <cmd>`: resolves with the api/response body. */
  async api(cmd: string): Promise<string> {
    return (await this.command(`api ${cmd}`)).text;
  }

  close(): void {
    this.socket.destroy();
  }

  private expectReply(): Promise<EslReply> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private data(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let at = 0;
    for (;;) {
      const end = this.buffer.indexOf('\n\n', at);
      if (end < 0) break;
      const head = this.buffer.toString('utf8', at, end);
      let contentType = '';
      let length = 0;
      let replyText = '';
      for (const line of head.split('\n')) {
        const i = line.indexOf(': ');
        const name = line.slice(0, i);
        if (name === 'Content-Type') contentType = line.slice(i + 2);
        else if (name === 'Content-Length') length = Number(line.slice(i + 2));
        else if (name === 'Reply-Text') replyText = line.slice(i + 2);
      }
      if (this.buffer.length < end + 2 + length) break;
      const body = this.buffer.toString('utf8', end + 2, end + 2 + length);
      at = end + 2 + length;
      if (contentType === 'text/event-json') this.onEvent(JSON.parse(body) as JsonEvent);
      else if (contentType === 'command/reply') this.waiting.shift()?.({ contentType, text: replyText });
      else if (contentType === 'api/response') this.waiting.shift()?.({ contentType, text: body });
      else this.other.push(contentType);
    }
    this.buffer = this.buffer.subarray(at);
  }
}
