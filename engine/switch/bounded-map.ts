// The port remembers a few things per leg or per event (hangups seen, media ids handed out, recent fact ids); a
// long-running process must not grow without end, so the oldest entries go once the bound is reached.

/** A Map holding at most `max` entries: inserting a new key beyond that evicts the oldest inserted. */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly #max: number;

  constructor(max: number) {
    super();
    if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
    this.#max = max;
  }

  override set(k: K, v: V): this {
    if (!this.has(k) && this.size >= this.#max) this.delete(this.keys().next().value as K);
    return super.set(k, v);
  }
}
