import type { Csr } from '../sparse/csr.ts';
import { createBlockScorer } from './block-scorer.ts';
import { checkFactors, type Factors } from './factors.ts';
import { TopHeaps } from './heap.ts';

/**
 * Ranked lists, one per requested row: row r's list is items[r * n .. r * n + n − 1], best
 * first, with scores alongside. A list shorter than n is padded with item −1 and score NaN.
 */
export interface TopN {
  readonly n: number;
  readonly items: Int32Array;
  readonly scores: Float32Array;
}

export interface ScoringOptions {
  /**
   * The compiled score-kernel.wasm (WebAssembly SIMD, several times faster); without it the
   * plain-TypeScript kernel runs. Workers instantiate only modules bundled with the Worker, so
   * the caller imports the file and passes the module in.
   */
  kernel?: WebAssembly.Module;
}

/** Users scored together: their packed factors (64 × k float32) stay in L1 across a sweep. */
export const USER_BLOCK = 64;

/**
 * Items per sweep step: their factors take about 16 KB, so a step's item rows and the packed
 * user block share L1. A multiple of 4, as the kernels work four items at a time.
 */
export function itemChunk(k: number): number {
  return Math.max(16, Math.min(512, Math.floor(4096 / k) & ~3));
}

/**
 * The n best items for each user in `userRows` by score x_uᵀy_i, never an item in the user's
 * row of `seen` (the items the user interacted with). Ties go to the lower item index.
 *
 * Users are taken in blocks of USER_BLOCK; each block is scored against the items chunk by
 * chunk, the user's seen items in the chunk are masked, and what beats the user's current n-th
 * best enters a bounded heap. Cost: 2 · users · items · k flops plus O(items) comparisons per
 * user; memory beyond the result is one block of scores (and, with the Wasm kernel, a copy of
 * the item factors).
 */
export function topN(
  users: Factors,
  items: Factors,
  seen: Csr,
  userRows: Int32Array,
  n: number,
  options: ScoringOptions = {},
): TopN {
  const { k } = users;
  checkFactors(users, 'users');
  checkFactors(items, 'items', undefined, k);
  if (seen.nRows !== users.n || seen.nCols !== items.n) {
    throw new RangeError(
      `seen is ${seen.nRows} × ${seen.nCols}, expected users × items = ${users.n} × ${items.n}`,
    );
  }
  for (let r = 0; r < userRows.length; r++) {
    const user = userRows[r] as number;
    if (user < 0 || user >= users.n) {
      throw new RangeError(`userRows[${r}] = ${user} outside 0..${users.n - 1}`);
    }
  }

  const heaps = new TopHeaps(userRows.length, n);
  if (n === 0 || items.n === 0 || userRows.length === 0) return heaps.finish();

  const chunk = itemChunk(k);
  const scorer = createBlockScorer(k, USER_BLOCK, chunk, options.kernel);
  scorer.setColumns(items);
  // Per user of the block: the next of its seen items not yet masked. Chunks go up in item
  // order and a CSR row is sorted, so each seen list is walked once per block.
  const cursor = new Int32Array(USER_BLOCK);
  const { rowPtr, colIdx } = seen;
  const { floor } = heaps;

  for (let first = 0; first < userRows.length; first += USER_BLOCK) {
    const count = Math.min(USER_BLOCK, userRows.length - first);
    scorer.setRows(users, userRows, first, count);
    for (let r = 0; r < count; r++) cursor[r] = rowPtr[userRows[first + r] as number] as number;

    for (let start = 0; start < items.n; start += chunk) {
      const width = Math.min(chunk, items.n - start);
      const stop = start + width;
      scorer.score(start, width);
      const { block, stride, rowMax } = scorer;

      for (let r = 0; r < count; r++) {
        const user = userRows[first + r] as number;
        const o = r * stride;
        const end = rowPtr[user + 1] as number;
        let q = cursor[r] as number;
        // NaN fails every comparison, so a masked score is never offered.
        for (; q < end && (colIdx[q] as number) < stop; q++) {
          block[o + (colIdx[q] as number) - start] = Number.NaN;
        }
        cursor[r] = q;

        const heap = first + r;
        let threshold = floor[heap] as number;
        if (rowMax && (rowMax[r] as number) < threshold) continue;
        for (let c = 0; c < width; c++) {
          const score = block[o + c] as number;
          if (score >= threshold) {
            heaps.offer(heap, score, start + c);
            threshold = floor[heap] as number;
          }
        }
      }
    }
  }
  return heaps.finish();
}
