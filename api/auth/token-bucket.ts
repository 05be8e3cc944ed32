/** Size and refill rate of one key's bucket. */
export interface TokenBucketConfig {
  /** The burst: how many requests a fresh or rested key may make at once. */
  readonly capacity: number;
  /** Tokens added per second, up to `capacity`. */
  readonly refillPerSecond: number;
}

/** The outcome of taking one token: allowed, or refused with the seconds until a token is available. */
export type TakeResult = { readonly allowed: true; readonly remaining: number } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets per key, in memory. Pure apart from the map: the caller passes the clock reading, so tests need no
 * timers. Buckets that have refilled completely are dropped when the map grows, so revoked or idle keys cost nothing.
 */
export class TokenBuckets {
  readonly #config: TokenBucketConfig;
  readonly #buckets = new Map<string, Bucket>();
  readonly #maxEntries: number;

  constructor(config: TokenBucketConfig, maxEntries = 10_000) {
    if (!(config.capacity >= 1) || !(config.refillPerSecond > 0)) throw new RangeError('a token bucket needs capacity >= 1 and refillPerSecond > 0');
    this.#config = config;
    this.#maxEntries = maxEntries;
  }

  /** Takes one token from `key`'s bucket at time `nowMs` (epoch or monotonic milliseconds, never going back). */
  take(key: string, nowMs: number): TakeResult {
    const { capacity, refillPerSecond } = this.#config;
    const bucket = this.#buckets.get(key) ?? { tokens: capacity, updatedAt: nowMs };
    const elapsed = Math.max(0, nowMs - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * refillPerSecond);
    bucket.updatedAt = Math.max(bucket.updatedAt, nowMs);
    if (!this.#buckets.has(key)) {
      if (this.#buckets.size >= this.#maxEntries) this.#sweep(nowMs);
      this.#buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond)) };
  }

  #sweep(nowMs: number): void {
    const { capacity, refillPerSecond } = this.#config;
    for (const [key, b] of this.#buckets) {
      if (b.tokens + (Math.max(0, nowMs - b.updatedAt) / 1000) * refillPerSecond >= capacity) this.#buckets.delete(key);
    }
  }
}
