// One notion of time for the engine and the switch simulator when they run faster than the wall clock: simulated time
// = anchorSim + (wall - anchorWall) × factor. Two processes given the same anchors and factor agree on "now" (the
// simulator in a test, `serve` as a child process with ENGINE_CLOCK), so timers, ring timeouts and the times in
// events line up across them.
import { timerAt, type Clock, type ClockTimer } from '../../engine/clock.ts';
import type { SimClock, SimTimer } from '../simulator/clock/sim-clock.ts';

/** The anchors of an accelerated clock. */
export interface ClockAnchors {
  readonly factor: number;
  /** Wall-clock epoch ms at the anchor. */
  readonly anchorWallMs: number;
  /** Simulated epoch ms at the anchor. */
  readonly anchorSimMs: number;
}

/** `accelerated:<factor>:<anchorWallMs>:<anchorSimMs>` (what ENGINE_CLOCK carries to a child process). */
export function formatAnchors(a: ClockAnchors): string {
  return `accelerated:${a.factor}:${a.anchorWallMs}:${a.anchorSimMs}`;
}

/** Parses formatAnchors' text; undefined for `real` or an empty value. */
export function parseAnchors(text: string | undefined): ClockAnchors | undefined {
  if (text === undefined || text === '' || text === 'real') return undefined;
  const m = /^accelerated:(\d+(?:\.\d+)?):(\d+):(\d+)$/.exec(text);
  if (!m) throw new RangeError(`ENGINE_CLOCK must be "real" or accelerated:<factor>:<anchorWallMs>:<anchorSimMs>, got ${text}`);
  const factor = Number(m[1]);
  if (!(factor > 0)) throw new RangeError('ENGINE_CLOCK factor must be > 0');
  return { factor, anchorWallMs: Number(m[2]), anchorSimMs: Number(m[3]) };
}

/** Simulated epoch ms now. */
function simNow(a: ClockAnchors): number {
  return a.anchorSimMs + (Date.now() - a.anchorWallMs) * a.factor;
}

/** The engine's Clock on these anchors. */
export function engineClockOf(a: ClockAnchors): Clock {
  return {
    now: () => Math.floor(simNow(a)),
    at: (at: number, fn: () => void): ClockTimer => timerAt(() => simNow(a), a.factor, at, fn),
  };
}

/** The simulator's SimClock on the same anchors. */
export function simClockOf(a: ClockAnchors): SimClock {
  const handles = new Map<number, NodeJS.Timeout>();
  let seq = 0;
  return {
    kind: 'accelerated',
    nowMicros: () => Math.floor(simNow(a) * 1000),
    setTimer(ms: number, fn: () => void): SimTimer {
      const id = ++seq;
      handles.set(id, setTimeout(() => { handles.delete(id); fn(); }, Math.max(0, ms / a.factor)).unref());
      return { id };
    },
    clearTimer(t: SimTimer): void {
      const h = handles.get(t.id);
      if (h) clearTimeout(h);
      handles.delete(t.id);
    },
  };
}
