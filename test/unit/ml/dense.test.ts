import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { choleskyInPlace, choleskySolveInPlace, gram } from '../../../src/ml/dense.ts';
import { Random } from '../../../src/ml/random.ts';
import { uniformFactors } from './helpers.ts';

/** A random symmetric positive definite k × k matrix: BᵀB + I. */
function spd(k: number, seed: number): Float64Array {
  const random = new Random(seed);
  const b = Array.from({ length: k }, () => Array.from({ length: k }, () => random.next() - 0.5));
  const m = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = i === j ? 1 : 0;
      for (let p = 0; p < k; p++) s += (b[p]?.[i] as number) * (b[p]?.[j] as number);
      m[i * k + j] = s;
    }
  }
  return m;
}

describe('gram', () => {
  it('equals FᵀF from ml-matrix', () => {
    const f = uniformFactors(13, 5, 1);
    const out = new Float64Array(25);
    gram(f, out, new Float64Array(5));
    const m = new Matrix(
      Array.from({ length: 13 }, (_, r) => Array.from(f.data.subarray(r * 5, r * 5 + 5))),
    );
    const expected = m.transpose().mmul(m).to1DArray();
    for (let i = 0; i < 25; i++) expect(out[i]).toBeCloseTo(expected[i] as number, 12);
  });
});

describe('Cholesky solve', () => {
  it('agrees with ml-matrix CholeskyDecomposition', () => {
    for (const k of [1, 2, 7, 32]) {
      const m = spd(k, k);
      const rhs = Float64Array.from({ length: k }, (_, i) => Math.sin(i + 1));
      const expected = new CholeskyDecomposition(
        new Matrix(Array.from({ length: k }, (_, i) => Array.from(m.subarray(i * k, i * k + k)))),
      )
        .solve(Matrix.columnVector(Array.from(rhs)))
        .to1DArray();
      const factor = m.slice();
      expect(choleskyInPlace(factor, k)).toBe(true);
      const x = rhs.slice();
      choleskySolveInPlace(factor, k, x);
      for (let i = 0; i < k; i++) expect(x[i]).toBeCloseTo(expected[i] as number, 10);
    }
  });

  it('reads only the lower triangle', () => {
    const k = 4;
    const m = spd(k, 3);
    const garbled = m.slice();
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) garbled[i * k + j] = 1e6;
    const a = Float64Array.of(1, 2, 3, 4);
    const b = a.slice();
    choleskyInPlace(m, k);
    choleskyInPlace(garbled, k);
    choleskySolveInPlace(m, k, a);
    choleskySolveInPlace(garbled, k, b);
    expect(b).toEqual(a);
  });

  it('reports a matrix that is not positive definite', () => {
    expect(choleskyInPlace(Float64Array.of(1, 2, 2, 1), 2)).toBe(false);
    expect(choleskyInPlace(Float64Array.of(0), 1)).toBe(false);
    expect(choleskyInPlace(Float64Array.of(1, 1, 1, 1), 2)).toBe(false);
  });
});
