import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/graph/graph-builder.ts';
import { InfluenceRanking, rankInfluence } from '../../../src/graph/influence.ts';

describe('InfluenceRanking', () => {
  // Leaves l1..l3 follow the hub h (a star solved in pagerank.test.ts: h 71/131, leaves
  // 20/131 each); x follows l1, which lifts l1 above l2 and l3 and leaves x at the teleport.
  const builder = new GraphBuilder();
  for (const leaf of ['l3', 'l2', 'l1']) builder.addEdge(leaf, 'h', 1);
  builder.addEdge('x', 'l1', 1);
  const ranking = rankInfluence(builder.build());

  it('orders users by PageRank, ties broken by userId', () => {
    expect(ranking.top(10).map((entry) => entry.userId)).toEqual(['h', 'l1', 'l2', 'l3', 'x']);
    expect(ranking.top(10).map((entry) => entry.rank)).toEqual([1, 2, 3, 4, 5]);
  });

  it('reports nodes, edges and iterations of the graph', () => {
    expect(ranking.nodes).toBe(5);
    expect(ranking.edges).toBe(4);
    expect(ranking.iterations).toBeGreaterThan(0);
  });

  it('cuts the top list at the limit and at the graph size', () => {
    expect(ranking.top(2)).toHaveLength(2);
    expect(ranking.top(0)).toEqual([]);
    expect(ranking.top(-3)).toEqual([]);
  });

  it('looks a user up with the same entry as the top list', () => {
    const [first] = ranking.top(1);
    expect(ranking.lookup('h')).toEqual(first);
    // The star is a tree once undirected: every user is in the 1-core.
    expect(ranking.lookup('x')).toMatchObject({ userId: 'x', rank: 5, core: 1 });
    expect(ranking.lookup('nobody')).toBeUndefined();
  });

  it('gives PageRanks that sum to 1 over the whole list', () => {
    const total = ranking.top(ranking.nodes).reduce((sum, entry) => sum + entry.pagerank, 0);
    expect(total).toBeCloseTo(1, 12);
  });

  it('refuses scores of another graph', () => {
    const graph = new GraphBuilder().build();
    const scores = { pagerank: new Float64Array(1), core: new Int32Array(1), iterations: 1 };
    expect(() => new InfluenceRanking(graph, scores)).toThrow(RangeError);
  });

  it('ranks an empty graph as empty', () => {
    const empty = rankInfluence(new GraphBuilder().build());
    expect(empty.top(10)).toEqual([]);
    expect(empty.lookup('anyone')).toBeUndefined();
  });
});
