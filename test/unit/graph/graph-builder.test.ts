import { describe, expect, it } from 'vitest';
import { GraphBuilder, undirectedSimple } from '../../../src/graph/graph-builder.ts';
import type { Csr } from '../../../src/sparse/csr.ts';

/** Row `node` of a CSR as [neighbour, value] pairs. */
function row(csr: Csr, node: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let p = csr.rowPtr[node] as number; p < (csr.rowPtr[node + 1] as number); p++) {
    pairs.push([csr.colIdx[p] as number, csr.values[p] as number]);
  }
  return pairs;
}

describe('GraphBuilder', () => {
  it('maps users to dense indices in order of arrival and sums parallel edges', () => {
    const builder = new GraphBuilder();
    builder.addEdge('ann', 'bob', 1.5);
    builder.addEdge('bob', 'cid', 2);
    builder.addEdge('ann', 'bob', 2.5);
    const { ids, out } = builder.build();

    expect(ids.ids()).toEqual(['ann', 'bob', 'cid']);
    expect(out.nRows).toBe(3);
    expect(out.nCols).toBe(3);
    expect(row(out, 0)).toEqual([[1, 4]]);
    expect(row(out, 1)).toEqual([[2, 2]]);
    expect(row(out, 2)).toEqual([]);
  });

  it('drops a self-loop but keeps its user as a node', () => {
    const builder = new GraphBuilder();
    builder.addEdge('ann', 'ann', 3);
    builder.addEdge('ann', 'bob', 1);
    const { ids, out } = builder.build();

    expect(ids.size).toBe(2);
    expect(row(out, 0)).toEqual([[1, 1]]);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e-50, 1e39])(
    'refuses weight %s with a RangeError and keeps no trace of the edge',
    (weight) => {
      const builder = new GraphBuilder();
      expect(() => builder.addEdge('ann', 'bob', weight)).toThrow(RangeError);
      expect(builder.nodeCount).toBe(0);
      expect(builder.pendingEdgeCount).toBe(0);
    },
  );

  it('is spent by build()', () => {
    const builder = new GraphBuilder();
    builder.addEdge('ann', 'bob', 1);
    builder.build();
    expect(() => builder.addEdge('bob', 'ann', 1)).toThrow(/already called/);
    expect(() => builder.build()).toThrow(/already called/);
  });

  it('builds an empty graph', () => {
    const { ids, out } = new GraphBuilder().build();
    expect(ids.size).toBe(0);
    expect(out.nRows).toBe(0);
    expect(Array.from(out.rowPtr)).toEqual([0]);
  });
});

describe('undirectedSimple', () => {
  it('symmetrises, merges reciprocal edges and drops self-loops', () => {
    // 0→1, 1→0 (reciprocal: one undirected edge), 1→2, 2→2 (self-loop, read from a CSR that
    // did not come from the builder), 3 isolated.
    const out: Csr = {
      nRows: 4,
      nCols: 4,
      rowPtr: Int32Array.from([0, 1, 3, 4, 4]),
      colIdx: Int32Array.from([1, 0, 2, 2]),
      values: Float32Array.from([5, 1, 2, 7]),
    };
    const simple = undirectedSimple(out);

    expect(row(simple, 0)).toEqual([[1, 1]]);
    expect(row(simple, 1)).toEqual([
      [0, 1],
      [2, 1],
    ]);
    expect(row(simple, 2)).toEqual([[1, 1]]);
    expect(row(simple, 3)).toEqual([]);
  });

  it('refuses a non-square matrix', () => {
    const out: Csr = {
      nRows: 1,
      nCols: 2,
      rowPtr: Int32Array.from([0, 0]),
      colIdx: new Int32Array(0),
      values: new Float32Array(0),
    };
    expect(() => undirectedSimple(out)).toThrow(RangeError);
  });
});
