/**
 * The small dense algebra of ALS: k × k matrices with k of a few dozen.
 *
 * Layout: a k × k matrix is a Float64Array of k² values, row-major (entry (a, b) at a * k + b).
 * Float64 because these matrices sum thousands of rows and a Cholesky factor of a float32 Gram
 * matrix loses digits the solves need; they are small, so the doubled size costs nothing.
 */
import type { Factors } from './factors.ts';

/**
 * FᵀF into `out` (k × k, both triangles filled).
 *
 * Only the lower triangle is accumulated, row by row of F, and mirrored once at the end. `row`
 * is scratch of at least k values, so the loop reads each float32 value once.
 */
export function gram(factors: Factors, out: Float64Array, row: Float64Array): void {
  const { n, k, data } = factors;
  out.fill(0, 0, k * k);
  for (let r = 0; r < n; r++) {
    const base = r * k;
    for (let a = 0; a < k; a++) row[a] = data[base + a] as number;
    for (let a = 0; a < k; a++) {
      const va = row[a] as number;
      if (va === 0) continue;
      const at = a * k;
      for (let b = 0; b <= a; b++) out[at + b] = (out[at + b] as number) + va * (row[b] as number);
    }
  }
  mirrorLower(out, k);
}

/** Copies the lower triangle of a k × k matrix onto its upper triangle. */
export function mirrorLower(matrix: Float64Array, k: number): void {
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < a; b++) matrix[b * k + a] = matrix[a * k + b] as number;
  }
}

/**
 * out = M v for a k × k matrix M (both triangles filled).
 *
 * Four rows at a time: each v[b] loaded serves four rows, and the four sums are independent,
 * so the adds overlap instead of waiting on one another.
 */
export function multiplyVector(
  matrix: Float64Array,
  k: number,
  vector: Float64Array,
  out: Float64Array,
): void {
  const quads = k & ~3;
  for (let a = 0; a < quads; a += 4) {
    const r0 = a * k;
    const r1 = r0 + k;
    const r2 = r1 + k;
    const r3 = r2 + k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let b = 0; b < k; b++) {
      const v = vector[b] as number;
      s0 += (matrix[r0 + b] as number) * v;
      s1 += (matrix[r1 + b] as number) * v;
      s2 += (matrix[r2 + b] as number) * v;
      s3 += (matrix[r3 + b] as number) * v;
    }
    out[a] = s0;
    out[a + 1] = s1;
    out[a + 2] = s2;
    out[a + 3] = s3;
  }
  for (let a = quads; a < k; a++) {
    const at = a * k;
    let sum = 0;
    for (let b = 0; b < k; b++) sum += (matrix[at + b] as number) * (vector[b] as number);
    out[a] = sum;
  }
}

/**
 * The dot product of row `row` of a row-major float32 matrix with v (k values).
 *
 * Four partial sums: a single running sum makes every add wait for the previous one, which
 * at k = 32 costs several times the arithmetic itself.
 */
export function dotRow(data: Float32Array, row: number, vector: Float64Array, k: number): number {
  const base = row * k;
  const quads = k & ~3;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let f = 0; f < quads; f += 4) {
    s0 += (data[base + f] as number) * (vector[f] as number);
    s1 += (data[base + f + 1] as number) * (vector[f + 1] as number);
    s2 += (data[base + f + 2] as number) * (vector[f + 2] as number);
    s3 += (data[base + f + 3] as number) * (vector[f + 3] as number);
  }
  for (let f = quads; f < k; f++) s0 += (data[base + f] as number) * (vector[f] as number);
  return s0 + s1 + (s2 + s3);
}

/** out += w · (row `row` of a row-major float32 matrix), over k values. */
export function addScaledRow(
  out: Float64Array,
  w: number,
  data: Float32Array,
  row: number,
  k: number,
): void {
  const base = row * k;
  for (let f = 0; f < k; f++) out[f] = (out[f] as number) + w * (data[base + f] as number);
}

/**
 * Cholesky factorisation in place: on return the lower triangle of `matrix` holds L with
 * M = L Lᵀ. Only the lower triangle of M is read, and the upper triangle is left untouched.
 *
 * Returns false when M is not numerically positive definite: a pivot falls to or below
 * k · ε times the largest diagonal entry of M.
 */
export function choleskyInPlace(matrix: Float64Array, k: number): boolean {
  let largest = 0;
  for (let a = 0; a < k; a++) largest = Math.max(largest, Math.abs(matrix[a * k + a] as number));
  const floor = k * Number.EPSILON * largest;

  for (let j = 0; j < k; j++) {
    const jRow = j * k;
    let pivot = matrix[jRow + j] as number;
    for (let p = 0; p < j; p++) pivot -= (matrix[jRow + p] as number) ** 2;
    if (!(pivot > floor)) return false;
    const diagonal = Math.sqrt(pivot);
    matrix[jRow + j] = diagonal;

    // Column j below the diagonal; rows are contiguous, so each inner product runs along two
    // rows of L rather than down a column.
    for (let i = j + 1; i < k; i++) {
      const iRow = i * k;
      let sum = matrix[iRow + j] as number;
      for (let p = 0; p < j; p++)
        sum -= (matrix[iRow + p] as number) * (matrix[jRow + p] as number);
      matrix[iRow + j] = sum / diagonal;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b in place (`rhs` becomes x), with L from choleskyInPlace. */
export function choleskySolveInPlace(factor: Float64Array, k: number, rhs: Float64Array): void {
  for (let i = 0; i < k; i++) {
    const iRow = i * k;
    let sum = rhs[i] as number;
    for (let p = 0; p < i; p++) sum -= (factor[iRow + p] as number) * (rhs[p] as number);
    rhs[i] = sum / (factor[iRow + i] as number);
  }
  for (let i = k - 1; i >= 0; i--) {
    let sum = rhs[i] as number;
    for (let p = i + 1; p < k; p++) sum -= (factor[p * k + i] as number) * (rhs[p] as number);
    rhs[i] = sum / (factor[i * k + i] as number);
  }
}
