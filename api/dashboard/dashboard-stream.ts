// One Server-Sent Events connection of the dashboard: a snapshot, then diffs as the read models move, heartbeats,
// and cleanup when the client goes away. The protocol is described in api/dashboard/README.md.
import type { ServerResponse } from 'node:http';
import type { DashboardSnapshot } from '../../projections/dashboard/dashboard-query.ts';
import { diffSnapshots } from './snapshot-diff.ts';

/** Timings of a stream. Defaults: poll 500 ms, heartbeat 15 s, time-only refresh 5 s. */
export interface StreamTimings {
  /** How often the query layer is read. */
  readonly pollMs: number;
  /** An SSE comment this often keeps proxies and the client's idle timers from closing the connection. */
  readonly heartbeatMs: number;
  /**
   * Values that move with the clock alone (longest wait, rolling windows) are sent at most this often while the
   * projections' position stands still; any movement of the position is sent at the next poll.
   */
  readonly timeRefreshMs: number;
}

export const DEFAULT_STREAM_TIMINGS: StreamTimings = { pollMs: 500, heartbeatMs: 15_000, timeRefreshMs: 5_000 };

/** A client that reads slower than this many buffered bytes is dropped; it reconnects and gets a fresh snapshot. */
const MAX_BUFFERED_BYTES = 1_048_576;

export interface DashboardStreamDeps {
  readonly res: ServerResponse;
  /** The scoped snapshot at the current time. */
  readonly load: () => Promise<DashboardSnapshot>;
  readonly clock: () => number;
  readonly timings: StreamTimings;
  /** The client's `Last-Event-ID`: when it equals the current position the snapshot is not sent again. */
  readonly lastEventId: string | undefined;
  /** Extra response headers (request id, rate-limit remaining) set before the stream was taken over. */
  readonly headers: Record<string, string>;
  readonly onError: (err: unknown) => void;
}

/** An open stream; `close()` ends it (idempotent), `closed` resolves once it ended for any reason. */
export interface DashboardStream {
  close(): void;
  readonly closed: Promise<void>;
}

function frame(event: string, position: string | null, data: unknown): string {
  // A line break in the id would end the field early; such a position is left out (the client then keeps its last id).
  const id = position !== null && !/[\r\n\0]/.test(position) ? `id: ${position}\n` : '';
  return `event: ${event}\n${id}data: ${JSON.stringify(data)}\n\n`;
}

/** Starts streaming on `res` (already hijacked from fastify). */
export function openDashboardStream(deps: DashboardStreamDeps): DashboardStream {
  const { res, timings } = deps;
  let stopped = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), timings.heartbeatMs);

  function close(): void {
    if (stopped) return;
    stopped = true;
    clearInterval(heartbeat);
    clearTimeout(pollTimer);
    if (!res.writableEnded) res.end();
    resolveClosed();
  }

  function write(chunk: string): void {
    if (stopped) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) return close();
    res.write(chunk);
  }

  res.on('close', close);
  res.on('error', close);
  res.writeHead(200, {
    ...deps.headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    // Tells nginx-like proxies not to buffer the stream.
    'x-accel-buffering': 'no',
  });
  write(`retry: 2000\n\n`);

  let sent: DashboardSnapshot | undefined;
  let lastSentAt = 0;

  async function poll(): Promise<void> {
    try {
      const next = await deps.load();
      if (stopped) return;
      if (!sent) {
        if (deps.lastEventId === undefined || next.position === null || deps.lastEventId !== next.position) write(frame('snapshot', next.position, next));
        else write(`: resumed at ${next.position}\n\n`);
        sent = next;
        lastSentAt = deps.clock();
      } else {
        const change = diffSnapshots(sent, next);
        const moved = next.position !== sent.position;
        if (change && (moved || deps.clock() - lastSentAt >= timings.timeRefreshMs)) {
          write(frame('change', next.position, change));
          sent = next;
          lastSentAt = deps.clock();
        }
      }
    } catch (err) {
      deps.onError(err);
      write(': the read models could not be read; retrying\n\n');
    }
    if (!stopped) pollTimer = setTimeout(() => void poll(), sent ? timings.pollMs : Math.max(timings.pollMs, 1000));
  }
  void poll();
  return { close, closed };
}

/** Counts open streams per key so one key cannot hold unbounded connections. */
export class StreamSlots {
  readonly #open = new Map<string, number>();
  readonly #max: number;

  constructor(maxPerKey: number) {
    this.#max = maxPerKey;
  }

  /** Takes a slot for `keyId`; false when it already holds the maximum. */
  take(keyId: string): boolean {
    const n = this.#open.get(keyId) ?? 0;
    if (n >= this.#max) return false;
    this.#open.set(keyId, n + 1);
    return true;
  }

  release(keyId: string): void {
    const n = (this.#open.get(keyId) ?? 1) - 1;
    if (n <= 0) this.#open.delete(keyId);
    else this.#open.set(keyId, n);
  }
}
