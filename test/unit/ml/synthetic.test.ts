import { describe, expect, it } from 'vitest';
import { trainAls } from '../../../src/ml/als.ts';
import { logConfidence } from '../../../src/ml/confidence.ts';
import {
  holdOutByHash,
  nonEmptyRows,
  rankingMetrics,
  splitInteractions,
} from '../../../src/ml/evaluate.ts';
import { popularItemsPerUser } from '../../../src/ml/popularity.ts';
import { generateImplicit } from '../../../src/ml/synthetic.ts';
import { topN } from '../../../src/ml/topn.ts';
import { nnz } from '../../../src/sparse/csr.ts';

describe('generateImplicit', () => {
  const options = {
    users: 400,
    items: 300,
    interactions: 8000,
    communities: 5,
    noise: 0.2,
    seed: 3,
  };

  it('is reproducible from its seed and plants the communities it reports', () => {
    const a = generateImplicit(options);
    const b = generateImplicit(options);
    expect(b.interactions).toEqual(a.interactions);
    expect(b.userCommunity).toEqual(a.userCommunity);
    expect(generateImplicit({ ...options, seed: 4 }).interactions).not.toEqual(a.interactions);

    // Events on the user's own community: 1 − noise, plus the noise that lands there by chance.
    const { rowPtr, colIdx, values } = a.interactions;
    let own = 0;
    let total = 0;
    for (let u = 0; u < 400; u++) {
      for (let q = rowPtr[u] as number; q < (rowPtr[u + 1] as number); q++) {
        const events = values[q] as number;
        total += events;
        if (a.itemCommunity[colIdx[q] as number] === a.userCommunity[u]) own += events;
      }
    }
    expect(total).toBe(8000);
    expect(own / total).toBeGreaterThan(0.8);
    expect(own / total).toBeLessThan(0.9);
  });

  it('plants structure that ALS recovers and popularity does not', () => {
    const { interactions } = generateImplicit(options);
    const split = splitInteractions(interactions, holdOutByHash(0.2, 1));
    expect(nnz(split.test)).toBeGreaterThan(0);
    const users = nonEmptyRows(split.test);

    const popular = rankingMetrics(popularItemsPerUser(split.train, users, 10), users, split.test);
    const confidence = { ...split.train, values: split.train.values.slice() };
    logConfidence(confidence, 1);
    const model = trainAls(confidence, { factors: 8, regularization: 1, iterations: 10, seed: 1 });
    const als = rankingMetrics(
      topN(model.users, model.items, split.train, users, 10),
      users,
      split.test,
    );

    expect(als.recall).toBeGreaterThan(2 * popular.recall);
    expect(als.ndcg).toBeGreaterThan(2 * popular.ndcg);
    expect(als.coverage).toBeGreaterThan(popular.coverage);
  });
});
