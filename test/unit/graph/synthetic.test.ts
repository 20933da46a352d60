import { describe, expect, it } from 'vitest';
import { powerLawEdges, seededRandom } from '../../../src/graph/synthetic.ts';

describe('powerLawEdges', () => {
  const options = { nodes: 2000, edges: 20_000, seed: 7 };
  const graph = powerLawEdges(options);

  it('draws exactly the requested number of distinct edges, none a self-loop', () => {
    expect(graph.src).toHaveLength(options.edges);
    const pairs = new Set<number>();
    for (let e = 0; e < options.edges; e++) {
      const src = graph.src[e] as number;
      const dst = graph.dst[e] as number;
      expect(src).not.toBe(dst);
      expect(src >= 0 && src < options.nodes && dst >= 0 && dst < options.nodes).toBe(true);
      pairs.add(src * options.nodes + dst);
    }
    expect(pairs.size).toBe(options.edges);
  });

  it('is the same for the same seed and differs for another', () => {
    expect(powerLawEdges(options)).toEqual(graph);
    expect(powerLawEdges({ ...options, seed: 8 }).dst).not.toEqual(graph.dst);
  });

  it('has a heavy in-degree tail', () => {
    // With a uniform target the largest in-degree would be near the mean of 10; a power law
    // with exponent 2.1 puts hundreds of edges on the most followed user.
    const inDegree = new Int32Array(options.nodes);
    for (const dst of graph.dst) inDegree[dst] = (inDegree[dst] as number) + 1;
    expect(Math.max(...inDegree)).toBeGreaterThan(200);
  });

  it('refuses sizes it cannot draw', () => {
    expect(() => powerLawEdges({ nodes: 3, edges: 7, seed: 1 })).toThrow(RangeError);
    expect(() => powerLawEdges({ nodes: 1, edges: 0, seed: 1 })).toThrow(RangeError);
  });
});

describe('seededRandom', () => {
  it('stays in [0, 1) with a mean near 1/2', () => {
    const random = seededRandom(123);
    let total = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = random();
      expect(u >= 0 && u < 1).toBe(true);
      total += u;
    }
    expect(Math.abs(total / 10_000 - 0.5)).toBeLessThan(0.02);
  });
});
