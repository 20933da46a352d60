import { getConfig } from '../config.ts';
import { describeError, log } from '../logger.ts';
import {
  type PartName,
  type PartPointer,
  publishPointer,
  readPointer,
} from '../publish/snapshots.ts';
import { computeInfluence, type InfluenceOutcome } from './influence-part.ts';
import { socialRows } from './load-graph.ts';
import { interactionRows } from './load-interactions.ts';
import { countRows, type RowSelection } from './paging.ts';
import { PhaseTimer } from './phases.ts';
import { computeRecommendations, type RecommendationsOutcome } from './recommendations-part.ts';
import { deleteExpiredRows } from './retention.ts';
import type { RecomputeSummary } from './summary.ts';

/**
 * The batch job: deletes expired log rows, trains ALS on the log, ranks the social graph, and
 * publishes recommendations, similar items and influence as a new snapshot version. Every
 * bucket is written before the pointer that names the version, so readers see the previous
 * version until the whole new one is there, and a run that fails midway publishes nothing.
 */
export async function recompute(
  env: Env,
  trigger: string,
  now = Date.now(),
): Promise<RecomputeSummary> {
  const config = getConfig(env);
  const version = `${new Date(now).toISOString()}-${Math.random().toString(36).slice(2, 8)}`;
  const timer = new PhaseTimer();
  const started = Date.now();

  const deletedRows = await timer.run('retention', () => deleteExpiredRows(env.DB, config, now));
  const pointer = await readPointer(env.SNAPSHOTS);
  const failures: RecomputeSummary['failures'] = [];
  const parts: Partial<Record<PartName, PartPointer>> = {};

  // Each half refuses a log larger than it can hold in one isolate, before reading any of it.
  const tooLarge = async (part: string, selections: RowSelection[]) => {
    let rows = 0;
    for (const selection of selections) rows += await countRows(env.DB, selection);
    if (rows <= config.maxJobRows) return false;
    failures.push({
      part,
      code: 'too_large',
      message:
        `${rows} log rows exceed RECOMPUTE_MAX_ROWS (${config.maxJobRows}); the previous ` +
        'version keeps serving. Shorten RETENTION_DAYS, or raise the limit (see README, "Scale").',
    });
    return true;
  };

  // Two halves, one after the other: what the first holds is garbage before the second loads.
  let recs: RecommendationsOutcome | null = null;
  if (!(await tooLarge('recommendations', [interactionRows(config, now)]))) {
    recs = await computeRecommendations(
      env.SNAPSHOTS,
      env.DB,
      config,
      version,
      now,
      pointer?.parts.recommendations,
      timer,
    );
    parts.recommendations = recs.recommendations;
    parts.similar = recs.similar;
  }
  let influence: InfluenceOutcome | null = null;
  if (!(await tooLarge('influence', socialRows(config, now)))) {
    influence = await computeInfluence(env.SNAPSHOTS, env.DB, config, version, now, timer);
    if (influence.influence) parts.influence = influence.influence;
    if (influence.failure) failures.push(influence.failure);
  }
  for (const failure of failures) log('error', 'recompute.part_not_published', failure);

  // Last: until this write, readers keep reading the previous version.
  await timer.run('publish', () => publishPointer(env.SNAPSHOTS, parts));
  timer.timings.total = Date.now() - started;

  return {
    modelVersion: version,
    generatedAt: now,
    trigger,
    users: recs?.users ?? 0,
    items: recs?.items ?? 0,
    interactions: recs?.interactions ?? 0,
    scoredUsers: recs?.scoredUsers ?? 0,
    nodes: influence?.nodes ?? 0,
    edges: influence?.edges ?? 0,
    logRows: (recs?.logRows ?? 0) + (influence?.logRows ?? 0),
    deletedRows,
    als: recs?.als ?? null,
    pagerankIterations: influence?.pagerankIterations ?? null,
    timingsMs: timer.timings,
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
