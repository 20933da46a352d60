import { Hono } from 'hono';
import { ID_PATTERN } from '../../events/schema.ts';
import { runRecompute } from '../../jobs/recompute.ts';
import { log } from '../../logger.ts';
import { eraseFromLog, eraseFromSnapshots } from '../../privacy/erase.ts';
import { readPointer } from '../../publish/snapshots.ts';
import { type AppEnv, requireAdmin } from '../auth.ts';
import { badRequest } from '../errors.ts';
import { intQuery } from '../query.ts';

/**
 * Operator routes, behind the admin token. The token is checked per route, not with a
 * catch-all middleware: mounted under /v1, a catch-all would answer 401 for unknown paths and
 * wrong methods that deserve their own 404 and 405.
 */
export const admin = new Hono<AppEnv>();

admin.post('/admin/recompute', requireAdmin(), async (c) =>
  c.json(await runRecompute(c.env, 'admin')),
);

interface JobRow {
  id: number;
  started_at: number;
  finished_at: number | null;
  status: string;
  summary: string | null;
}

admin.get('/admin/stats', requireAdmin(), async (c) => {
  const db = c.env.DB;
  const [counts, jobs] = await db.batch([
    db.prepare(
      `SELECT (SELECT COUNT(*) FROM interactions) AS interactionRows,
              (SELECT COUNT(*) FROM engagements) AS engagementRows,
              (SELECT COUNT(*) FROM follows WHERE following = 1) AS follows,
              (SELECT COUNT(*) FROM applied_batches) AS appliedBatches,
              (SELECT COUNT(*) FROM dead_letters) AS deadLetters`,
    ),
    db.prepare(
      'SELECT id, started_at, finished_at, status, summary FROM jobs ORDER BY id DESC LIMIT 5',
    ),
  ]);
  return c.json({
    log: counts?.results[0] ?? {},
    snapshot: await readPointer(c.env.SNAPSHOTS),
    recentJobs: ((jobs?.results ?? []) as JobRow[]).map((row) => ({
      id: row.id,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      status: row.status,
      summary: row.summary ? JSON.parse(row.summary) : null,
    })),
  });
});

interface DeadLetterRow {
  message_id: string;
  queue: string;
  received_at: number;
  attempts: number;
  body: string;
}

admin.get('/admin/dead-letters', requireAdmin(), async (c) => {
  const limit = intQuery(c.req.query('limit'), 'limit', 50, 1, 500);
  const { results } = await c.env.DB.prepare(
    `SELECT message_id, queue, received_at, attempts, body FROM dead_letters
     ORDER BY received_at DESC LIMIT ?`,
  )
    .bind(limit)
    .all<DeadLetterRow>();
  return c.json({
    items: results.map((r) => ({
      messageId: r.message_id,
      queue: r.queue,
      receivedAt: r.received_at,
      attempts: r.attempts,
      body: r.body,
    })),
  });
});

/** Erasure: every trace of the user, in the object, the log and the published snapshots. */
admin.delete('/users/:userId', requireAdmin(), async (c) => {
  const userId = c.req.param('userId');
  if (!ID_PATTERN.test(userId)) {
    throw badRequest('userId must be 1-128 characters of A-Z a-z 0-9 . _ : @ -');
  }

  // The object first, so it sends nothing more of the user's past to the log; batches already
  // in the queue are dropped by the consumer, which finds the user in erased_users.
  const stub = c.env.USER_ACTIVITY.get(c.env.USER_ACTIVITY.idFromName(userId));
  const activity = await stub.erase();
  const logRows = await eraseFromLog(c.env.DB, userId, Date.now());
  const snapshots = await eraseFromSnapshots(c.env.SNAPSHOTS, userId);
  log('info', 'privacy.user_erased', {
    logRows: logRows.interactions + logRows.engagements + logRows.follows,
    snapshotParts: snapshots.length,
  });
  return c.json({ userId, erased: true, removed: { activity, log: logRows, snapshots } });
});
