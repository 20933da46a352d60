import { describe, expect, it } from 'vitest';
import { linearConfidence, logConfidence } from '../../../src/ml/confidence.ts';
import { csrOf } from './helpers.ts';

describe('confidence', () => {
  it('maps weights linearly: c = 1 + αw', () => {
    const csr = csrOf(2, 2, [
      [0, 0, 0],
      [1, 1, 3],
    ]);
    linearConfidence(csr, 40);
    expect(Array.from(csr.values)).toEqual([1, 121]);
  });

  it('maps weights logarithmically: c = 1 + α ln(1 + w/ε)', () => {
    const csr = csrOf(1, 3, [
      [0, 0, 0],
      [0, 1, Math.E - 1],
      [0, 2, 9],
    ]);
    logConfidence(csr, 2, 3);
    expect(csr.values[0]).toBe(1);
    expect(csr.values[1]).toBeCloseTo(1 + 2 * Math.log(1 + (Math.E - 1) / 3), 6);
    expect(csr.values[2]).toBeCloseTo(1 + 2 * Math.log(4), 6);
  });

  it('refuses a negative weight and a bad α or ε', () => {
    expect(() => linearConfidence(csrOf(1, 1, [[0, 0, -1]]), 1)).toThrow(RangeError);
    expect(() => logConfidence(csrOf(1, 1, [[0, 0, 1]]), Number.NaN)).toThrow(RangeError);
    expect(() => logConfidence(csrOf(1, 1, [[0, 0, 1]]), 1, 0)).toThrow(RangeError);
  });
});
