import { forgetUser } from '../jobs/model-store.ts';
import { bucketOf } from '../publish/buckets.ts';
import {
  bucketKey,
  type PartName,
  type PartPointer,
  putAll,
  readPointer,
} from '../publish/snapshots.ts';

export interface ErasedLog {
  interactions: number;
  engagements: number;
  follows: number;
  deadLetters: number;
}

/**
 * Removes a user from the interaction log: their rows, every social edge from or to them, the
 * ids and dead letters of their batches; and records the erasure, so batches still in the
 * queue from before it are dropped by the consumer (which is also what keeps a redelivered
 * old batch out once its applied id is gone).
 */
export async function eraseFromLog(
  db: D1Database,
  userId: string,
  now: number,
): Promise<ErasedLog> {
  const [interactions, engagements, follows, , deadLetters] = await db.batch([
    db.prepare('DELETE FROM interactions WHERE user_id = ?').bind(userId),
    db.prepare('DELETE FROM engagements WHERE user_id = ?1 OR target_id = ?1').bind(userId),
    db.prepare('DELETE FROM follows WHERE user_id = ?1 OR target_id = ?1').bind(userId),
    db
      .prepare('DELETE FROM applied_batches WHERE substr(batch_id, 1, length(?1)) = ?1')
      .bind(`${userId}#`),
    // Dead letters are kept as the JSON the queue delivered; a log batch names its user once.
    db
      .prepare('DELETE FROM dead_letters WHERE instr(body, ?) > 0')
      .bind(JSON.stringify({ userId }).slice(1, -1)),
    db
      .prepare(
        `INSERT INTO erased_users (user_id, erased_at) VALUES (?, ?)
         ON CONFLICT (user_id) DO UPDATE SET erased_at = excluded.erased_at`,
      )
      .bind(userId, now),
  ]);
  return {
    interactions: interactions?.meta.changes ?? 0,
    engagements: engagements?.meta.changes ?? 0,
    follows: follows?.meta.changes ?? 0,
    deadLetters: deadLetters?.meta.changes ?? 0,
  };
}

/**
 * Removes a user from the published snapshots, current and previous versions: their
 * recommendations, their influence entry, their place in the top list, and their id in the
 * factors kept for the next warm start. Returns the parts that held them.
 */
export async function eraseFromSnapshots(kv: KVNamespace, userId: string): Promise<PartName[]> {
  const pointer = await readPointer(kv);
  if (!pointer) return [];
  const removedFrom = new Set<PartName>();
  const writes: [string, string][] = [];

  const versions = (part: PartName) =>
    [pointer.parts[part], pointer.previous[part]].filter((p): p is PartPointer => p !== undefined);

  for (const part of ['recommendations', 'influence'] as const) {
    for (const version of versions(part)) {
      const key = bucketKey(part, version.version, bucketOf(userId, version.buckets));
      const bucket = await kv.get<Record<string, unknown>>(key, 'json');
      if (bucket && userId in bucket) {
        delete bucket[userId];
        writes.push([key, JSON.stringify(bucket)]);
        removedFrom.add(part);
      }
    }
  }
  for (const version of versions('influence')) {
    const key = bucketKey('influence', version.version, 'top');
    const top = await kv.get<[string, ...unknown[]][]>(key, 'json');
    if (top?.some(([id]) => id === userId)) {
      writes.push([key, JSON.stringify(top.filter(([id]) => id !== userId))]);
      removedFrom.add('influence');
    }
  }

  for (const version of versions('recommendations')) {
    if (await forgetUser(kv, version.version, userId)) removedFrom.add('recommendations');
  }

  await putAll(kv, writes);
  return [...removedFrom];
}
