/**
 * Many bounded min-heaps in flat typed arrays, one per output row (a user, an item): each keeps
 * the best `n` (score, item) candidates offered to it.
 *
 * Layout: heap h occupies slots h * n .. h * n + n − 1 of `scores` and `items`, with its
 * weakest candidate at the first slot; `sizes[h]` counts its filled slots. Candidates are
 * ordered by score, then by the lower item index, so the kept set does not depend on the order
 * in which candidates arrive.
 */
export class TopHeaps {
  readonly count: number;
  readonly n: number;
  readonly scores: Float32Array;
  readonly items: Int32Array;
  readonly sizes: Int32Array;
  /**
   * The score a candidate must reach to be considered: −∞ while the heap has room, then the
   * weakest kept score. A scan compares with it first, so most candidates cost one comparison.
   */
  readonly floor: Float32Array;

  constructor(count: number, n: number) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be an integer ≥ 0, got ${n}`);
    this.count = count;
    this.n = n;
    this.scores = new Float32Array(count * n);
    this.items = new Int32Array(count * n);
    this.sizes = new Int32Array(count);
    this.floor = new Float32Array(count).fill(n > 0 ? Number.NEGATIVE_INFINITY : Number.NaN);
  }

  /** Offers a candidate; call only when score ≥ floor[heap] (anything lower is rejected). */
  offer(heap: number, candidate: number, item: number): void {
    const { n, scores, items } = this;
    // Compare at the precision that is stored, so ties are judged the same way later.
    const score = Math.fround(candidate);
    const base = heap * n;
    const size = this.sizes[heap] as number;
    if (size < n) {
      // Sift up from the new last slot.
      let at = size;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        const ps = scores[base + parent] as number;
        const pi = items[base + parent] as number;
        if (!worse(score, item, ps, pi)) break;
        scores[base + at] = ps;
        items[base + at] = pi;
        at = parent;
      }
      scores[base + at] = score;
      items[base + at] = item;
      this.sizes[heap] = size + 1;
      if (size + 1 === n) this.floor[heap] = scores[base] as number;
      return;
    }
    if (!worse(scores[base] as number, items[base] as number, score, item)) return;
    siftDown(scores, items, base, n, score, item);
    this.floor[heap] = scores[base] as number;
  }

  /**
   * Sorts every heap in place, best first, and marks empty slots with item −1 and score NaN.
   * The heaps accept no further offers after this.
   */
  finish(): { n: number; items: Int32Array; scores: Float32Array } {
    const { n, scores, items } = this;
    for (let h = 0; h < this.count; h++) {
      const base = h * n;
      const size = this.sizes[h] as number;
      // Heap sort: the weakest goes to the end each time, leaving the best at the front.
      for (let end = size - 1; end > 0; end--) {
        const score = scores[base + end] as number;
        const item = items[base + end] as number;
        scores[base + end] = scores[base] as number;
        items[base + end] = items[base] as number;
        siftDown(scores, items, base, end, score, item);
      }
      for (let slot = size; slot < n; slot++) {
        scores[base + slot] = Number.NaN;
        items[base + slot] = -1;
      }
    }
    this.floor.fill(Number.POSITIVE_INFINITY);
    return { n, items, scores };
  }
}

/** Whether candidate a ranks below candidate b. */
function worse(scoreA: number, itemA: number, scoreB: number, itemB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && itemA > itemB);
}

/** Places (score, item) at the root of the heap of `size` slots at `base` and sifts it down. */
function siftDown(
  scores: Float32Array,
  items: Int32Array,
  base: number,
  size: number,
  score: number,
  item: number,
): void {
  let at = 0;
  for (;;) {
    let child = 2 * at + 1;
    if (child >= size) break;
    let cs = scores[base + child] as number;
    let ci = items[base + child] as number;
    if (child + 1 < size) {
      const rs = scores[base + child + 1] as number;
      const ri = items[base + child + 1] as number;
      if (worse(rs, ri, cs, ci)) {
        child++;
        cs = rs;
        ci = ri;
      }
    }
    if (!worse(cs, ci, score, item)) break;
    scores[base + at] = cs;
    items[base + at] = ci;
    at = child;
  }
  scores[base + at] = score;
  items[base + at] = item;
}
