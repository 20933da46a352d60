/**
 * Confidence from preference weight, in place over a CSR's values (Hu, Koren & Volinsky 2008,
 * section 4). A stored weight w ≥ 0 says how strongly the data suggests the user likes the
 * item; the confidence c ≥ 1 says how much the loss trusts that suggestion. Absent pairs keep
 * the implicit confidence 1 and are not stored.
 */
import type { Csr } from '../sparse/csr.ts';

/** c = 1 + α · w. */
export function linearConfidence(weights: Csr, alpha: number): void {
  checkAlpha(alpha);
  const { values } = weights;
  const end = storedEntries(weights);
  for (let q = 0; q < end; q++) values[q] = 1 + alpha * checkedWeight(values[q] as number, q);
}

/**
 * c = 1 + α · ln(1 + w / ε). The logarithm tames heavy tails such as play counts, where one
 * item played ten thousand times would otherwise drown a user's other items; ε sets the weight
 * at which the growth turns logarithmic. The Last.fm reference uses α = 1, ε = 1.
 */
export function logConfidence(weights: Csr, alpha: number, epsilon = 1): void {
  checkAlpha(alpha);
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) {
    throw new RangeError(`epsilon must be a finite number > 0, got ${epsilon}`);
  }
  const { values } = weights;
  const end = storedEntries(weights);
  for (let q = 0; q < end; q++) {
    values[q] = 1 + alpha * Math.log1p(checkedWeight(values[q] as number, q) / epsilon);
  }
}

function storedEntries(csr: Csr): number {
  return csr.rowPtr[csr.nRows] ?? 0;
}

function checkAlpha(alpha: number): void {
  if (!(alpha >= 0) || !Number.isFinite(alpha)) {
    throw new RangeError(`alpha must be a finite number ≥ 0, got ${alpha}`);
  }
}

function checkedWeight(w: number, at: number): number {
  if (!(w >= 0) || w === Number.POSITIVE_INFINITY) {
    throw new RangeError(`weight at entry ${at} is ${w}; weights must be finite and ≥ 0`);
  }
  return w;
}
