import { Random } from './random.ts';

/**
 * A dense factor matrix: one row of `k` latent factors per user or per item.
 *
 * Layout: row-major float32, so row r occupies data[r * k] .. data[r * k + k - 1]. A row is
 * contiguous because every hot loop (solving one row, scoring one user against one item) reads
 * whole rows; float32 halves the memory traffic of those loops, and the loops accumulate in
 * float64, so storage precision does not compound.
 */
export interface Factors {
  readonly n: number;
  readonly k: number;
  readonly data: Float32Array;
}

/** Throws a RangeError unless `factors` is an n × k matrix with a matching buffer. */
export function checkFactors(factors: Factors, name: string, n?: number, k?: number): void {
  if (!Number.isInteger(factors.k) || factors.k < 1) {
    throw new RangeError(`${name}: factor count must be a positive integer, got ${factors.k}`);
  }
  if (!Number.isInteger(factors.n) || factors.n < 0) {
    throw new RangeError(`${name}: row count must be a non-negative integer, got ${factors.n}`);
  }
  if (factors.data.length !== factors.n * factors.k) {
    throw new RangeError(
      `${name}: data holds ${factors.data.length} values, expected n × k = ${factors.n * factors.k}`,
    );
  }
  if (n !== undefined && factors.n !== n) {
    throw new RangeError(`${name}: expected ${n} rows, got ${factors.n}`);
  }
  if (k !== undefined && factors.k !== k) {
    throw new RangeError(`${name}: expected ${k} factors per row, got ${factors.k}`);
  }
}

/** An n × k matrix of zeros. */
export function zeroFactors(n: number, k: number): Factors {
  return { n, k, data: new Float32Array(n * k) };
}

/**
 * An n × k matrix of small random values, reproducible from `seed`.
 *
 * Values are uniform in ±0.1/√k, so a starting dot product is about 0.01 whatever k is: small
 * enough that the first half-step is driven by the data, not by the start, and non-zero so
 * that rows are not all alike.
 */
export function randomFactors(n: number, k: number, seed: number): Factors {
  const factors = zeroFactors(n, k);
  fillRandomRows(factors, 0, n, new Random(seed));
  return factors;
}

/**
 * Factors for a warm start after the set of rows changed: row r copies row `previousRow[r]` of
 * `previous` when that is ≥ 0, and is fresh random otherwise (a new user or item).
 */
export function warmStartFactors(
  previous: Factors,
  previousRow: Int32Array,
  seed: number,
): Factors {
  const { k } = previous;
  const factors = zeroFactors(previousRow.length, k);
  const random = new Random(seed);
  for (let r = 0; r < previousRow.length; r++) {
    const from = previousRow[r] as number;
    if (from >= previous.n) {
      throw new RangeError(`previousRow[${r}] = ${from} outside 0..${previous.n - 1}`);
    }
    if (from >= 0) {
      factors.data.set(previous.data.subarray(from * k, from * k + k), r * k);
    } else {
      fillRandomRows(factors, r, r + 1, random);
    }
  }
  return factors;
}

function fillRandomRows(factors: Factors, from: number, to: number, random: Random): void {
  const scale = 0.2 / Math.sqrt(factors.k);
  const end = to * factors.k;
  for (let i = from * factors.k; i < end; i++) factors.data[i] = (random.next() - 0.5) * scale;
}
