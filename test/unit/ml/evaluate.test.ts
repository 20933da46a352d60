import { describe, expect, it } from 'vitest';
import {
  holdOutByHash,
  nonEmptyRows,
  rankingMetrics,
  splitInteractions,
} from '../../../src/ml/evaluate.ts';
import { nnz } from '../../../src/sparse/csr.ts';
import { csrOf, randomCsr, rowColumns } from './helpers.ts';

describe('splitInteractions', () => {
  it('splits deterministically into disjoint parts and drops items absent from train', () => {
    const all = randomCsr(50, 40, 0.2, 1);
    const holdOut = holdOutByHash(0.25, 5);
    const { train, test } = splitInteractions(all, holdOut);
    expect(splitInteractions(all, holdOutByHash(0.25, 5)).test).toEqual(test);

    const trainItems = new Set(train.colIdx);
    let dropped = 0;
    for (let u = 0; u < 50; u++) {
      const trained = new Set(rowColumns(train, u));
      const held = new Set(rowColumns(test, u));
      for (const item of rowColumns(all, u)) {
        const out = holdOut(u, item);
        expect(trained.has(item)).toBe(!out);
        if (out && !trainItems.has(item)) dropped++;
        else expect(held.has(item)).toBe(out);
      }
    }
    expect(nnz(train) + nnz(test) + dropped).toBe(nnz(all));
    expect(nnz(test) / nnz(all)).toBeGreaterThan(0.15);
    expect(nnz(test) / nnz(all)).toBeLessThan(0.35);
  });

  it('drops a held-out item nobody has in train', () => {
    const all = csrOf(2, 3, [
      [0, 0, 1],
      [0, 2, 1],
      [1, 0, 1],
    ]);
    const { test } = splitInteractions(all, (_, item) => item === 2 || item === 0);
    expect(nnz(test)).toBe(0);
  });
});

describe('rankingMetrics', () => {
  it('computes Recall@k, binary NDCG@k and coverage by hand', () => {
    // User 0 holds out items {1, 4}; user 1 holds out {0, 2, 3}; user 2 holds out nothing.
    const test = csrOf(3, 10, [
      [0, 1, 1],
      [0, 4, 1],
      [1, 0, 1],
      [1, 2, 1],
      [1, 3, 1],
    ]);
    const lists = {
      n: 3,
      items: Int32Array.of(4, 7, 1, 5, 2, -1, 9, 8, 6),
      scores: new Float32Array(9),
    };
    const rows = Int32Array.of(0, 1, 2);
    const m = rankingMetrics(lists, rows, test, 3);
    // User 0: hits at ranks 1 and 3 of min(3, 2) = 2 held out. User 1: a hit at rank 2 of 3.
    const dcg0 = 1 + 1 / Math.log2(4);
    const idcg0 = 1 + 1 / Math.log2(3);
    const dcg1 = 1 / Math.log2(3);
    const idcg1 = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(m.users).toBe(2);
    expect(m.recall).toBeCloseTo((2 / 2 + 1 / 3) / 2, 12);
    expect(m.ndcg).toBeCloseTo((dcg0 / idcg0 + dcg1 / idcg1) / 2, 12);
    // Listed: 4, 7, 1, 5, 2, 9, 8, 6 of 10 items.
    expect(m.coverage).toBeCloseTo(0.8, 12);
    expect(nonEmptyRows(test)).toEqual(Int32Array.of(0, 1));
  });
});
