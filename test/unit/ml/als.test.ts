import { describe, expect, it } from 'vitest';
import { alsHalfStep, alsLoss, trainAls } from '../../../src/ml/als.ts';
import { logConfidence } from '../../../src/ml/confidence.ts';
import { randomFactors } from '../../../src/ml/factors.ts';
import { transpose } from '../../../src/sparse/csr.ts';
import { copyFactors, csrOf, dot, randomCsr, uniformFactors } from './helpers.ts';

// float32 storage of the factors perturbs the loss by a few units in the 24th bit.
const FLOAT32_SLACK = 64 * 2 ** -23;

describe('alsLoss', () => {
  it('equals the sum over every user-item pair', () => {
    const confidence = randomCsr(7, 9, 0.3, 1);
    const users = uniformFactors(7, 3, 2);
    const items = uniformFactors(9, 3, 3);
    const lambda = 0.7;
    let expected = 0;
    for (let u = 0; u < 7; u++) {
      for (let i = 0; i < 9; i++) {
        let c = 1;
        let p = 0;
        for (
          let q = confidence.rowPtr[u] as number;
          q < (confidence.rowPtr[u + 1] as number);
          q++
        ) {
          if (confidence.colIdx[q] === i) {
            c = confidence.values[q] as number;
            p = 1;
          }
        }
        expected += c * (p - dot(users, u, items, i)) ** 2;
      }
    }
    for (const v of users.data) expected += lambda * v * v;
    for (const v of items.data) expected += lambda * v * v;
    expect(alsLoss(confidence, users, items, lambda)).toBeCloseTo(expected, 9);
  });
});

describe('trainAls', () => {
  const confidence = randomCsr(60, 40, 0.1, 7);
  logConfidence(confidence, 2);

  for (const solver of ['cg', 'exact'] as const) {
    it(`never increases the loss, iteration by iteration (${solver})`, () => {
      const model = trainAls(confidence, {
        factors: 6,
        regularization: 0.5,
        iterations: 12,
        solver,
        trackLoss: true,
      });
      const losses = model.lossHistory;
      expect(losses).toHaveLength(13);
      for (let t = 1; t < losses.length; t++) {
        const previous = losses[t - 1] as number;
        expect(losses[t]).toBeLessThanOrEqual(previous * (1 + FLOAT32_SLACK));
      }
      expect(losses[12]).toBeLessThan((losses[0] as number) * 0.9);
    });
  }

  it('never increases the loss, half-step by half-step, with a single CG step', () => {
    const byItem = transpose(confidence);
    const users = randomFactors(60, 5, 1);
    const items = randomFactors(40, 5, 2);
    const options = { regularization: 0.1, cgSteps: 1 };
    let previous = alsLoss(confidence, users, items, 0.1);
    for (let half = 0; half < 20; half++) {
      if (half % 2 === 0) alsHalfStep(confidence, items, users, options);
      else alsHalfStep(byItem, users, items, options);
      const loss = alsLoss(confidence, users, items, 0.1);
      expect(loss).toBeLessThanOrEqual(previous * (1 + FLOAT32_SLACK));
      previous = loss;
    }
  });

  it('solves k = 1 in closed form', () => {
    // Items y = (1, 2, 0.5); the user saw item 0 with confidence 3 and item 2 with 2; λ = 1.
    // x = Σ c_i y_i / (Σ_all y_i² + λ + Σ_seen (c_i − 1) y_i²) = (3 + 1) / (5.25 + 1 + 2.25).
    const confidence = csrOf(1, 3, [
      [0, 0, 3],
      [0, 2, 2],
    ]);
    const items = { n: 1, k: 1, data: Float32Array.of(1, 2, 0.5) };
    const fixed = { n: 3, k: 1, data: items.data };
    for (const solver of ['cg', 'exact'] as const) {
      const users = { n: 1, k: 1, data: Float32Array.of(0.3) };
      alsHalfStep(confidence, fixed, users, { regularization: 1, solver });
      expect(users.data[0]).toBeCloseTo(4 / 8.5, 6);
    }
  });

  it('agrees with the exact solve when CG runs k steps', () => {
    const k = 8;
    const items = uniformFactors(40, k, 5);
    const start = uniformFactors(60, k, 6);
    const exact = copyFactors(start);
    const cg = copyFactors(start);
    alsHalfStep(confidence, items, exact, { regularization: 0.3, solver: 'exact' });
    alsHalfStep(confidence, items, cg, { regularization: 0.3, solver: 'cg', cgSteps: k });
    let scale = 0;
    for (const v of exact.data) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < exact.data.length; i++) {
      expect(Math.abs((cg.data[i] as number) - (exact.data[i] as number))).toBeLessThan(
        1e-4 * scale,
      );
    }
  });

  it('is deterministic for a seed and continues from supplied factors in place', () => {
    const options = { factors: 4, regularization: 1, iterations: 3, seed: 9 };
    const a = trainAls(confidence, options);
    const b = trainAls(confidence, options);
    expect(b.users.data).toEqual(a.users.data);
    expect(b.items.data).toEqual(a.items.data);

    const users = copyFactors(a.users);
    const items = copyFactors(a.items);
    const warm = trainAls(
      confidence,
      { ...options, iterations: 1, trackLoss: true },
      { users, items },
    );
    expect(warm.users).toBe(users);
    expect(warm.items).toBe(items);
    expect(warm.lossHistory[0]).toBeCloseTo(alsLoss(confidence, a.users, a.items, 1), 9);
    expect(warm.lossHistory[1]).toBeLessThanOrEqual(
      (warm.lossHistory[0] as number) * (1 + FLOAT32_SLACK),
    );
  });

  it('refuses factors of the wrong shape and negative confidences', () => {
    const options = { factors: 4, regularization: 1, iterations: 1 };
    expect(() => trainAls(confidence, options, { users: randomFactors(59, 4, 1) })).toThrow(
      RangeError,
    );
    expect(() => trainAls(confidence, options, { items: randomFactors(40, 3, 1) })).toThrow(
      RangeError,
    );
    expect(() => trainAls(confidence, { ...options, factors: 0 })).toThrow(RangeError);
    expect(() => trainAls(confidence, { ...options, regularization: -1 })).toThrow(RangeError);
    const negative = csrOf(1, 1, [[0, 0, -2]]);
    expect(() => trainAls(negative, options)).toThrow(RangeError);
  });

  it('gives a user with no interactions the zero vector under the exact solve', () => {
    const sparse = csrOf(2, 3, [[0, 1, 4]]);
    const model = trainAls(sparse, {
      factors: 2,
      regularization: 1,
      iterations: 2,
      solver: 'exact',
    });
    expect(Array.from(model.users.data.subarray(2, 4))).toEqual([0, 0]);
  });
});
