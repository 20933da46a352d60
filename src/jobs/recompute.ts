import { getConfig } from '../config.ts';
import { rankInfluence } from '../graph/influence.ts';
import { PageRankConvergenceError } from '../graph/pagerank.ts';
import { describeError, log } from '../logger.ts';
import { bucketCount } from '../publish/buckets.ts';
import {
  bucketize,
  bucketKey,
  type PartName,
  type PartPointer,
  publishPointer,
  putAll,
  readPointer,
} from '../publish/snapshots.ts';
import { carryOver } from './carry-over.ts';
import { loadSocialGraph } from './load-graph.ts';
import { loadInteractions, usersChangedSince } from './load-interactions.ts';
import { loadModel, saveModel } from './model-store.ts';
import { popularList, recommendFor, similarFor, trainModel } from './recommend.ts';
import { deleteExpiredRows } from './retention.ts';

/** How many of the most influential users the top list keeps. */
export const INFLUENCERS_KEPT = 1_000;
/** Log batches applied this long before the last snapshot still count as changes. */
const CHANGE_MARGIN_MS = 60_000;

export interface RecomputeSummary {
  modelVersion: string;
  generatedAt: number;
  trigger: string;
  users: number;
  items: number;
  /** Distinct user-item pairs in the log. */
  interactions: number;
  /** Users whose recommendations were recomputed (the rest kept theirs). */
  scoredUsers: number;
  nodes: number;
  edges: number;
  logRows: number;
  deletedRows: number;
  als: { warmStart: boolean; iterations: number; factors: number; modelKept: boolean };
  pagerankIterations: number | null;
  /** Wall time per phase, ms. Workers advance the clock only at I/O, so CPU-only phases read 0 there. */
  timingsMs: Record<string, number>;
  /** Parts not published this run (the previous version keeps serving), with the reason. */
  failures: { part: string; code: string; message: string }[];
}

/**
 * The batch job: deletes expired log rows, trains ALS on the log, ranks the social graph,
 * and publishes recommendations, similar items and influence as a new snapshot version.
 */
