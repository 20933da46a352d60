import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreNumbers } from '../../../src/graph/cores.ts';
import { forEachEdge } from '../../../src/graph/edge-list.ts';
import { GraphBuilder, undirectedSimple } from '../../../src/graph/graph-builder.ts';
import { pagerank } from '../../../src/graph/pagerank.ts';

/**
 * PageRank and core numbers against NetworkX 2.8.8 on two SNAP graphs kept beside the
 * repository (../shared/data/, described in its README). The reference ranks are rounded to
 * 1e-12, so matching NetworkX's own iterate leaves differences of 5e-13.
 */
const dataDir = new URL('../../../../shared/data/', import.meta.url);

interface Reference {
  nodes: number;
  edges: number;
  core: Record<string, number>;
  pagerank: { alpha: number; values: Record<string, number> };
}

const datasets = [
  // Each line of wiki-Vote.txt is one directed vote.
  { folder: 'wiki-vote', file: 'wiki-Vote.txt', bothDirections: false },
  // Each line of facebook_combined.txt is a friendship: a follow in both directions.
  { folder: 'ego-facebook', file: 'facebook_combined.txt', bothDirections: true },
];

for (const { folder, file, bothDirections } of datasets) {
  const edgeFile = new URL(`${folder}/${file}`, dataDir);
  const referenceFile = new URL(`${folder}/reference.json`, dataDir);
  const present = existsSync(edgeFile) && existsSync(referenceFile);
  if (!present) console.warn(`skipping ${folder}: ${edgeFile.pathname} is absent`);

  describe.skipIf(!present)(`${folder} against NetworkX`, () => {
    const load = () => {
      const builder = new GraphBuilder();
      forEachEdge(readFileSync(edgeFile, 'utf8'), (src, dst) => {
        builder.addEdge(src, dst, 1);
        if (bothDirections) builder.addEdge(dst, src, 1);
      });
      const reference = JSON.parse(readFileSync(referenceFile, 'utf8')) as Reference;
      return { graph: builder.build(), reference };
    };

    it('has the reference graph size', () => {
      const { graph, reference } = load();
      expect(graph.ids.size).toBe(reference.nodes);
      // NetworkX counts an undirected friendship once; the directed graph holds both follows.
      expect(graph.out.rowPtr[graph.out.nRows]).toBe(
        bothDirections ? 2 * reference.edges : reference.edges,
      );
    });

    it('matches every PageRank to 1e-9 and the top 10 exactly', () => {
      const { graph, reference } = load();
      const { ranks } = pagerank(graph.out, { damping: reference.pagerank.alpha });
      const expected = reference.pagerank.values;

      let maxDiff = 0;
      for (const [id, value] of Object.entries(expected)) {
        const node = graph.ids.indexOf(id);
        expect(node).toBeGreaterThanOrEqual(0);
        maxDiff = Math.max(maxDiff, Math.abs((ranks[node] as number) - value));
      }
      expect(maxDiff).toBeLessThan(1e-9);

      const byRank = (a: [string, number], b: [string, number]) => b[1] - a[1];
      const ours = graph.ids
        .ids()
        .map((id, node): [string, number] => [id, ranks[node] as number])
        .sort(byRank);
      const theirs = Object.entries(expected).sort(byRank);
      expect(ours.slice(0, 10).map(([id]) => id)).toEqual(theirs.slice(0, 10).map(([id]) => id));
    });

    it('matches every core number exactly', () => {
      const { graph, reference } = load();
      const cores = coreNumbers(undirectedSimple(graph.out));
      const mismatches = Object.entries(reference.core).filter(
        ([id, core]) => cores[graph.ids.indexOf(id)] !== core,
      );
      expect(mismatches).toEqual([]);
      expect(Object.keys(reference.core)).toHaveLength(graph.ids.size);
    });
  });
}
