import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreNumbers } from '../../../src/graph/cores.ts';
import { GraphBuilder, undirectedSimple } from '../../../src/graph/graph-builder.ts';
import type { Csr } from '../../../src/sparse/csr.ts';

/** Core number of each user by id, from edges read as undirected. */
function coresOf(edges: [string, string][], users: string[] = []): Map<string, number> {
  const builder = new GraphBuilder();
  for (const user of users) builder.addEdge(user, user, 1);
  for (const [a, b] of edges) builder.addEdge(a, b, 1);
  const { ids, out } = builder.build();
  const cores = coreNumbers(undirectedSimple(out));
  return new Map(ids.ids().map((id, node) => [id, cores[node] as number]));
}

/**
 * Core numbers straight from the definition, in O(n² · max core): for k = 1, 2, ..., delete
 * nodes of degree below k until none is left; whoever survives is in the k-core.
 */
function coresByDefinition(graph: Csr): number[] {
  const n = graph.nRows;
  const core = new Array<number>(n).fill(0);
  for (let k = 1; ; k++) {
    const alive = core.map((c) => c >= k - 1);
    for (let changed = true; changed; ) {
      changed = false;
      for (let v = 0; v < n; v++) {
        if (!alive[v]) continue;
        let degree = 0;
        for (let p = graph.rowPtr[v] as number; p < (graph.rowPtr[v + 1] as number); p++) {
          if (alive[graph.colIdx[p] as number]) degree++;
        }
        if (degree < k) {
          alive[v] = false;
          changed = true;
        }
      }
    }
    if (!alive.includes(true)) return core;
    for (let v = 0; v < n; v++) if (alive[v]) core[v] = k;
  }
}

describe('coreNumbers on graphs solved by hand', () => {
  it('gives a triangle 2 and its tail 1', () => {
    // a-b-c is a triangle (each has 2 neighbours inside it: the 2-core); c-d-e is a tail, whose
    // end e has degree 1 and, once peeled, leaves d with degree 1: both are in the 1-core only.
    const cores = coresOf([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
      ['c', 'd'],
      ['d', 'e'],
    ]);
    expect(Object.fromEntries(cores)).toEqual({ a: 2, b: 2, c: 2, d: 1, e: 1 });
  });

  it('gives every node of the clique K4 core 3', () => {
    // Every node has the 3 others as neighbours, and no subgraph asks for more.
    const users = ['a', 'b', 'c', 'd'];
    const edges: [string, string][] = [];
    for (const a of users) for (const b of users) if (a < b) edges.push([a, b]);
    expect([...coresOf(edges).values()]).toEqual([3, 3, 3, 3]);
  });

  it('gives a path 1 and an isolated user 0', () => {
    // Peeling a path from its ends never finds a degree above 1.
    const cores = coresOf(
      [
        ['p1', 'p2'],
        ['p2', 'p3'],
        ['p3', 'p4'],
      ],
      ['alone'],
    );
    expect(Object.fromEntries(cores)).toEqual({ alone: 0, p1: 1, p2: 1, p3: 1, p4: 1 });
  });

  it('counts a follow in both directions as one undirected edge', () => {
    // a⇄b is one edge, so both have degree 1 in the simple graph, not 2.
    const cores = coresOf([
      ['a', 'b'],
      ['b', 'a'],
    ]);
    expect(Object.fromEntries(cores)).toEqual({ a: 1, b: 1 });
  });

  it('returns an empty array for an empty graph', () => {
    expect(coreNumbers(undirectedSimple(new GraphBuilder().build().out))).toEqual(
      new Int32Array(0),
    );
  });
});

describe('coreNumbers properties', () => {
  const graphs = fc.integer({ min: 1, max: 30 }).chain((n) =>
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 120 }).map((pairs) => {
      const builder = new GraphBuilder();
      for (let v = 0; v < n; v++) builder.addEdge(`u${v}`, `u${v}`, 1);
      for (const [a, b] of pairs) builder.addEdge(`u${a}`, `u${b}`, 1);
      return undirectedSimple(builder.build().out);
    }),
  );

  it('is at most the degree of the node', () => {
    fc.assert(
      fc.property(graphs, (graph) => {
        const cores = coreNumbers(graph);
        for (let v = 0; v < graph.nRows; v++) {
          const degree = (graph.rowPtr[v + 1] as number) - (graph.rowPtr[v] as number);
          expect(cores[v]).toBeGreaterThanOrEqual(0);
          expect(cores[v]).toBeLessThanOrEqual(degree);
        }
      }),
    );
  });

  it('agrees with peeling by the definition', () => {
    fc.assert(
      fc.property(graphs, (graph) => {
        expect(Array.from(coreNumbers(graph))).toEqual(coresByDefinition(graph));
      }),
    );
  });
});
