import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, type SocialGraph } from '../../../src/graph/graph-builder.ts';
import {
  PageRankConvergenceError,
  type PageRankOptions,
  pagerank,
} from '../../../src/graph/pagerank.ts';
import type { Csr } from '../../../src/sparse/csr.ts';

type Edge = [src: string, dst: string, weight: number];

/**
 * The graph of `edges`, its users first introduced in the order of `users`: a self-loop
 * interns a user and is then dropped, so it adds a node and no edge.
 */
function graphOf(edges: Edge[], users: string[] = []): SocialGraph {
  const builder = new GraphBuilder();
  for (const user of users) builder.addEdge(user, user, 1);
  for (const [src, dst, weight] of edges) builder.addEdge(src, dst, weight);
  return builder.build();
}

/**
 * PageRank of each user by id. The hand-solved tests converge to 1e-14 per node: at the default
 * 1e-12 the distance left to the fixed point, up to n × tolerance × d / (1 - d), would be near
 * the 1e-12 they check.
 */
function ranksById(graph: SocialGraph, options: PageRankOptions = {}): Map<string, number> {
  const { ranks } = pagerank(graph.out, options);
  return new Map(graph.ids.ids().map((id, node) => [id, ranks[node] as number]));
}

function sum(values: Float64Array): number {
  return values.reduce((total, value) => total + value, 0);
}

describe('pagerank on graphs solved by hand', () => {
  const exact: PageRankOptions = { tolerance: 1e-14 };

  it('returns empty ranks for an empty graph', () => {
    const result = pagerank(new GraphBuilder().build().out);
    expect(result).toEqual({ ranks: new Float64Array(0), iterations: 0, delta: 0 });
  });

  it('gives a single user all the rank', () => {
    expect(Array.from(pagerank(graphOf([], ['solo']).out).ranks)).toEqual([1]);
  });

  it('splits a 2-cycle evenly', () => {
    // a→b, b→a: the two equations are the same under swapping a and b, so x_a = x_b = 1/2.
    const ranks = ranksById(
      graphOf([
        ['a', 'b', 1],
        ['b', 'a', 1],
      ]),
    );
    expect(ranks.get('a')).toBeCloseTo(0.5, 14);
    expect(ranks.get('b')).toBeCloseTo(0.5, 14);
  });

  it('ranks the centre of a star whose leaves point at it, the centre being dangling', () => {
    // Leaves l1..l3 → hub h; h has no out-edge, so its rank is spread over all 4 users.
    // d = 0.85, n = 4, leaf rank x, hub rank y, 3x + y = 1:
    //   x = (1 - d)/4 + d·y/4            = 0.0375 + 0.2125 y
    //   y = (1 - d)/4 + d·y/4 + d·3x
    // Substituting x = (1 - y)/3 in the first: (1 - y)/3 = 0.0375 + 0.2125 y, so
    //   1 - y = 0.1125 + 0.6375 y  →  y = 0.8875 / 1.6375 = 71/131, x = 20/131.
    const ranks = ranksById(
      graphOf([
        ['l1', 'h', 1],
        ['l2', 'h', 1],
        ['l3', 'h', 1],
      ]),
      exact,
    );
    expect(ranks.get('h')).toBeCloseTo(71 / 131, 12);
    for (const leaf of ['l1', 'l2', 'l3']) expect(ranks.get(leaf)).toBeCloseTo(20 / 131, 12);
  });

  it('spreads a dangling node uniformly', () => {
    // a→b only; b is dangling. n = 2, x_a + x_b = 1:
    //   x_a = (1 - d)/2 + d·x_b/2 = 0.075 + 0.425 (1 - x_a)  →  1.425 x_a = 0.5
    //   x_a = 0.5 / 1.425 = 20/57, x_b = 37/57.
    const ranks = ranksById(graphOf([['a', 'b', 1]]), exact);
    expect(ranks.get('a')).toBeCloseTo(20 / 57, 12);
    expect(ranks.get('b')).toBeCloseTo(37 / 57, 12);
  });

  it('passes rank in proportion to edge weight', () => {
    // a→b weight 3, a→c weight 1, b→a, c→a. a sends 3/4 of its rank to b and 1/4 to c.
    //   x_b = 0.05 + 0.85·(3/4)·x_a,  x_c = 0.05 + 0.85·(1/4)·x_a
    //   x_a = 0.05 + 0.85 (x_b + x_c) = 0.05 + 0.85 (0.1 + 0.85 x_a) = 0.135 + 0.7225 x_a
    //   x_a = 0.135 / 0.2775 = 18/37, x_b = (1.85 + 0.6375·18)/37 = 13.325/37,
    //   x_c = (1.85 + 0.2125·18)/37 = 5.675/37.
    // The weight-3 edge arrives as two parallel edges, which the builder sums.
    const ranks = ranksById(
      graphOf([
        ['a', 'b', 1],
        ['a', 'c', 1],
        ['b', 'a', 1],
        ['c', 'a', 1],
        ['a', 'b', 2],
      ]),
      exact,
    );
    expect(ranks.get('a')).toBeCloseTo(18 / 37, 12);
    expect(ranks.get('b')).toBeCloseTo(13.325 / 37, 12);
    expect(ranks.get('c')).toBeCloseTo(5.675 / 37, 12);
  });
});

