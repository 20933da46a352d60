import { CooBuilder } from '../sparse/coo.ts';
import { type Csr, csrFromCoo, transpose } from '../sparse/csr.ts';
import { IdIndex } from '../sparse/id-index.ts';

/**
 * The social graph of one recompute: users as dense node indices, and their weighted
 * out-edges u→v (u follows v, or likes, comments on or shares v's content).
 *
 * `out` is square (nRows = nCols = ids.size); row u holds the users u points at, sorted, each
 * once, with the summed weight of every edge u→v that was added. It holds no self-loops.
 */
export interface SocialGraph {
  readonly ids: IdIndex;
  readonly out: Csr;
}

/**
 * Collects edges as they arrive (page by page from the store) and compresses them once into a
 * {@link SocialGraph}.
 *
 * Ids are mapped to dense indices on arrival, so the pending edges are three typed arrays, not
 * objects. A builder is spent by `build()`: the graph shares its IdIndex, which must not grow
 * behind the CSR's back.
 */
export class GraphBuilder {
  readonly #ids = new IdIndex();
  #edges: CooBuilder;
  #built = false;
  // Pages from the store come ordered by source, so the previous source is usually the next
  // one too: remembering it saves one id lookup per edge.
  #lastSrc = '';
  #lastFrom = -1;

  /** `expectedEdges` sizes the first buffers; a good guess saves the doubling copies. */
  constructor(expectedEdges = 1024) {
    this.#edges = new CooBuilder(expectedEdges);
  }

  /**
   * Adds the edge `src`→`dst`. Both users become nodes even when the edge is a self-loop, which
   * is then dropped (following yourself carries no influence). Edges between the same pair are
   * summed by `build()`.
   *
   * @throws RangeError when the weight is not a positive finite number once stored as float32
   *   (weights are kept in single precision, so 1e-50 and 1e39 are refused too).
   */
  addEdge(src: string, dst: string, weight = 1): void {
    if (this.#built) throw new Error('GraphBuilder.build() was already called; use a new builder');
    const stored = Math.fround(weight);
    if (!(stored > 0) || stored === Number.POSITIVE_INFINITY) {
      throw new RangeError(
        `edge ${src}→${dst}: weight ${weight} must be a positive finite float32 (about 1.4e-45 to 3.4e38)`,
      );
    }

    if (src !== this.#lastSrc || this.#lastFrom < 0) {
      this.#lastSrc = src;
      this.#lastFrom = this.#ids.intern(src);
    }
    const from = this.#lastFrom;
    const to = this.#ids.intern(dst);
    if (from !== to) this.#edges.push(from, to, stored);
  }

  /** Users seen so far. */
  get nodeCount(): number {
    return this.#ids.size;
  }

  /** Edges kept so far, before parallel edges are summed. */
  get pendingEdgeCount(): number {
    return this.#edges.length;
  }

  /** Compresses the edges into rows; afterwards the builder accepts nothing more. */
  build(): SocialGraph {
    if (this.#built) throw new Error('GraphBuilder.build() was already called; use a new builder');
    this.#built = true;
    const n = this.#ids.size;
    const out = csrFromCoo(this.#edges, n, n);
    // The triplets are not needed any more; let them go while the caller still holds the builder.
    this.#edges = new CooBuilder(0);
    return { ids: this.#ids, out };
  }
}

/**
 * The undirected simple graph under a directed one: u–v whenever u→v or v→u, each pair once in
 * both rows, no self-loops, every value 1. This is the graph core numbers are defined on.
 *
 * Row u of the result is the sorted union of row u of `out` and row u of its transpose, so the
 * union is a linear merge of two sorted lists and the whole construction is O(n + m).
 */
export function undirectedSimple(out: Csr): Csr {
  if (out.nRows !== out.nCols) {
    throw new RangeError(`a graph needs a square matrix, got ${out.nRows}×${out.nCols}`);
  }
  const n = out.nRows;
  const into = transpose(out);

  // Two passes over the same merge: the first counts each row, the second fills it.
  const rowPtr = new Int32Array(n + 1);
  for (let u = 0; u < n; u++)
    rowPtr[u + 1] = (rowPtr[u] as number) + mergeRow(out, into, u, null, 0);
  const colIdx = new Int32Array(rowPtr[n] as number);
  for (let u = 0; u < n; u++) mergeRow(out, into, u, colIdx, rowPtr[u] as number);

  return { nRows: n, nCols: n, rowPtr, colIdx, values: new Float32Array(colIdx.length).fill(1) };
}

/**
 * Merges the sorted neighbour lists of `u` in `a` and `b`, skipping `u` itself and repeats.
 * Writes into `target` from `at` when a target is given; returns the merged length either way.
 */
function mergeRow(a: Csr, b: Csr, u: number, target: Int32Array | null, at: number): number {
  let i = a.rowPtr[u] as number;
  const iEnd = a.rowPtr[u + 1] as number;
  let j = b.rowPtr[u] as number;
  const jEnd = b.rowPtr[u + 1] as number;
  let count = 0;

  while (i < iEnd || j < jEnd) {
    const fromA = i < iEnd ? (a.colIdx[i] as number) : Number.MAX_SAFE_INTEGER;
    const fromB = j < jEnd ? (b.colIdx[j] as number) : Number.MAX_SAFE_INTEGER;
    const v = Math.min(fromA, fromB);
    if (fromA === v) i++;
    if (fromB === v) j++;
    if (v === u) continue;
    if (target !== null) target[at + count] = v;
    count++;
  }
  return count;
}
