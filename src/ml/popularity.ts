import type { Csr } from '../sparse/csr.ts';
import { TopHeaps } from './heap.ts';
import { type TopN, topN } from './topn.ts';

/**
 * How an item's popularity is measured: the sum of its (decayed) weights over users, or the
 * number of users who interacted with it.
 */
export type PopularityMeasure = 'weight' | 'users';

/** Popularity of every item (column) of a users × items CSR of weights. */
export function itemPopularity(
  interactions: Csr,
  measure: PopularityMeasure = 'weight',
): Float64Array {
  if (measure !== 'weight' && measure !== 'users') {
    throw new TypeError(`measure must be 'weight' or 'users', got ${String(measure)}`);
  }
  const popularity = new Float64Array(interactions.nCols);
  const { colIdx, values } = interactions;
  const end = interactions.rowPtr[interactions.nRows] ?? 0;
  for (let q = 0; q < end; q++) {
    const item = colIdx[q] as number;
    popularity[item] =
      (popularity[item] as number) + (measure === 'weight' ? (values[q] as number) : 1);
  }
  return popularity;
}

/**
 * The n most popular items, most popular first (ties to the lower index): the list shown to a
 * user the model has not seen. Items with popularity 0 are never listed. One row of TopN.
 */
export function popularItems(
  interactions: Csr,
  n: number,
  measure: PopularityMeasure = 'weight',
): TopN {
  const popularity = itemPopularity(interactions, measure);
  const heaps = new TopHeaps(1, n);
  const { floor } = heaps;
  for (let item = 0; item < popularity.length; item++) {
    // Rounded as the heap stores it, so the comparison with its floor is exact.
    const score = Math.fround(popularity[item] as number);
    if (score > 0 && score >= (floor[0] as number)) heaps.offer(0, score, item);
  }
  return heaps.finish();
}

/**
 * Popularity ranking per user with the user's seen items excluded: the baseline that the
 * evaluation compares ALS with. It runs through topN with one factor (1 for every user, the
 * popularity for every item), so exclusion and tie-breaking are exactly those of ALS lists.
 */
export function popularItemsPerUser(
  interactions: Csr,
  userRows: Int32Array,
  n: number,
  measure: PopularityMeasure = 'weight',
): TopN {
  const popularity = itemPopularity(interactions, measure);
  const users = { n: interactions.nRows, k: 1, data: new Float32Array(interactions.nRows).fill(1) };
  const items = { n: interactions.nCols, k: 1, data: Float32Array.from(popularity) };
  return topN(users, items, interactions, userRows, n);
}
