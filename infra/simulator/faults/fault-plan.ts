// Fault injection seam for the ESL wire: every outgoing frame of every listener passes through `outgoing`.
// Faults are armed at run time (tests, benchmarks, the CLI) and are deterministic where they draw randomness.
// Counted faults (malformed frame, bad encoding) are per listener; a reordered (held) frame is always delivered:
// after the listener's next event, before its next reply, or when the hold timer (simulator clock) expires.
import type { SimClock, SimTimer } from '../clock/sim-clock.ts';
import type { SeededRandom } from '../random/seeded-random.ts';

/** Writes pieces that the fault plan releases on its own (a held frame whose delay ran out). */
export type FaultSink = (pieces: Array<string | Buffer>) => void;

/** A frame transformation armed for some listeners. */
export interface FaultPlan {
  /** Splits, corrupts or reorders one outgoing frame; returns the pieces to write in order (possibly none). */
  outgoing(listenerId: number, frame: string): Array<string | Buffer>;
  /** A listener's socket is open: frames released later go to `sink`. */
  attach(listenerId: number, sink: FaultSink): void;
  /** The listener is gone: its held frame and armed counts are dropped. */
  detach(listenerId: number): void;
}

/** Default longest delay of a reordered frame, in simulator milliseconds. */
export const DEFAULT_REORDER_DELAY_MS = 50;

interface Held {
  frame: string;
  timer?: SimTimer;
}

/** Armable faults; `none` passes frames through. */
export class WireFaults implements FaultPlan {
  private chunkBytes = 0;
  private readonly malformed = new Map<number, number>();
  private readonly badEncoding = new Map<number, number>();
  private reorderRate = 0;
  private reorderDelayMs = DEFAULT_REORDER_DELAY_MS;
  private readonly held = new Map<number, Held>();
  private readonly sinks = new Map<number, FaultSink>();
  private readonly random: SeededRandom;
  private readonly clock?: SimClock;

  /** Without a clock a held frame waits for the listener's next frame (no timer). */
  constructor(random: SeededRandom, clock?: SimClock) {
    this.random = random;
    this.clock = clock;
  }

  /** Writes every frame in pieces of `bytes` (0 = off). Pieces go out as separate writes. */
  splitFrames(bytes: number): void {
    this.chunkBytes = Math.max(0, Math.floor(bytes));
  }

  /**
   * The next `count` event frames lose their header terminator (a malformed frame): of listener `listenerId`, or
   * of each listener connected now when no id is given.
   */
  malformNext(count = 1, listenerId?: number): void {
    this.arm(this.malformed, count, listenerId);
  }

  /** The next `count` plain event frames (per listener, as malformNext) carry a caller name that is not valid percent-encoded UTF-8 (`%FC`). */
  badEncodingNext(count = 1, listenerId?: number): void {
    this.arm(this.badEncoding, count, listenerId);
  }

  /**
   * With probability `rate`, an event frame is held back (cross-leg reordering, reference §3.0) and sent after the
   * listener's next event, before its next reply, or after `maxDelayMs` of simulator time, whichever comes first.
   */
  reorder(rate: number, maxDelayMs = DEFAULT_REORDER_DELAY_MS): void {
    this.reorderRate = rate;
    this.reorderDelayMs = Math.max(0, maxDelayMs);
  }

  /** Ids of the listeners the plan currently sees (targets for malformNext/badEncodingNext). */
  listenerIds(): number[] {
    return [...this.sinks.keys()];
  }

  /** Disarms everything; held frames are released first (a real switch delays, never withholds). */
  clear(): void {
    this.chunkBytes = 0;
    this.malformed.clear();
    this.badEncoding.clear();
    this.reorderRate = 0;
    for (const id of [...this.held.keys()]) this.release(id);
  }

  attach(listenerId: number, sink: FaultSink): void {
    this.sinks.set(listenerId, sink);
  }

  detach(listenerId: number): void {
    const held = this.held.get(listenerId);
    if (held?.timer && this.clock) this.clock.clearTimer(held.timer);
    this.held.delete(listenerId);
    this.malformed.delete(listenerId);
    this.badEncoding.delete(listenerId);
    this.sinks.delete(listenerId);
  }

  /** Frames held back right now, per listener (test aid). */
  heldCount(): number {
    return this.held.size;
  }

  outgoing(listenerId: number, frame: string): Array<string | Buffer> {
    const isEvent = frame.startsWith('Content-Length: ') && frame.includes('\nContent-Type: text/event-');
    if (!isEvent) {
      // A reply never overtakes an event the switch already queued for this socket.
      const held = this.take(listenerId);
      return this.pieces(held === undefined ? [frame] : [held, frame]);
    }
    let out = frame;
    // Bad encoding needs a plain frame with a caller name; other frames do not use up the armed count.
    const encodable = out.includes('Content-Type: text/event-plain') && out.includes('\nCaller-Caller-ID-Name: ');
    if (encodable && this.consume(this.badEncoding, listenerId)) {
      out = reframe(out, (payload) => payload.replace(/\nCaller-Caller-ID-Name: [^\n]*/, '\nCaller-Caller-ID-Name: M%FCller'));
    }
    if (this.consume(this.malformed, listenerId)) out = out.replace('\n\n', '\n');
    const held = this.take(listenerId);
    if (held !== undefined) return this.pieces([out, held]);
    if (this.reorderRate > 0 && this.random.chance(this.reorderRate)) {
      this.hold(listenerId, out);
      return [];
    }
    return this.pieces([out]);
  }

  private arm(counts: Map<number, number>, count: number, listenerId?: number): void {
    const ids = listenerId === undefined ? [...this.sinks.keys()] : [listenerId];
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + count);
  }

  private consume(counts: Map<number, number>, id: number): boolean {
    const n = counts.get(id) ?? 0;
    if (n <= 0) return false;
    if (n === 1) counts.delete(id);
    else counts.set(id, n - 1);
    return true;
  }

  private hold(id: number, frame: string): void {
    const held: Held = { frame };
    if (this.clock) held.timer = this.clock.setTimer(this.reorderDelayMs, () => {
      if (this.held.get(id) === held) this.release(id);
    });
    this.held.set(id, held);
  }

  private take(id: number): string | undefined {
    const held = this.held.get(id);
    if (!held) return undefined;
    this.held.delete(id);
    if (held.timer && this.clock) this.clock.clearTimer(held.timer);
    return held.frame;
  }

  private release(id: number): void {
    const frame = this.take(id);
    if (frame === undefined) return;
    this.sinks.get(id)?.(this.pieces([frame]));
  }

  private pieces(frames: string[]): Array<string | Buffer> {
    if (this.chunkBytes > 0) return frames.flatMap((f) => chunk(f, this.chunkBytes));
    return frames;
  }
}

function chunk(frame: string, bytes: number): Buffer[] {
  const buf = Buffer.from(frame, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += bytes) out.push(buf.subarray(i, i + bytes));
  return out;
}

/** Rewrites an event frame's payload and fixes its outer Content-Length. */
function reframe(frame: string, edit: (payload: string) => string): string {
  const split = frame.indexOf('\n\n');
  const head = frame.slice(0, split);
  const payload = edit(frame.slice(split + 2));
  return head.replace(/^Content-Length: \d+/, `Content-Length: ${Buffer.byteLength(payload, 'utf8')}`) + '\n\n' + payload;
}
