import type { Csr } from '../sparse/csr.ts';

/**
 * Core numbers: the core number of a node is the largest k such that the node belongs to a
 * subgraph in which every node has degree at least k.
 *
 * [Reference] Batagelj, Zaversnik, "An O(m) algorithm for cores decomposition of networks",
 * 2003. Nodes are peeled in order of current degree; a bucket sort keeps that order in O(1)
 * per degree decrement, so the whole decomposition is O(n + m).
 *
 * `graph` must be undirected and simple (symmetric, no self-loops, no repeated entries), as
 * `undirectedSimple` makes it; the values are ignored.
 */
export function coreNumbers(graph: Csr): Int32Array {
  if (graph.nRows !== graph.nCols) {
    throw new RangeError(`core numbers need a square matrix, got ${graph.nRows}×${graph.nCols}`);
  }
  const n = graph.nRows;
  const { rowPtr, colIdx } = graph;

  // degree[v] starts as the degree and is lowered as neighbours are peeled; once v is peeled it
  // is v's core number and never changes again.
  const degree = new Int32Array(n);
  let maxDegree = 0;
  for (let v = 0; v < n; v++) {
    const d = (rowPtr[v + 1] as number) - (rowPtr[v] as number);
    degree[v] = d;
    if (d > maxDegree) maxDegree = d;
  }

  // Memory layout of the bucket sort: `order` lists the nodes by current degree, `position` is
  // the inverse of `order`, and the nodes of degree d occupy order[bucketStart[d]...] up to the
  // next bucket's start.
  const bucketStart = new Int32Array(maxDegree + 2);
  for (let v = 0; v < n; v++) {
    const d = degree[v] as number;
    bucketStart[d + 1] = (bucketStart[d + 1] as number) + 1;
  }
  for (let d = 0; d <= maxDegree; d++) {
    bucketStart[d + 1] = (bucketStart[d + 1] as number) + (bucketStart[d] as number);
  }
  const order = new Int32Array(n);
  const position = new Int32Array(n);
  const cursor = bucketStart.slice(0, maxDegree + 1);
  for (let v = 0; v < n; v++) {
    const at = cursor[degree[v] as number] as number;
    order[at] = v;
    position[v] = at;
    cursor[degree[v] as number] = at + 1;
  }

  // Peel in order. Lowering a neighbour u from degree d to d - 1 swaps u with the first node of
  // bucket d and moves that bucket's start one place right, so u lands at the end of bucket
  // d - 1 and `order` stays sorted. Neighbours whose degree is not above v's are already peeled
  // or tie with v and keep their degree.
  for (let i = 0; i < n; i++) {
    const v = order[i] as number;
    const dv = degree[v] as number;
    for (let p = rowPtr[v] as number; p < (rowPtr[v + 1] as number); p++) {
      const u = colIdx[p] as number;
      const du = degree[u] as number;
      if (du <= dv) continue;

      const firstAt = bucketStart[du] as number;
      const first = order[firstAt] as number;
      const uAt = position[u] as number;
      if (first !== u) {
        order[uAt] = first;
        position[first] = uAt;
        order[firstAt] = u;
        position[u] = firstAt;
      }
      bucketStart[du] = firstAt + 1;
      degree[u] = du - 1;
    }
  }

  return degree;
}
