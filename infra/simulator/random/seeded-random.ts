// Seeded PRNG (sfc32): the simulator never calls Math.random, so a seed replays the same run.

/** A deterministic random source; every draw advances one shared stream. */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  /** Lowercase RFC 4122 v4 UUID built from the stream. */
  uuid(): string;
  /** Exponential variate with the given mean. */
  exponential(mean: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** An independent stream derived from this one (for sub-generators that must not shift each other's draws). */
  fork(label: string): SeededRandom;
}

function hashSeed(seed: string): [number, number, number, number] {
  // xmur3: spreads any string seed over four 32-bit words.
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  const out: number[] = [];
  for (let k = 0; k < 4; k++) {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    out.push(h >>> 0);
  }
  return out as [number, number, number, number];
}

/** Creates a seeded random source; the same seed always yields the same sequence. */
export function createSeededRandom(seed: string | number): SeededRandom {
  let [a, b, c, d] = hashSeed(String(seed));
  const u32 = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return r >>> 0;
  };
  for (let i = 0; i < 15; i++) u32();
  const next = (): number => u32() / 4294967296;
  const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
  const self: SeededRandom = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    uuid: () => {
      const w = [u32(), u32(), u32(), u32()];
      const s = w.map((x) => hex(x, 8)).join('');
      const variant = ((parseInt(s[16]!, 16) & 0x3) | 0x8).toString(16);
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`;
    },
    exponential: (mean) => -Math.log(1 - next()) * mean,
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    fork: (label) => createSeededRandom(`${u32()}:${label}`),
  };
  return self;
}
