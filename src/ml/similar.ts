import { createBlockScorer } from './block-scorer.ts';
import { checkFactors, type Factors } from './factors.ts';
import { TopHeaps } from './heap.ts';
import { itemChunk, type ScoringOptions, type TopN, USER_BLOCK } from './topn.ts';

/**
 * The n items most similar to each item by cosine of their factor rows, the item itself
 * excluded; for all items, or for the items in `itemRows` only (rows of the result follow it).
 *
 * Rows are normalised once, so a cosine is a dot product through the same kernel as top-N, and
 * sim(a, b) and sim(b, a) are the same float32 value. A zero row has similarity 0 to everything.
 *
 * For all items the matrix is swept in square tiles on and above the diagonal only: each pair
 * is scored once and offered to both of its items, halving the work to items² · k flops.
 */
export function similarItems(
  items: Factors,
  n: number,
  itemRows?: Int32Array,
  options: ScoringOptions = {},
): TopN {
  checkFactors(items, 'items');
  if (itemRows) {
    for (let r = 0; r < itemRows.length; r++) {
      const item = itemRows[r] as number;
      if (item < 0 || item >= items.n) {
        throw new RangeError(`itemRows[${r}] = ${item} outside 0..${items.n - 1}`);
      }
    }
  }
  const unit = normalizedRows(items);
  return itemRows
    ? similarForRows(unit, n, itemRows, options.kernel)
    : similarForAll(unit, n, options.kernel);
}

function normalizedRows(items: Factors): Factors {
  const { n, k, data } = items;
  const unit = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    const base = r * k;
    let norm = 0;
    for (let f = 0; f < k; f++) norm += (data[base + f] as number) ** 2;
    if (norm === 0) continue;
    const scale = 1 / Math.sqrt(norm);
    for (let f = 0; f < k; f++) unit[base + f] = (data[base + f] as number) * scale;
  }
  return { n, k, data: unit };
}

function similarForAll(unit: Factors, n: number, kernel?: WebAssembly.Module): TopN {
  const heaps = new TopHeaps(unit.n, n);
  if (n === 0 || unit.n === 0) return heaps.finish();
  const { floor } = heaps;
  const tile = itemChunk(unit.k);
  const scorer = createBlockScorer(unit.k, tile, tile, kernel);
  scorer.setColumns(unit);

  for (let rowStart = 0; rowStart < unit.n; rowStart += tile) {
    const height = Math.min(tile, unit.n - rowStart);
    scorer.setRows(unit, undefined, rowStart, height);
    for (let colStart = rowStart; colStart < unit.n; colStart += tile) {
      const width = Math.min(tile, unit.n - colStart);
      scorer.score(colStart, width);
      const { block, stride } = scorer;

      for (let r = 0; r < height; r++) {
        const a = rowStart + r;
        const o = r * stride;
        // On a diagonal tile only the pairs above the diagonal are new.
        const from = colStart === rowStart ? r + 1 : 0;
        for (let c = from; c < width; c++) {
          const score = block[o + c] as number;
          const b = colStart + c;
          if (score >= (floor[a] as number)) heaps.offer(a, score, b);
          if (score >= (floor[b] as number)) heaps.offer(b, score, a);
        }
      }
    }
  }
  return heaps.finish();
}

function similarForRows(
  unit: Factors,
  n: number,
  itemRows: Int32Array,
  kernel?: WebAssembly.Module,
): TopN {
  const heaps = new TopHeaps(itemRows.length, n);
  if (n === 0 || itemRows.length === 0) return heaps.finish();
  const { floor } = heaps;
  const chunk = itemChunk(unit.k);
  const scorer = createBlockScorer(unit.k, USER_BLOCK, chunk, kernel);
  scorer.setColumns(unit);

  for (let first = 0; first < itemRows.length; first += USER_BLOCK) {
    const count = Math.min(USER_BLOCK, itemRows.length - first);
    scorer.setRows(unit, itemRows, first, count);
    for (let start = 0; start < unit.n; start += chunk) {
      const width = Math.min(chunk, unit.n - start);
      scorer.score(start, width);
      const { block, stride, rowMax } = scorer;
      for (let r = 0; r < count; r++) {
        const heap = first + r;
        // The item itself counts in the maximum, which only makes the skip rarer.
        if (rowMax && (rowMax[r] as number) < (floor[heap] as number)) continue;
        const o = r * stride;
        const self = (itemRows[first + r] as number) - start;
        if (self >= 0 && self < width) block[o + self] = Number.NaN;
        for (let c = 0; c < width; c++) {
          const score = block[o + c] as number;
          if (score >= (floor[heap] as number)) heaps.offer(heap, score, start + c);
        }
      }
    }
  }
  return heaps.finish();
}
