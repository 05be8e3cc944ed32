// A minimal inbound-ESL server for the benchmark: answers the login, subscriptions, `bgapi status` and
// `api show channels`, then writes a corpus of event frames as fast as the socket drains (≤64 KiB per write, as a
// kernel would deliver; modesl recurses once per frame inside one chunk).
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';

export interface BlastServer {
  readonly port: number;
  /** Writes the frames `repeat` times to the connected client; resolves when all bytes were handed to the socket. */
  blast(frames: readonly string[], repeat: number): Promise<void>;
  close(): Promise<void>;
}

const reply = (text: string, extra = ''): string => `Content-Type: command/reply\nReply-Text: ${text}\n${extra}\n`;

/** Starts the server on a free loopback port; one client at a time. */
export async function startBlastServer(coreUuid: string): Promise<BlastServer> {
  let client: Socket | undefined;
  const server: Server = createServer((socket) => {
    client = socket;
    socket.setNoDelay(true);
    socket.on('error', () => {});
    let buf = '';
    socket.write('Content-Type: auth/request\n\n');
    socket.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
        const cmd = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const line = cmd.split('\n')[0]!;
        if (line.startsWith('auth ')) socket.write(reply('+OK accepted'));
        else if (line.startsWith('event ')) socket.write(reply('+OK event listener enabled json'));
        else if (line.startsWith('bgapi ')) {
          const job = /Job-UUID: (\S+)/.exec(cmd)?.[1] ?? '00000000-0000-4000-8000-000000000000';
          socket.write(reply(`+OK Job-UUID: ${job}`, `Job-UUID: ${job}\n`));
          const body = JSON.stringify({ 'Event-Name': 'BACKGROUND_JOB', 'Core-UUID': coreUuid, 'Event-Sequence': '1', 'Job-UUID': job, 'Job-Command': 'status', 'Content-Length': '3', _body: '+OK' });
          socket.write(`Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-json\n\n${body}`);
        } else if (line.startsWith('api ')) {
          const body = line.startsWith('api show channels') ? '{"row_count":0}' : '+OK\n';
          socket.write(`Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`);
        } else socket.write(reply('-ERR command not found'));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    async blast(frames, repeat) {
      const socket = client;
      if (!socket) throw new Error('no client connected');
      const chunks: Buffer[] = [];
      let cur: string[] = [];
      let size = 0;
      for (const f of frames) {
        const n = Buffer.byteLength(f);
        if (size + n > 64 * 1024 && cur.length > 0) {
          chunks.push(Buffer.from(cur.join(''), 'utf8'));
          cur = [];
          size = 0;
        }
        cur.push(f);
        size += n;
      }
      if (cur.length > 0) chunks.push(Buffer.from(cur.join(''), 'utf8'));
      for (let r = 0; r < repeat; r++) {
        for (const c of chunks) {
          if (!socket.write(c)) await new Promise<void>((resolve) => socket.once('drain', resolve));
        }
      }
    },
    async close() {
      client?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
