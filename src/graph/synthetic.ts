/**
 * Seeded, deterministic directed graphs whose in- and out-degrees follow power laws, for
 * benchmarks and tests at sizes no real data set on hand reaches.
 *
 * The model is a directed Chung–Lu graph: node i (in some shuffled order) has weight
 * (i + 1)^(-1 / (gamma - 1)), which gives a degree tail of exponent gamma; an edge picks its
 * source in proportion to the out-weights and its target in proportion to the in-weights.
 * Self-loops and repeated pairs are drawn again, so the result is a simple digraph with exactly
 * the requested number of edges.
 */

export interface PowerLawOptions {
  nodes: number;
  edges: number;
  seed: number;
  /** Exponent of the in-degree tail; 2.1 is typical of follower counts. */
  inExponent?: number;
  /** Exponent of the out-degree tail; following is less skewed than being followed. */
  outExponent?: number;
}

/** Edge e is src[e]→dst[e], node indices in 0..nodes-1, in the order they were drawn. */
export interface EdgeList {
  nodes: number;
  src: Int32Array;
  dst: Int32Array;
}

/** Draws per edge before the generator gives up (only reachable on near-complete graphs). */
const MAX_DRAWS_PER_EDGE = 50;

/** A simple directed graph with power-law degrees; the same options give the same edges. */
export function powerLawEdges(options: PowerLawOptions): EdgeList {
  const { nodes, edges, seed } = options;
  if (!(Number.isInteger(nodes) && nodes >= 2)) {
    throw new RangeError(`nodes ${nodes} must be an integer of at least 2`);
  }
  if (!(Number.isInteger(edges) && edges >= 0 && edges <= nodes * (nodes - 1))) {
    throw new RangeError(`edges ${edges} must be an integer in 0..nodes × (nodes - 1)`);
  }

  const random = seededRandom(seed);
  const pickSource = powerLawSampler(nodes, options.outExponent ?? 2.5, shuffled(nodes, random));
  const pickTarget = powerLawSampler(nodes, options.inExponent ?? 2.1, shuffled(nodes, random));
  const seen = new PairSet(edges);
  const src = new Int32Array(edges);
  const dst = new Int32Array(edges);

  let kept = 0;
  for (let draws = 0; kept < edges; draws++) {
    if (draws >= edges * MAX_DRAWS_PER_EDGE) {
      throw new RangeError(`could not draw ${edges} distinct edges on ${nodes} nodes`);
    }
    const from = pickSource(random());
    const to = pickTarget(random());
    if (from === to || !seen.add(from * nodes + to)) continue;
    src[kept] = from;
    dst[kept] = to;
    kept++;
  }
  return { nodes, src, dst };
}

/**
 * Uniform numbers in [0, 1) from a 32-bit seed: a Weyl sequence (adding the golden-ratio
 * constant) passed through the MurmurHash3 finaliser, which is enough mixing for sampling.
 */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 4294967296;
  };
}

/** A random permutation of 0..n-1 (Fisher–Yates). */
function shuffled(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order;
}

/**
 * Maps a uniform u to a node drawn with probability proportional to (rank + 1)^(-a), where
 * a = 1 / (gamma - 1) and `nodeAtRank` scatters the heavy ranks over the index range. The
 * continuous inverse CDF of x^(-a) on [1, n + 1) stands in for the discrete one: O(1) a draw,
 * and the same tail.
 */
function powerLawSampler(n: number, gamma: number, nodeAtRank: Int32Array): (u: number) => number {
  if (!(gamma > 2)) throw new RangeError(`exponent ${gamma} must be above 2`);
  const lift = 1 - 1 / (gamma - 1);
  const low = 1;
  const high = (n + 1) ** lift;
  return (u) => {
    const x = (low + u * (high - low)) ** (1 / lift);
    const rank = Math.min(n - 1, Math.floor(x) - 1);
    return nodeAtRank[rank] as number;
  };
}

/**
 * A set of non-negative integer keys below 2^53 by open addressing on a Float64Array (-1 marks
 * a free slot), sized once for `expected` keys at a load under one half.
 */
class PairSet {
  readonly #slots: Float64Array;
  readonly #mask: number;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.#slots = new Float64Array(capacity).fill(-1);
    this.#mask = capacity - 1;
  }

  /** Adds `key`; false when it was already there. */
  add(key: number): boolean {
    const high = Math.floor(key / 4294967296);
    let slot = Math.imul(key | 0, 0x9e3779b1) ^ Math.imul(high, 0x85ebca6b);
    slot = (slot ^ (slot >>> 15)) & this.#mask;
    for (;;) {
      const held = this.#slots[slot] as number;
      if (held === key) return false;
      if (held === -1) {
        this.#slots[slot] = key;
        return true;
      }
      slot = (slot + 1) & this.#mask;
    }
  }
}
