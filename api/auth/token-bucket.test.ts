import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-bucket.ts';

describe('TokenBuckets', () => {
  it('allows a burst of `capacity` requests, then refuses with the seconds until the next token', () => {
    const b = new TokenBuckets({ capacity: 3, refillPerSecond: 0.5 });
    expect([1, 2, 3].map(() => b.take('k', 0).allowed)).toEqual([true, true, true]);
    expect(b.take('k', 0)).toEqual({ allowed: false, retryAfterSeconds: 2 });
  });

  it('refills at the configured rate, never above capacity', () => {
    const b = new TokenBuckets({ capacity: 2, refillPerSecond: 1 });
    b.take('k', 0);
    b.take('k', 0);
    expect(b.take('k', 500).allowed).toBe(false);
    expect(b.take('k', 1000)).toEqual({ allowed: true, remaining: 0 });
    expect(b.take('k', 100_000)).toEqual({ allowed: true, remaining: 1 });
  });

  it('keeps one bucket per key', () => {
    const b = new TokenBuckets({ capacity: 1, refillPerSecond: 1 });
    expect(b.take('a', 0).allowed).toBe(true);
    expect(b.take('a', 0).allowed).toBe(false);
    expect(b.take('b', 0).allowed).toBe(true);
  });

  it('ignores a clock that goes back instead of minting tokens', () => {
    const b = new TokenBuckets({ capacity: 1, refillPerSecond: 1 });
    b.take('k', 10_000);
    expect(b.take('k', 0).allowed).toBe(false);
  });

  it('drops rested buckets when full, without forgetting an exhausted one', () => {
    const b = new TokenBuckets({ capacity: 1, refillPerSecond: 1 }, 2);
    b.take('busy', 0);
    b.take('idle', -5_000);
    b.take('new', 0);
    expect(b.take('busy', 0).allowed).toBe(false);
  });

  it('refuses a configuration that could never allow a request', () => {
    expect(() => new TokenBuckets({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => new TokenBuckets({ capacity: 1, refillPerSecond: 0 })).toThrow(RangeError);
  });
});
