// A small, pure, seeded discrete-event simulation of an M/M/N queue (FIFO, no abandonment), used to test the
// wait estimator against waits that actually happen.
import { seededRandom, type SeededRandom } from './seeded-random.ts';

/** Simulation settings; every time in seconds. */
export interface MmnSettings {
  readonly seed: number;
  readonly agents: number;
  readonly arrivalRatePerSecond: number;
  readonly meanHandleSeconds: number;
  readonly callers: number;
  /** Draws one handle time (default exponential with `meanHandleSeconds`, the "M" in M/M/N). */
  readonly handleTime?: (random: SeededRandom, mean: number) => number;
}

/** What a caller saw on arrival, and what then happened. */
export interface SimulatedCaller {
  readonly arrivedAt: number;
  /** Callers waiting ahead on arrival. */
  readonly position: number;
  readonly idleAgents: number;
  /** Handle times completed before arrival: `handleTimes.slice(0, completedBefore)`. */
  readonly completedBefore: number;
  readonly waitSeconds: number;
}

/** The callers in arrival order and every handle time in completion order. */
export interface MmnRun {
  readonly callers: readonly SimulatedCaller[];
  readonly handleTimes: readonly number[];
}

/** Runs the simulation: the same settings always give the same run. */
export function simulateMmn(s: MmnSettings): MmnRun {
  const random = seededRandom(s.seed);
  const draw = s.handleTime ?? ((r: SeededRandom, mean: number) => r.exponential(mean));
  const busyUntil: number[] = []; // one entry per busy agent: when it frees up, with the handle time it is serving
  const serving: number[] = [];
  const queue: number[] = []; // indexes into `callers`, FIFO
  const arrived: { arrivedAt: number; position: number; idleAgents: number; completedBefore: number }[] = [];
  const waits: number[] = [];
  const handleTimes: number[] = [];
  let nextArrival = random.exponential(1 / s.arrivalRatePerSecond);

  const start = (caller: number, at: number): void => {
    waits[caller] = at - arrived[caller]!.arrivedAt;
    const ht = draw(random, s.meanHandleSeconds);
    busyUntil.push(at + ht);
    serving.push(ht);
  };

  while (arrived.length < s.callers || queue.length > 0) {
    let soonest = -1;
    for (let i = 0; i < busyUntil.length; i++) if (soonest === -1 || busyUntil[i]! < busyUntil[soonest]!) soonest = i;
    const arrivalNext = arrived.length < s.callers && (soonest === -1 || nextArrival <= busyUntil[soonest]!);
    if (arrivalNext) {
      const at = nextArrival;
      const idle = s.agents - busyUntil.length;
      arrived.push({ arrivedAt: at, position: queue.length, idleAgents: idle, completedBefore: handleTimes.length });
      const me = arrived.length - 1;
      if (idle > 0) start(me, at);
      else queue.push(me);
      nextArrival = at + random.exponential(1 / s.arrivalRatePerSecond);
    } else {
      const at = busyUntil[soonest]!;
      handleTimes.push(serving[soonest]!);
      busyUntil.splice(soonest, 1);
      serving.splice(soonest, 1);
      const next = queue.shift();
      if (next !== undefined) start(next, at);
    }
  }
  return { callers: arrived.map((a, i) => ({ ...a, waitSeconds: waits[i]! })), handleTimes };
}
