/**
 * One ALS half-step: every row of `target` re-solved against the fixed factors of the other side.
 *
 * For row u with observed columns i (confidence c_ui, preference 1) the normal equations of the
 * implicit-feedback loss (Hu, Koren & Volinsky 2008) are
 *
 *   (YᵀY + λI + Σ_i (c_ui − 1) y_i y_iᵀ) x_u = Σ_i c_ui y_i
 *
 * YᵀY + λI is shared by all rows and computed once per half-step; the rest touches only the
 * row's own columns. The conjugate-gradient solver (Takács, Pilászy & Tikk 2011) never forms the
 * row's matrix: each step multiplies by it through the shared Gram matrix plus one pass over the
 * row's columns, so a step costs O(k² + nnz_u · k) against O(nnz_u · k² + k³) for the exact one.
 */
import type { Csr } from '../sparse/csr.ts';
import {
  addScaledRow,
  choleskyInPlace,
  choleskySolveInPlace,
  dotRow,
  gram,
  multiplyVector,
} from './dense.ts';
import type { Factors } from './factors.ts';

/** Scratch of one half-step, sized for k and reused across rows and half-steps. */
export interface SolveScratch {
  readonly k: number;
  /** YᵀY + λI, then (exact solver) the row's own matrix and its factor. */
  readonly shared: Float64Array;
  readonly matrix: Float64Array;
  readonly x: Float64Array;
  readonly residual: Float64Array;
  readonly direction: Float64Array;
  readonly product: Float64Array;
}

export function createSolveScratch(k: number): SolveScratch {
  return {
    k,
    shared: new Float64Array(k * k),
    matrix: new Float64Array(k * k),
    x: new Float64Array(k),
    residual: new Float64Array(k),
    direction: new Float64Array(k),
    product: new Float64Array(k),
  };
}

/** YᵀY + λI of the fixed side into scratch.shared. */
export function prepareShared(fixed: Factors, regularization: number, scratch: SolveScratch): void {
  const { k, shared } = scratch;
  gram(fixed, shared, scratch.x);
  for (let a = 0; a < k; a++) shared[a * k + a] = (shared[a * k + a] as number) + regularization;
}

/**
 * Conjugate gradient on every row, `steps` steps each, starting from the row's current value.
 *
 * Each row stops early once its squared residual falls below ε² times its starting value: the
 * warm start is then already a solution to working precision.
 */
export function solveRowsCg(
  confidence: Csr,
  fixed: Factors,
  target: Factors,
  steps: number,
  scratch: SolveScratch,
): void {
  const { k, shared, x, residual: r, direction: p, product: ap } = scratch;
  const { rowPtr, colIdx, values } = confidence;
  const y = fixed.data;
  const out = target.data;
  const stopRatio = Number.EPSILON * Number.EPSILON;

  for (let u = 0; u < target.n; u++) {
    const start = rowPtr[u] as number;
    const end = rowPtr[u + 1] as number;
    const base = u * k;
    for (let f = 0; f < k; f++) x[f] = out[base + f] as number;

    // r = b − A x = −(YᵀY + λI) x + Σ_i (c_i − (c_i − 1) y_iᵀx) y_i
    multiplyVector(shared, k, x, r);
    for (let f = 0; f < k; f++) r[f] = -(r[f] as number);
    for (let q = start; q < end; q++) {
      const item = colIdx[q] as number;
      const c = values[q] as number;
      addScaledRow(r, c - (c - 1) * dotRow(y, item, x, k), y, item, k);
    }

    let rs = 0;
    for (let f = 0; f < k; f++) {
      const v = r[f] as number;
      p[f] = v;
      rs += v * v;
    }
    const stopBelow = rs * stopRatio;

    for (let step = 0; step < steps && rs > stopBelow; step++) {
      // ap = A p, through the shared matrix plus the row's own columns.
      multiplyVector(shared, k, p, ap);
      for (let q = start; q < end; q++) {
        const c1 = (values[q] as number) - 1;
        if (c1 === 0) continue;
        const item = colIdx[q] as number;
        addScaledRow(ap, c1 * dotRow(y, item, p, k), y, item, k);
      }

      let pap = 0;
      for (let f = 0; f < k; f++) pap += (p[f] as number) * (ap[f] as number);
      if (!(pap > 0)) break;
      const alpha = rs / pap;
      let rsNext = 0;
      for (let f = 0; f < k; f++) {
        x[f] = (x[f] as number) + alpha * (p[f] as number);
        const v = (r[f] as number) - alpha * (ap[f] as number);
        r[f] = v;
        rsNext += v * v;
      }
      const beta = rsNext / rs;
      for (let f = 0; f < k; f++) p[f] = (r[f] as number) + beta * (p[f] as number);
      rs = rsNext;
    }

    for (let f = 0; f < k; f++) out[base + f] = x[f] as number;
  }
}

/**
 * The exact solve of every row: its k × k matrix built from the shared one plus a rank-one
 * update per column, then a Cholesky factorisation. Throws a RangeError when a row's matrix is
 * not positive definite, which with λ > 0 cannot happen for confidences ≥ 0.
 */
export function solveRowsExact(
  confidence: Csr,
  fixed: Factors,
  target: Factors,
  scratch: SolveScratch,
): void {
  const { k, shared, matrix, x, product: yRow } = scratch;
  const { rowPtr, colIdx, values } = confidence;
  const y = fixed.data;
  const out = target.data;

  for (let u = 0; u < target.n; u++) {
    const start = rowPtr[u] as number;
    const end = rowPtr[u + 1] as number;
    matrix.set(shared);
    x.fill(0);

    // Only the lower triangle is updated: the factorisation reads nothing else.
    for (let q = start; q < end; q++) {
      const yBase = (colIdx[q] as number) * k;
      const c = values[q] as number;
      for (let f = 0; f < k; f++) yRow[f] = y[yBase + f] as number;
      const c1 = c - 1;
      for (let a = 0; a < k; a++) {
        const ya = yRow[a] as number;
        x[a] = (x[a] as number) + c * ya;
        if (c1 === 0) continue;
        const scaled = c1 * ya;
        const at = a * k;
        for (let b = 0; b <= a; b++)
          matrix[at + b] = (matrix[at + b] as number) + scaled * (yRow[b] as number);
      }
    }

    if (!choleskyInPlace(matrix, k)) {
      throw new RangeError(
        `row ${u}: normal equations not positive definite; use a regularization > 0`,
      );
    }
    choleskySolveInPlace(matrix, k, x);
    const base = u * k;
    for (let f = 0; f < k; f++) out[base + f] = x[f] as number;
  }
}
