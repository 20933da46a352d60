import { type Csr, transpose } from '../sparse/csr.ts';

/**
 * Weighted PageRank by power iteration.
 *
 * [Reference] Page, Brin, Motwani, Winograd, "The PageRank citation ranking: bringing order to
 * the web", Stanford InfoLab, 1999. The conventions are NetworkX's (`nx.pagerank` with a weight):
 * an edge passes rank in proportion to its share of its source's out-weight, a node without
 * out-edges (dangling) spreads its rank uniformly, the teleport is uniform, the iteration
 * starts from the uniform vector and stops when the L1 change of one step is below
 * n × tolerance; the result is scaled to sum to 1.
 */

export interface PageRankOptions {
  /** Probability of following an edge rather than teleporting; 0 <= damping < 1. */
  damping?: number;
  /** Per-node tolerance: converged when the L1 change of one step is below n × tolerance. */
  tolerance?: number;
  /** Steps allowed before giving up with a {@link PageRankConvergenceError}. */
  maxIterations?: number;
}

export interface PageRankResult {
  /** PageRank of each node index, summing to 1 (empty for an empty graph). */
  ranks: Float64Array;
  /** Power-iteration steps taken, the converging one included. */
  iterations: number;
  /** L1 change of the last step. */
  delta: number;
}

/**
 * Defaults. The tolerance is NetworkX's test with a tighter bound than its 1e-6: at 1e-12 the
 * ranks of the SNAP reference graphs match NetworkX's to the 1e-12 its values are rounded to,
 * where 1e-9 would leave errors near 1e-7. In exact arithmetic each step shrinks the L1 change
 * by the damping, so at 0.85 no graph needs more than about 175 steps; the cap leaves room for
 * larger damping factors.
 */
export const PAGERANK_DEFAULTS = {
  damping: 0.85,
  tolerance: 1e-12,
  maxIterations: 500,
} as const satisfies Required<PageRankOptions>;

/** The iteration cap was reached before the change of one step fell below the tolerance. */
export class PageRankConvergenceError extends Error {
  readonly code = 'pagerank_not_converged' as const;
  readonly iterations: number;
  readonly delta: number;
  readonly threshold: number;

  constructor(iterations: number, delta: number, threshold: number) {
    super(
      `PageRank did not converge in ${iterations} iterations: last L1 change ${delta} is above ` +
        `${threshold}; raise maxIterations or tolerance`,
    );
    this.name = 'PageRankConvergenceError';
    this.iterations = iterations;
    this.delta = delta;
    this.threshold = threshold;
  }
}

/**
 * The random surfer's step on one graph, prepared once and reusable for any damping.
 *
 * Memory layout: the in-edges as a transposed CSR. The sources of node v are
 * sources[inStart[v]] .. sources[inStart[v + 1] - 1], with the weights of those edges in
 * `weight` (float32, as the graph stores them), or no weight array at all when every edge
 * weighs 1. A step first scales each rank by its node's inverse out-weight, then pulls: node v
 * sums the scaled ranks of its sources and writes only itself. The per-edge stream is the
 * 4-byte source, plus the 4-byte weight on a weighted graph: this loop is bound by memory
 * traffic, and a float64 share per edge would triple it.
 */
export interface Transition {
  readonly nodes: number;
  readonly inStart: Int32Array;
  readonly sources: Int32Array;
  /** Weight of each in-edge, or null when every weight is 1. */
  readonly weight: Float32Array | null;
  /** 1 / out-weight of each node, in Float64; 0 for a dangling node. */
  readonly inverseOutWeight: Float64Array;
  /** Nodes without out-edges, whose rank is spread over every node. */
  readonly dangling: Int32Array;
}

/**
 * PageRank of every node of the weighted directed graph `out` (row u: the out-edges of u).
 *
 * @throws RangeError for a non-square matrix, out-of-range options, or an edge weight that is
 *   not positive and finite.
 * @throws PageRankConvergenceError when `maxIterations` steps do not converge.
 */
export function pagerank(out: Csr, options: PageRankOptions = {}): PageRankResult {
  checkOptions(options);
  return iteratePageRank(transitionOf(out), options);
}

/**
 * Normalises the weights of `out` and finds its dangling nodes, in O(n + m).
 *
 * @throws RangeError for a non-square matrix or a weight that is not positive and finite.
 */