export async function recompute(
  env: Env,
  trigger: string,
  now = Date.now(),
): Promise<RecomputeSummary> {
  const config = getConfig(env);
  const version = `${new Date(now).toISOString()}-${Math.random().toString(36).slice(2, 8)}`;
  const timings: Record<string, number> = {};
  const phase = async <T>(name: string, work: () => T | Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await work();
    } finally {
      timings[name] = Date.now() - started;
    }
  };
  const started = Date.now();

  const deletedRows = await phase('retention', () => deleteExpiredRows(env.DB, config, now));
  const pointer = await readPointer(env.SNAPSHOTS);
  const previousRecs = pointer?.parts.recommendations;

  const log_ = await phase('loadLog', () => loadInteractions(env.DB, config, now));
  const previousModel = previousRecs
    ? await phase('loadModel', () => loadModel(env.SNAPSHOTS, previousRecs.version))
    : null;
  const trained = await phase('train', () =>
    trainModel(
      log_.weights,
      config.als,
      previousModel && { previous: previousModel, users: log_.users, items: log_.items },
    ),
  );

  const changed = previousRecs
    ? await usersChangedSince(env.DB, previousRecs.generatedAt - CHANGE_MARGIN_MS)
    : null;
  const scoredRows = Int32Array.from(
    log_.users.ids().flatMap((id, row) => (changed === null || changed.has(id) ? [row] : [])),
  );
  const recommendations = await phase('topN', () =>
    recommendFor(trained.model, log_.weights, log_.users, log_.items, scoredRows, config.topN),
  );
  if (previousRecs) {
    await phase('carryOver', () =>
      carryOver(
        env.SNAPSHOTS,
        'recommendations',
        previousRecs,
        recommendations,
        (id) => log_.users.indexOf(id) >= 0,
      ),
    );
  }
  const similar = await phase('similar', () => similarFor(trained.model, log_.items, config.topN));
  const popular = popularList(log_.weights, log_.items, config.topN);

  const parts: Partial<Record<PartName, PartPointer>> = {};
  const failures: RecomputeSummary['failures'] = [];
  const writes = new Map<string, string>();

  const recBuckets = bucketCount(recommendations.size);
  for (const [key, value] of bucketize('recommendations', version, recBuckets, recommendations))
    writes.set(key, value);
  writes.set(bucketKey('recommendations', version, 'popular'), JSON.stringify(popular));
  parts.recommendations = { version, generatedAt: now, buckets: recBuckets };
  const simBuckets = bucketCount(similar.size);
  for (const [key, value] of bucketize('similar', version, simBuckets, similar))
    writes.set(key, value);
  parts.similar = { version, generatedAt: now, buckets: simBuckets };

  const graph = await phase('loadGraph', () => loadSocialGraph(env.DB, config, now));
  let pagerankIterations: number | null = null;
  try {
    const ranking = await phase('influence', () => rankInfluence(graph.graph));
    pagerankIterations = ranking.iterations;
    const entries = ranking
      .top(ranking.nodes)
      .map((e): [string, [number, number, number]] => [e.userId, [e.rank, e.pagerank, e.core]]);
    const infBuckets = bucketCount(ranking.nodes);
    for (const [key, value] of bucketize('influence', version, infBuckets, entries))
      writes.set(key, value);
    writes.set(
      bucketKey('influence', version, 'top'),
      JSON.stringify(
        ranking.top(INFLUENCERS_KEPT).map((e) => [e.userId, e.rank, e.pagerank, e.core]),
      ),
    );
    parts.influence = {
      version,
      generatedAt: now,
      buckets: infBuckets,
      meta: { nodes: ranking.nodes, edges: ranking.edges },
    };
  } catch (error) {
    if (!(error instanceof PageRankConvergenceError)) throw error;
    failures.push({ part: 'influence', code: error.code, message: error.message });
    log('error', 'recompute.influence_not_published', describeError(error));
  }

  const modelKept = await phase('publish', async () => {
    await putAll(env.SNAPSHOTS, writes);
    const kept = await saveModel(env.SNAPSHOTS, version, {
      userIds: log_.users.ids(),
      itemIds: log_.items.ids(),
      users: trained.model.users,
      items: trained.model.items,
    });
    // Last: until this write, readers keep reading the previous version.
    await publishPointer(env.SNAPSHOTS, parts);
    return kept;
  });
  timings.total = Date.now() - started;

  return {
    modelVersion: version,
    generatedAt: now,
    trigger,
    users: log_.users.size,
    items: log_.items.size,
    interactions: log_.weights.rowPtr[log_.weights.nRows] ?? 0,
    scoredUsers: scoredRows.length,
    nodes: graph.graph.ids.size,
    edges: graph.graph.out.rowPtr[graph.graph.out.nRows] ?? 0,
    logRows: log_.rows + graph.rows,
    deletedRows,
    als: {
      warmStart: trained.warm,
      iterations: trained.iterations,
      factors: config.als.factors,
      modelKept,
    },
    pagerankIterations,
    timingsMs: timings,
    failures,
  };
}

/** Runs the job and records it: one D1 row and one log line per run, failures included. */
export async function runRecompute(env: Env, trigger: string): Promise<RecomputeSummary> {
  const startedAt = Date.now();
  const { meta } = await env.DB.prepare(
    "INSERT INTO jobs (started_at, status) VALUES (?, 'running')",
  )
    .bind(startedAt)
    .run();
  const jobId = meta.last_row_id;
  try {
    const summary = await recompute(env, trigger);
    await finishJob(env.DB, jobId, summary.failures.length > 0 ? 'partial' : 'ok', summary);
    log('info', 'recompute.done', { ...summary });
    return summary;
  } catch (error) {
    await finishJob(env.DB, jobId, 'failed', describeError(error));
    log('error', 'recompute.failed', { trigger, ...describeError(error) });
    throw error;
  }
}

async function finishJob(db: D1Database, id: number, status: string, summary: object) {
  await db
    .prepare('UPDATE jobs SET finished_at = ?, status = ?, summary = ? WHERE id = ?')
    .bind(Date.now(), status, JSON.stringify(summary), id)
    .run();
}
