/**
 * A small seeded generator for deterministic initialisation, sampling and splitting.
 *
 * The state is one 32-bit counter advanced by a Weyl step; each output runs the counter through
 * an avalanche mix, so nearby seeds give unrelated streams and a stream never depends on the
 * platform's Math.random.
 */
export class Random {
  #state: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new TypeError(`seed must be a finite number, got ${seed}`);
    this.#state = seed >>> 0;
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    this.#state = (this.#state + 0x9e3779b9) >>> 0;
    return mix32(this.#state);
  }

  /** A uniform float in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in 0 .. bound - 1. */
  nextInt(bound: number): number {
    return Math.floor(this.next() * bound);
  }
}

/** A 32-bit avalanche mix: every input bit flips about half the output bits. */
export function mix32(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A stable 32-bit hash of an ordered pair of integers under a seed. */
export function hashPair(a: number, b: number, seed: number): number {
  return mix32(mix32(mix32(seed ^ 0x5bd1e995) ^ a) ^ b);
}