export function transitionOf(out: Csr): Transition {
  if (out.nRows !== out.nCols) {
    throw new RangeError(`PageRank needs a square matrix, got ${out.nRows}×${out.nCols}`);
  }
  const n = out.nRows;
  const { rowPtr, values } = out;

  // Out-weights are summed in Float64: the float32 values are exact there, their sums are not.
  const outWeight = new Float64Array(n);
  let danglingCount = 0;
  for (let u = 0; u < n; u++) {
    let total = 0;
    for (let p = rowPtr[u] as number; p < (rowPtr[u + 1] as number); p++) {
      const weight = values[p] as number;
      if (!(weight > 0 && weight < Number.POSITIVE_INFINITY)) {
        throw new RangeError(`edge weight ${weight} at row ${u} must be positive and finite`);
      }
      total += weight;
    }
    outWeight[u] = total;
    if (total === 0) danglingCount++;
  }

  const dangling = new Int32Array(danglingCount);
  const inverseOutWeight = new Float64Array(n);
  for (let u = 0, d = 0; u < n; u++) {
    const total = outWeight[u] as number;
    if (total === 0) dangling[d++] = u;
    else inverseOutWeight[u] = 1 / total;
  }

  const into = transpose(out);
  const unweighted = into.values.every((w) => w === 1);
  return {
    nodes: n,
    inStart: into.rowPtr,
    sources: into.colIdx,
    weight: unweighted ? null : into.values,
    inverseOutWeight,
    dangling,
  };
}

/**
 * Power iteration from the uniform vector until the L1 change of one step is below
 * n × tolerance. Two rank vectors are swapped between steps; the loop allocates nothing.
 *
 * @throws RangeError for out-of-range options.
 * @throws PageRankConvergenceError when `maxIterations` steps do not converge.
 */
export function iteratePageRank(
  transition: Transition,
  options: PageRankOptions = {},
): PageRankResult {
  const { damping, tolerance, maxIterations } = checkOptions(options);
  const n = transition.nodes;
  if (n === 0) return { ranks: new Float64Array(0), iterations: 0, delta: 0 };

  let ranks = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  const scaled = new Float64Array(n);
  const threshold = n * tolerance;
  let delta = Number.POSITIVE_INFINITY;

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    delta = step(transition, damping, ranks, next, scaled);

    const previous = ranks;
    ranks = next;
    next = previous;

    if (delta < threshold) return { ranks: scaleToOne(ranks), iterations: iteration, delta };
  }

  throw new PageRankConvergenceError(maxIterations, delta, threshold);
}

/**
 * One step from `ranks` into `next` (`scaled` is scratch); returns the L1 change. A function
 * of its own so that the JIT optimises it as a whole after the first calls instead of patching
 * a running loop.
 */
function step(
  t: Transition,
  damping: number,
  ranks: Float64Array,
  next: Float64Array,
  scaled: Float64Array,
): number {
  const { nodes, inStart, sources, weight, inverseOutWeight, dangling } = t;

  // Rank that reaches every node alike: the dangling nodes' share and the teleport.
  let danglingRank = 0;
  for (let d = 0; d < dangling.length; d++) danglingRank += ranks[dangling[d] as number] as number;
  const everyone = (damping * danglingRank + (1 - damping)) / nodes;

  // What one unit of edge weight out of u carries: rank(u) / out-weight(u).
  for (let u = 0; u < nodes; u++) {
    scaled[u] = (ranks[u] as number) * (inverseOutWeight[u] as number);
  }

  let delta = 0;
  for (let v = 0; v < nodes; v++) {
    let inflow = 0;
    const end = inStart[v + 1] as number;
    if (weight === null) {
      for (let p = inStart[v] as number; p < end; p++)
        inflow += scaled[sources[p] as number] as number;
    } else {
      for (let p = inStart[v] as number; p < end; p++) {
        inflow += (scaled[sources[p] as number] as number) * (weight[p] as number);
      }
    }
    const rank = damping * inflow + everyone;
    delta += Math.abs(rank - (ranks[v] as number));
    next[v] = rank;
  }
  return delta;
}

/** The options with defaults filled in, or a RangeError naming the first bad one. */
function checkOptions(options: PageRankOptions): Required<PageRankOptions> {
  const damping = options.damping ?? PAGERANK_DEFAULTS.damping;
  const tolerance = options.tolerance ?? PAGERANK_DEFAULTS.tolerance;
  const maxIterations = options.maxIterations ?? PAGERANK_DEFAULTS.maxIterations;
  if (!(damping >= 0 && damping < 1)) {
    throw new RangeError(
      `damping ${damping} must be in [0, 1): the teleport keeps steps contracting`,
    );
  }
  if (!(tolerance > 0 && Number.isFinite(tolerance))) {
    throw new RangeError(`tolerance ${tolerance} must be a positive finite number`);
  }
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new RangeError(`maxIterations ${maxIterations} must be an integer of at least 1`);
  }
  return { damping, tolerance, maxIterations };
}

/** Divides by the sum in place; the sum drifts from 1 only by rounding. */
function scaleToOne(ranks: Float64Array): Float64Array {
  let total = 0;
  for (let i = 0; i < ranks.length; i++) total += ranks[i] as number;
  for (let i = 0; i < ranks.length; i++) ranks[i] = (ranks[i] as number) / total;
  return ranks;
}