describe('pagerank guards', () => {
  const star = graphOf([
    ['l1', 'h', 1],
    ['l2', 'h', 1],
    ['l3', 'h', 1],
  ]).out;

  it('throws a PageRankConvergenceError instead of returning an unconverged answer', () => {
    let caught: unknown;
    try {
      pagerank(star, { maxIterations: 2 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PageRankConvergenceError);
    const error = caught as PageRankConvergenceError;
    expect(error.code).toBe('pagerank_not_converged');
    expect(error.iterations).toBe(2);
    expect(error.delta).toBeGreaterThan(error.threshold);
    expect(error.threshold).toBe(4 * 1e-12);
  });

  it('converges on the same graph when the tolerance allows it', () => {
    const result = pagerank(star, { tolerance: 1e-3, maxIterations: 100 });
    expect(result.delta).toBeLessThan(4 * 1e-3);
    expect(result.iterations).toBeGreaterThan(1);
  });

  it.each([
    { damping: 1 },
    { damping: -0.1 },
    { damping: Number.NaN },
    { tolerance: 0 },
    { tolerance: Number.POSITIVE_INFINITY },
    { maxIterations: 0 },
    { maxIterations: 2.5 },
  ])('refuses options %o', (options) => {
    expect(() => pagerank(star, options)).toThrow(RangeError);
  });

  it('refuses a non-square matrix and a non-positive weight', () => {
    const wide: Csr = {
      nRows: 1,
      nCols: 2,
      rowPtr: Int32Array.from([0, 1]),
      colIdx: Int32Array.from([1]),
      values: Float32Array.from([1]),
    };
    expect(() => pagerank(wide)).toThrow(RangeError);
    const negative: Csr = {
      ...wide,
      nCols: 1,
      colIdx: Int32Array.from([0]),
      values: Float32Array.from([-1]),
    };
    expect(() => pagerank(negative)).toThrow(/positive and finite/);
  });
});

/** Random weighted edge lists over users u0..u{n-1}; self-loops included on purpose. */
const edgeLists = fc.integer({ min: 1, max: 25 }).chain((n) =>
  fc.array(
    fc.tuple(
      fc.nat(n - 1).map((i) => `u${i}`),
      fc.nat(n - 1).map((i) => `u${i}`),
      fc.double({ min: 0.01, max: 100, noNaN: true }),
    ),
    { maxLength: 80 },
  ),
);

describe('pagerank properties', () => {
  it('ranks are positive and sum to 1', () => {
    fc.assert(
      fc.property(edgeLists, (edges) => {
        const { ranks } = pagerank(graphOf(edges).out);
        if (edges.length === 0) {
          expect(ranks.length).toBe(0);
          return;
        }
        expect(Math.abs(sum(ranks) - 1)).toBeLessThan(1e-12);
        for (const rank of ranks) expect(rank).toBeGreaterThan(0);
      }),
    );
  });

  it('relabelling the users permutes the ranks', () => {
    fc.assert(
      fc.property(edgeLists, fc.integer({ min: 1, max: 1000 }), (edges, salt) => {
        // Rename every user and introduce the users in reverse order of first appearance, so
        // every dense index changes. The edges keep their order: parallel edges are summed in
        // float32, whose rounding depends on the order of the terms.
        const renamed = (id: string) => `v${(Number(id.slice(1)) * 7919 + salt) % 1009}-${id}`;
        const before = graphOf(edges);
        const users = before.ids.ids().map(renamed).reverse();
        const after = graphOf(
          edges.map(([s, d, w]) => [renamed(s), renamed(d), w]),
          users,
        );
        const beforeRanks = ranksById(before);
        const afterRanks = ranksById(after);
        for (const [id, rank] of beforeRanks) {
          expect(Math.abs((afterRanks.get(renamed(id)) as number) - rank)).toBeLessThan(1e-10);
        }
      }),
    );
  });

  it('adding a dangling user keeps the sum at 1 and lowers no one below the teleport share', () => {
    fc.assert(
      fc.property(edgeLists, (edges) => {
        const graph = graphOf([...edges, ['u0', 'newcomer', 1]]);
        const { ranks } = pagerank(graph.out);
        const n = graph.ids.size;
        expect(Math.abs(sum(ranks) - 1)).toBeLessThan(1e-12);
        // Every user receives at least the teleport (1 - d)/n.
        for (const rank of ranks) expect(rank).toBeGreaterThanOrEqual((0.15 / n) * (1 - 1e-9));
      }),
    );
  });
});
