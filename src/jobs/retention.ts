import type { Config } from '../config.ts';

/** Applied batch ids are kept past the longest time the Queue may redeliver a message. */
export const APPLIED_BATCH_RETENTION_MS = 14 * 86_400_000;

/** Deletes log rows older than the retention period; returns how many rows went. */
export async function deleteExpiredRows(
  db: D1Database,
  config: Config,
  now: number,
): Promise<number> {
  const cutoff = now - config.retentionMs;
  const results = await db.batch([
    db.prepare('DELETE FROM interactions WHERE window_start < ?').bind(cutoff),
    db.prepare('DELETE FROM engagements WHERE window_start < ?').bind(cutoff),
    db
      .prepare('DELETE FROM applied_batches WHERE applied_at < ?')
      .bind(now - APPLIED_BATCH_RETENTION_MS),
  ]);
  return results.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}
