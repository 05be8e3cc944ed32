// Test support: reads a Server-Sent Events response body (from fetch) frame by frame, comments included.

/** One SSE frame: an event (`event`, `id`, `data`) or a comment line (`comment`). */
export interface SseFrame {
  readonly event?: string;
  readonly id?: string;
  readonly data?: string;
  readonly comment?: string;
}

/** Wraps a fetch response body; `next(match)` resolves with the first frame (from now on) that `match` accepts. */
export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<string>;
  readonly #frames: SseFrame[] = [];
  #buffer = '';

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** Every frame read so far. */
  get frames(): readonly SseFrame[] {
    return this.#frames;
  }

  /** The next frame `match` accepts (frames before it are consumed); fails after `timeoutMs` or at the end of the stream. */
  async next(match: (f: SseFrame) => boolean = () => true, timeoutMs = 20_000): Promise<SseFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.#pending.length) {
        const f = this.#pending.shift()!;
        if (match(f)) return f;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No matching SSE frame within ${timeoutMs} ms; saw ${JSON.stringify(this.#frames.slice(-5))}`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.#reader.read(),
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), left))),
      ]).finally(() => clearTimeout(timer));
      if (chunk === 'timeout') continue;
      if (chunk.done) throw new Error(`The SSE stream ended; saw ${JSON.stringify(this.#frames.slice(-5))}`);
      this.#push(chunk.value);
    }
  }

  readonly #pending: SseFrame[] = [];

  #push(text: string): void {
    this.#buffer += text;
    let end: number;
    while ((end = this.#buffer.indexOf('\n\n')) !== -1) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      const frame: { event?: string; id?: string; data?: string; comment?: string } = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        else {
          const i = line.indexOf(':');
          const field = line.slice(0, i);
          const value = line.slice(i + 1).replace(/^ /, '');
          if (field === 'event' || field === 'id' || field === 'data') frame[field] = value;
        }
      }
      this.#frames.push(frame);
      this.#pending.push(frame);
    }
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => undefined);
  }
}
