import type { EventType } from '../config.ts';

/**
 * What a user's Durable Object sends to the interaction log through the Queue: counts of
 * closed windows, as deltas. `batchId` is unique per user and never reused, so the consumer
 * can apply each batch exactly once however often the Queue delivers it.
 */
export interface LogBatch {
  v: 1;
  batchId: string;
  userId: string;
  /** When the user's object was created (epoch ms); a later erasure voids older batches. */
  epoch: number;
  /** [itemId, windowStart, type, count]: the user acted `count` times on the item. */
  interactions: [string, number, EventType, number][];
  /** [targetUserId, windowStart, type, count]: likes, comments, shares of another's content. */
  engagements: [string, number, EventType, number][];
  /** [targetUserId, following (1 follow, 0 unfollow), eventTime]: the latest follow state. */
  follows: [string, 0 | 1, number][];
}

/** Queue messages are limited to 128 KB; batches are cut well below it. */
export const MAX_BATCH_BYTES = 96 * 1024;

export function isLogBatch(body: unknown): body is LogBatch {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Partial<LogBatch>;
  return (
    b.v === 1 &&
    typeof b.batchId === 'string' &&
    typeof b.userId === 'string' &&
    typeof b.epoch === 'number' &&
    Array.isArray(b.interactions) &&
    Array.isArray(b.engagements) &&
    Array.isArray(b.follows)
  );
}
