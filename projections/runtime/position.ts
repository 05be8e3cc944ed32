/** Log positions as the runner stores and compares them (a pair of unsigned 64-bit integers, kept as text). */
import type { Position } from '../../adapters/event-store/port.ts';

/** -1, 0 or 1 as `a` is before, at or after `b`; `undefined` is the start of the log, before everything. */
export function comparePositions(a: Position | undefined, b: Position | undefined): number {
  if (a === undefined) return b === undefined ? 0 : -1;
  if (b === undefined) return 1;
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** The later of two positions. */
export function laterPosition(a: Position | undefined, b: Position | undefined): Position | undefined {
  return comparePositions(a, b) >= 0 ? a : b;
}

/** The stored columns of a position (both null at the start). */
export function positionColumns(p: Position | undefined): { commit: string | null; prepare: string | null } {
  return p === undefined ? { commit: null, prepare: null } : { commit: p.commit.toString(), prepare: p.prepare.toString() };
}

/** The position stored in two text/numeric columns. */
export function positionFromColumns(commit: string | null, prepare: string | null): Position | undefined {
  return commit === null || prepare === null ? undefined : { commit: BigInt(commit), prepare: BigInt(prepare) };
}

/** `commit/prepare`, or `start`. */
export function formatPosition(p: Position | undefined): string {
  return p === undefined ? 'start' : `${p.commit}/${p.prepare}`;
}
