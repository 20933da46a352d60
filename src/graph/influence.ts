import { nnz } from '../sparse/csr.ts';
import { coreNumbers } from './cores.ts';
import { type SocialGraph, undirectedSimple } from './graph-builder.ts';
import { type PageRankOptions, pagerank } from './pagerank.ts';

/** One user's influence, as the API publishes it. */
export interface InfluenceEntry {
  userId: string;
  /** 1-based position by PageRank, highest first; ties go to the smaller userId. */
  rank: number;
  pagerank: number;
  core: number;
}

/** Scores of every node of a graph, indexed by node. */
export interface InfluenceScores {
  pagerank: Float64Array;
  core: Int32Array;
  /** Power-iteration steps PageRank took. */
  iterations: number;
}

/** PageRank and core numbers of `graph`, ranked: the whole influence computation. */
export function rankInfluence(
  graph: SocialGraph,
  pagerankOptions: PageRankOptions = {},
): InfluenceRanking {
  const { ranks, iterations } = pagerank(graph.out, pagerankOptions);
  const core = coreNumbers(undirectedSimple(graph.out));
  return new InfluenceRanking(graph, { pagerank: ranks, core, iterations });
}

/**
 * PageRank and core number of every user of one graph, ordered by PageRank.
 *
 * The scores stay in typed arrays indexed by node; entries are made only for the users asked
 * for, so a graph of a hundred thousand users costs a few arrays, not a hundred thousand
 * objects.
 */
export class InfluenceRanking {
  /** Users in the graph. */
  readonly nodes: number;
  /** Distinct directed edges of the graph. */
  readonly edges: number;
  /** Power-iteration steps PageRank took. */
  readonly iterations: number;
  readonly #graph: SocialGraph;
  readonly #pagerank: Float64Array;
  readonly #core: Int32Array;
  /** Node indices, highest PageRank first. */
  readonly #order: Int32Array;
  /** 0-based position of each node in `#order`. */
  readonly #position: Int32Array;

  /** Orders the nodes of `graph` by `scores.pagerank`; both score arrays are kept, not copied. */
  constructor(graph: SocialGraph, scores: InfluenceScores) {
    const n = graph.out.nRows;
    if (scores.pagerank.length !== n || scores.core.length !== n) {
      throw new RangeError(`scores cover ${scores.pagerank.length} nodes, the graph has ${n}`);
    }
    const ranks = scores.pagerank;
    this.#graph = graph;
    this.#pagerank = ranks;
    this.#core = scores.core;
    this.nodes = n;
    this.edges = nnz(graph.out);
    this.iterations = scores.iterations;

    const ids = graph.ids.ids();
    const order = Int32Array.from({ length: this.nodes }, (_, node) => node);
    order.sort((a, b) => {
      const byRank = (ranks[b] as number) - (ranks[a] as number);
      if (byRank !== 0) return byRank;
      return (ids[a] as string) < (ids[b] as string) ? -1 : 1;
    });
    this.#order = order;
    this.#position = new Int32Array(this.nodes);
    for (let at = 0; at < order.length; at++) this.#position[order[at] as number] = at;
  }

  /** The `limit` most influential users, highest PageRank first. */
  top(limit: number): InfluenceEntry[] {
    const count = Math.max(0, Math.min(limit, this.nodes));
    const entries: InfluenceEntry[] = [];
    for (let at = 0; at < count; at++) entries.push(this.#entry(this.#order[at] as number));
    return entries;
  }

  /** The influence of `userId`, or undefined when the user is not in the graph. */
  lookup(userId: string): InfluenceEntry | undefined {
    const node = this.#graph.ids.indexOf(userId);
    return node < 0 ? undefined : this.#entry(node);
  }

  #entry(node: number): InfluenceEntry {
    return {
      userId: this.#graph.ids.idAt(node),
      rank: (this.#position[node] as number) + 1,
      pagerank: this.#pagerank[node] as number,
      core: this.#core[node] as number,
    };
  }
}
