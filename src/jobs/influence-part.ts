import type { Config } from '../config.ts';
import { rankInfluence } from '../graph/influence.ts';
import { PageRankConvergenceError } from '../graph/pagerank.ts';
import { bucketCount, groupByBucket } from '../publish/buckets.ts';
import {
  BUCKET_TTL_SECONDS,
  bucketKey,
  type PartPointer,
  writeBuckets,
} from '../publish/snapshots.ts';
import { loadSocialGraph } from './load-graph.ts';
import type { PhaseTimer } from './phases.ts';

/** How many of the most influential users the top list keeps. */
export const INFLUENCERS_KEPT = 1_000;

/** A user's published influence: [rank, pagerank, core]. */
export type InfluenceValue = [rank: number, pagerank: number, core: number];

export interface InfluenceOutcome {
  /** Absent when PageRank did not converge: the previous version keeps serving. */
  influence?: PartPointer;
  failure?: { part: 'influence'; code: string; message: string };
  nodes: number;
  edges: number;
  logRows: number;
  pagerankIterations: number | null;
}

/**
 * The influence half of the job: loads the social graph, runs PageRank and core numbers, and
 * writes the per-user buckets and the top list under `version`. A PageRank that does not
 * converge is reported, and nothing of it is written.
 */
export async function computeInfluence(
  kv: KVNamespace,
  db: D1Database,
  config: Config,
  version: string,
  now: number,
  timer: PhaseTimer,
): Promise<InfluenceOutcome> {
  const { graph, rows } = await timer.run('loadGraph', () => loadSocialGraph(db, config, now));
  const size = { nodes: graph.ids.size, edges: graph.out.rowPtr[graph.out.nRows] ?? 0 };

  let ranking: ReturnType<typeof rankInfluence>;
  try {
    ranking = await timer.run('influence', () => rankInfluence(graph));
  } catch (error) {
    if (!(error instanceof PageRankConvergenceError)) throw error;
    return {
      ...size,
      logRows: rows,
      pagerankIterations: null,
      failure: { part: 'influence', code: error.code, message: error.message },
    };
  }

  const buckets = bucketCount(ranking.nodes);
  const { order, start } = groupByBucket(ranking.nodes, (node) => graph.ids.idAt(node), buckets);
  await timer.run('writeInfluence', async () => {
    await writeBuckets(kv, 'influence', version, buckets, (b) => {
      const value: Record<string, InfluenceValue> = {};
      for (let at = start[b] as number; at < (start[b + 1] as number); at++) {
        const entry = ranking.lookup(graph.ids.idAt(order[at] as number));
        if (entry) value[entry.userId] = [entry.rank, entry.pagerank, entry.core];
      }
      return value;
    });
    const top = ranking.top(INFLUENCERS_KEPT).map((e) => [e.userId, e.rank, e.pagerank, e.core]);
    await kv.put(bucketKey('influence', version, 'top'), JSON.stringify(top), {
      expirationTtl: BUCKET_TTL_SECONDS,
    });
  });

  return {
    ...size,
    logRows: rows,
    pagerankIterations: ranking.iterations,
    influence: { version, generatedAt: now, buckets, meta: size },
  };
}
