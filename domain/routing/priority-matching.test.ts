import { describe, expect, it } from 'vitest';
import { priorityMatching } from './priority-matching.ts';

describe('priorityMatching', () => {
  it('keeps callers in order while they can all be matched together, re-matching earlier ones to make room', () => {
    // c1 can use x or y; c2 only x; c3 only x (c3 cannot fit once c1 and c2 hold both agents)
    const m = priorityMatching(new Map([['c1', ['x', 'y']], ['c2', ['x']], ['c3', ['x']]]));
    expect(m.add('c1')).toBe(true); // takes x
    expect(m.add('c2')).toBe(true); // c1 moves to y
    expect(m.add('c3')).toBe(false);
  });

  it('refuses to commit a caller to an agent a later kept caller cannot do without, and accepts the spare one', () => {
    const m = priorityMatching(new Map([['c1', ['x', 'y']], ['c2', ['x']]]));
    m.add('c1');
    m.add('c2');
    expect(m.commit('c1', 'x')).toBe(false);
    expect(m.commit('c1', 'y')).toBe(true);
    expect(m.commit('c2', 'x')).toBe(true);
  });

  it('gives an extra ring agent only when no uncommitted caller needs it', () => {
    const m = priorityMatching(new Map([['ring', ['x', 'y', 'z']], ['c2', ['y']]]));
    m.add('ring');
    m.add('c2');
    expect(m.commit('ring', 'x')).toBe(true);
    expect(m.takeExtra('y')).toBe(false); // c2 has no one else
    expect(m.takeExtra('z')).toBe(true);
    expect(m.takeExtra('z')).toBe(false); // already taken
    expect(m.commit('c2', 'y')).toBe(true);
  });

  it('moves a later caller to another agent when that frees the preferred one', () => {
    const m = priorityMatching(new Map([['c1', ['y', 'x']], ['c2', ['x', 'z']]]));
    m.add('c1'); // y
    m.add('c2'); // x
    expect(m.commit('c1', 'x')).toBe(true); // c2 can move to z
    expect(m.commit('c2', 'x')).toBe(false);
    expect(m.commit('c2', 'z')).toBe(true);
  });
});
