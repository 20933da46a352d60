/**
 * Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky,
 * "Collaborative Filtering for Implicit Feedback Datasets", ICDM 2008), with the per-row
 * conjugate-gradient solver of Takács, Pilászy & Tikk ("Applications of the conjugate gradient
 * method for implicit feedback collaborative filtering", RecSys 2011).
 *
 * Input: a users × items CSR whose values are confidences c_ui (see confidence.ts); every
 * stored pair has preference 1, every absent pair preference 0 and confidence 1.
 */
import { type Csr, transpose } from '../sparse/csr.ts';
import { alsLoss } from './als-loss.ts';
import {
  createSolveScratch,
  prepareShared,
  type SolveScratch,
  solveRowsCg,
  solveRowsExact,
} from './als-solve.ts';
import { checkFactors, type Factors, randomFactors } from './factors.ts';

export interface AlsOptions {
  /** Latent factors per user and item (k). */
  factors: number;
  /** λ, the weight of the squared norms of all factor rows. */
  regularization: number;
  /** Full iterations (a users half-step then an items half-step). */
  iterations: number;
  /** Conjugate-gradient steps per row and half-step; default 3. */
  cgSteps?: number;
  /** 'cg' (default) or 'exact' (a Cholesky solve per row, O(nnz k² + n k³) per half-step). */
  solver?: 'cg' | 'exact';
  /** Seed of the random start of rows not supplied by `init`; default 0. */
  seed?: number;
  /** Record the loss before the first and after every iteration (costs about a half-step each). */
  trackLoss?: boolean;
}

export interface AlsModel {
  users: Factors;
  items: Factors;
  /** With trackLoss: the loss at the start, then after each iteration; otherwise empty. */
  lossHistory: number[];
}

/** Factors to start from. Supplied arrays are updated in place and returned in the model. */
export interface AlsInit {
  users?: Factors;
  items?: Factors;
}

/**
 * Trains ALS on a users × items confidence matrix. Without `init` both sides start from seeded
 * random values; with it, training continues from the given factors (a warm start, built for
 * example with warmStartFactors so that new users and items get fresh random rows).
 */
export function trainAls(confidence: Csr, options: AlsOptions, init: AlsInit = {}): AlsModel {
  const { factors: k, regularization, iterations } = options;
  const cgSteps = options.cgSteps ?? 3;
  const solver = options.solver ?? 'cg';
  const seed = options.seed ?? 0;
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`factors must be a positive integer, got ${k}`);
  }
  if (!Number.isInteger(iterations) || iterations < 0) {
    throw new RangeError(`iterations must be a non-negative integer, got ${iterations}`);
  }
  if (!Number.isInteger(cgSteps) || cgSteps < 1) {
    throw new RangeError(`cgSteps must be a positive integer, got ${cgSteps}`);
  }
  if (solver !== 'cg' && solver !== 'exact') {
    throw new TypeError(`solver must be 'cg' or 'exact', got ${String(solver)}`);
  }
  checkConfidence(confidence, regularization);

  const users = init.users ?? randomFactors(confidence.nRows, k, seed);
  const items = init.items ?? randomFactors(confidence.nCols, k, (seed ^ 0x6a09e667) >>> 0);
  checkFactors(users, 'users', confidence.nRows, k);
  checkFactors(items, 'items', confidence.nCols, k);

  const byItem = transpose(confidence);
  const scratch = createSolveScratch(k);
  const lossHistory: number[] = [];
  if (options.trackLoss) lossHistory.push(alsLoss(confidence, users, items, regularization));

  for (let iteration = 0; iteration < iterations; iteration++) {
    halfStep(confidence, items, users, regularization, solver, cgSteps, scratch);
    halfStep(byItem, users, items, regularization, solver, cgSteps, scratch);
    if (options.trackLoss) lossHistory.push(alsLoss(confidence, users, items, regularization));
  }
  return { users, items, lossHistory };
}

/**
 * One half-step: re-solves every row of `target` (rows of `confidence`) with `fixed` (its
 * columns) held constant. For users, pass the users × items confidences; for items, their
 * transpose. Exposed so that tests and callers can interleave their own checks.
 */
export function alsHalfStep(
  confidence: Csr,
  fixed: Factors,
  target: Factors,
  options: Pick<AlsOptions, 'regularization' | 'solver' | 'cgSteps'>,
): void {
  checkFactors(target, 'target', confidence.nRows);
  checkFactors(fixed, 'fixed', confidence.nCols, target.k);
  checkConfidence(confidence, options.regularization);
  const scratch = createSolveScratch(target.k);
  const solver = options.solver ?? 'cg';
  halfStep(
    confidence,
    fixed,
    target,
    options.regularization,
    solver,
    options.cgSteps ?? 3,
    scratch,
  );
}

function halfStep(
  confidence: Csr,
  fixed: Factors,
  target: Factors,
  regularization: number,
  solver: 'cg' | 'exact',
  cgSteps: number,
  scratch: SolveScratch,
): void {
  prepareShared(fixed, regularization, scratch);
  if (solver === 'exact') solveRowsExact(confidence, fixed, target, scratch);
  else solveRowsCg(confidence, fixed, target, cgSteps, scratch);
}

/** Confidences must be finite and ≥ 0 and λ finite and ≥ 0, or the normal equations break. */
function checkConfidence(confidence: Csr, regularization: number): void {
  if (!(regularization >= 0) || !Number.isFinite(regularization)) {
    throw new RangeError(`regularization must be a finite number ≥ 0, got ${regularization}`);
  }
  const { values } = confidence;
  const end = confidence.rowPtr[confidence.nRows] ?? 0;
  for (let q = 0; q < end; q++) {
    const c = values[q] as number;
    if (!(c >= 0) || c === Number.POSITIVE_INFINITY) {
      throw new RangeError(`confidence at entry ${q} is ${c}; confidences must be finite and ≥ 0`);
    }
  }
}

export { alsLoss };
