/**
 * A token bucket: `capacity` events at once, refilled at `perSecond`. Held in memory, so an
 * evicted object starts full again; that errs on the side of accepting data.
 */
export class TokenBucket {
  readonly #capacity: number;
  readonly #perMs: number;
  #tokens: number;
  #updatedAt = Number.NEGATIVE_INFINITY;

  constructor(capacity: number, perSecond: number) {
    this.#capacity = capacity;
    this.#perMs = perSecond / 1000;
    this.#tokens = capacity;
  }

  /** Takes up to `wanted` tokens; returns how many were granted. */
  take(wanted: number, now: number): number {
    this.#refill(now);
    const granted = Math.min(wanted, Math.floor(this.#tokens));
    this.#tokens -= granted;
    return granted;
  }

  /** Whole seconds until `wanted` more tokens are there (0 when none are wanted). */
  secondsUntil(wanted: number, now: number): number {
    if (wanted <= 0) return 0;
    this.#refill(now);
    const missing = Math.max(0, Math.min(wanted, this.#capacity) - this.#tokens);
    return Math.max(1, Math.ceil(missing / this.#perMs / 1000));
  }

  #refill(now: number): void {
    if (now > this.#updatedAt) {
      const elapsed = Number.isFinite(this.#updatedAt)
        ? now - this.#updatedAt
        : Number.POSITIVE_INFINITY;
      this.#tokens = Math.min(this.#capacity, this.#tokens + elapsed * this.#perMs);
      this.#updatedAt = now;
    }
  }
}
