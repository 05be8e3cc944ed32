// Fault injection seam for the ESL wire: every outgoing frame of every listener passes through `outgoing`.
// Faults are armed at run time (tests, benchmarks, the CLI) and are deterministic where they draw randomness.
import type { SeededRandom } from '../random/seeded-random.ts';

/** A frame transformation armed for some listeners. */
export interface FaultPlan {
  /** Splits, corrupts or reorders one outgoing frame; returns the pieces to write in order (possibly none). */
  outgoing(listenerId: number, frame: string): Array<string | Buffer>;
}

/** Armable faults; `none` passes frames through. */
export class WireFaults implements FaultPlan {
  private chunkBytes = 0;
  private malformedCount = 0;
  private badEncodingCount = 0;
  private reorderRate = 0;
  private held = new Map<number, string>();
  private readonly random: SeededRandom;

  constructor(random: SeededRandom) {
    this.random = random;
  }

  /** Writes every frame in pieces of `bytes` (0 = off). Pieces go out as separate writes. */
  splitFrames(bytes: number): void {
    this.chunkBytes = Math.max(0, Math.floor(bytes));
  }

  /** The next `count` event frames lose their header terminator (a malformed frame). */
  malformNext(count = 1): void {
    this.malformedCount += count;
  }

  /** The next `count` plain event frames carry a caller name that is not valid percent-encoded UTF-8 (`%FC`). */
  badEncodingNext(count = 1): void {
    this.badEncodingCount += count;
  }

  /** With probability `rate`, an event frame is held back and sent after the next one (cross-leg reordering). */
  reorder(rate: number): void {
    this.reorderRate = rate;
  }

  /** Disarms everything. */
  clear(): void {
    this.chunkBytes = 0;
    this.malformedCount = 0;
    this.badEncodingCount = 0;
    this.reorderRate = 0;
    this.held.clear();
  }

  outgoing(listenerId: number, frame: string): Array<string | Buffer> {
    let frames: string[] = [frame];
    const isEvent = frame.startsWith('Content-Length: ') && frame.includes('\nContent-Type: text/event-');
    if (isEvent && this.badEncodingCount > 0 && frame.includes('Content-Type: text/event-plain') && frame.includes('\nCaller-Caller-ID-Name: ')) {
      this.badEncodingCount--;
      frames = [reframe(frame, (payload) => payload.replace(/\nCaller-Caller-ID-Name: [^\n]*/, '\nCaller-Caller-ID-Name: M%FCller'))];
    }
    if (isEvent && this.malformedCount > 0) {
      this.malformedCount--;
      frames = [frame.replace('\n\n', '\n')];
    }
    if (isEvent && this.reorderRate > 0) {
      const held = this.held.get(listenerId);
      if (held !== undefined) {
        this.held.delete(listenerId);
        frames = [...frames, held];
      } else if (this.random.chance(this.reorderRate)) {
        this.held.set(listenerId, frames.join(''));
        frames = [];
      }
    }
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
