import { CooBuilder } from '../sparse/coo.ts';
import { type Csr, csrFromCoo } from '../sparse/csr.ts';
import { hashPair } from './random.ts';
import type { TopN } from './topn.ts';

/** Decides, for a (user, item) pair, whether it is held out for testing. */
export type HoldOut = (user: number, item: number) => boolean;

/**
 * Holds out about `fraction` of the pairs, chosen by a seeded hash of (user, item): the same
 * pair is held out on every run and whatever order the pairs come in.
 */
export function holdOutByHash(fraction: number, seed = 0): HoldOut {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new RangeError(`fraction must be in [0, 1], got ${fraction}`);
  }
  const bound = fraction * 4294967296;
  return (user, item) => hashPair(user, item, seed) < bound;
}

export interface Split {
  train: Csr;
  /** Held-out pairs whose item also occurs in train; items new to the model cannot be ranked. */
  test: Csr;
}

/** Splits the pairs of a users × items CSR into train and test, both with the input's shape. */
export function splitInteractions(interactions: Csr, holdOut: HoldOut): Split {
  const { nRows, nCols, rowPtr, colIdx, values } = interactions;
  const train = new CooBuilder();
  const held = new CooBuilder();
  for (let u = 0; u < nRows; u++) {
    for (let q = rowPtr[u] as number; q < (rowPtr[u + 1] as number); q++) {
      const item = colIdx[q] as number;
      (holdOut(u, item) ? held : train).push(u, item, values[q] as number);
    }
  }

  const inTrain = new Uint8Array(nCols);
  for (let e = 0; e < train.length; e++) inTrain[train.cols[e] as number] = 1;
  const test = new CooBuilder();
  for (let e = 0; e < held.length; e++) {
    const item = held.cols[e] as number;
    if (inTrain[item] === 1) test.push(held.rows[e] as number, item, held.values[e] as number);
  }
  return { train: csrFromCoo(train, nRows, nCols), test: csrFromCoo(test, nRows, nCols) };
}

/** The rows that hold at least one entry: the users a test can score. */
export function nonEmptyRows(csr: Csr): Int32Array {
  const rows: number[] = [];
  for (let r = 0; r < csr.nRows; r++) {
    if ((csr.rowPtr[r + 1] as number) > (csr.rowPtr[r] as number)) rows.push(r);
  }
  return Int32Array.from(rows);
}

export interface RankingMetrics {
  /** Users evaluated: those of userRows with at least one held-out item. */
  users: number;
  /** Mean over users of hits in the top `cutoff` / min(cutoff, held-out items). */
  recall: number;
  /** Mean over users of binary-relevance NDCG at `cutoff`. */
  ndcg: number;
  /** Distinct items in any user's top `cutoff`, over the catalogue size. */
  coverage: number;
}

/**
 * Scores ranked lists against held-out items. Row r of `lists` belongs to user userRows[r]; only
 * its first `cutoff` entries count. `catalogSize` defaults to the number of items of `test`.
 */
export function rankingMetrics(
  lists: TopN,
  userRows: Int32Array,
  test: Csr,
  cutoff = 10,
  catalogSize = test.nCols,
): RankingMetrics {
  if (lists.items.length !== userRows.length * lists.n) {
    throw new RangeError(
      `lists hold ${lists.items.length / lists.n} rows for ${userRows.length} users`,
    );
  }
  const depth = Math.min(cutoff, lists.n);
  const listed = new Uint8Array(test.nCols);
  const { rowPtr, colIdx } = test;
  let users = 0;
  let recall = 0;
  let ndcg = 0;

  for (let r = 0; r < userRows.length; r++) {
    const user = userRows[r] as number;
    const start = rowPtr[user] as number;
    const end = rowPtr[user + 1] as number;
    for (let slot = 0; slot < depth; slot++) {
      const item = lists.items[r * lists.n + slot] as number;
      if (item >= 0) listed[item] = 1;
    }
    if (end === start) continue;

    users++;
    let hits = 0;
    let gain = 0;
    for (let slot = 0; slot < depth; slot++) {
      const item = lists.items[r * lists.n + slot] as number;
      if (item >= 0 && contains(colIdx, start, end, item)) {
        hits++;
        gain += 1 / Math.log2(slot + 2);
      }
    }
    const ideal = Math.min(cutoff, end - start);
    let idealGain = 0;
    for (let slot = 0; slot < ideal; slot++) idealGain += 1 / Math.log2(slot + 2);
    recall += hits / ideal;
    ndcg += gain / idealGain;
  }

  let distinct = 0;
  for (let i = 0; i < listed.length; i++) distinct += listed[i] as number;
  return {
    users,
    recall: users > 0 ? recall / users : 0,
    ndcg: users > 0 ? ndcg / users : 0,
    coverage: catalogSize > 0 ? distinct / catalogSize : 0,
  };
}

/** Whether the sorted run sorted[start .. end − 1] holds `value`. */
function contains(sorted: Int32Array, start: number, end: number, value: number): boolean {
  let low = start;
  let high = end;
  while (low < high) {
    const mid = (low + high) >> 1;
    const v = sorted[mid] as number;
    if (v === value) return true;
    if (v < value) low = mid + 1;
    else high = mid;
  }
  return false;
}
