import { describe, expect, it } from 'vitest';
import { itemPopularity, popularItems, popularItemsPerUser } from '../../../src/ml/popularity.ts';
import { csrOf } from './helpers.ts';

describe('popularity', () => {
  // Item 0: weights 5 from one user. Item 1: 1 + 1 + 1 from three. Item 2: 2 + 2 from two.
  // Item 3: nobody.
  const interactions = csrOf(3, 4, [
    [0, 0, 5],
    [0, 1, 1],
    [1, 1, 1],
    [2, 1, 1],
    [1, 2, 2],
    [2, 2, 2],
  ]);

  it('sums weights or counts users per item', () => {
    expect(Array.from(itemPopularity(interactions))).toEqual([5, 3, 4, 0]);
    expect(Array.from(itemPopularity(interactions, 'users'))).toEqual([1, 3, 2, 0]);
  });

  it('lists the most popular first and never an item nobody touched', () => {
    const byWeight = popularItems(interactions, 4);
    expect(Array.from(byWeight.items)).toEqual([0, 2, 1, -1]);
    expect(Array.from(byWeight.scores.subarray(0, 3))).toEqual([5, 4, 3]);
    expect(Array.from(popularItems(interactions, 2, 'users').items)).toEqual([1, 2]);
  });

  it('excludes each user’s own items when ranking per user', () => {
    const lists = popularItemsPerUser(interactions, Int32Array.of(0, 1), 2, 'users');
    expect(Array.from(lists.items)).toEqual([2, 3, 0, 3]);
  });
});
