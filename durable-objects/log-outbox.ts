import { WINDOW_MS } from '../src/events/window.ts';
import { type LogBatch, MAX_BATCH_BYTES } from '../src/log/messages.ts';
import { describeError, log } from '../src/logger.ts';
import type { ActivityStore } from './activity-store.ts';

/** Retry delays for a batch the Queue refused: 2 s, 4 s, ... capped at 5 minutes. */
const RETRY_BASE_MS = 2_000;
const RETRY_CAP_MS = 300_000;
/** The Queue accepts at most 100 messages and 256 KB per sendBatch. */
const SEND_MAX_MESSAGES = 100;
const SEND_MAX_BYTES = 240 * 1024;

/**
 * Moves the pending log rows of closed windows into the outbox as numbered batches. Runs
 * inside the alarm's transaction: a batch exists in the outbox before anything is sent, and
 * pending rows leave only together with it.
 */
export function stageClosedWindows(
  store: ActivityStore,
  now: number,
  allowedLatenessMs: number,
): void {
  const userId = store.getMeta('user_id');
  const epoch = Number(store.getMeta('epoch'));
  if (userId === null) return;

  const lastClosedStart = now - WINDOW_MS - allowedLatenessMs;
  const rows = store.takePending(lastClosedStart);
  let batch = emptyBatch(userId, epoch, store.nextSeq());
  let bytes = 0;
  const cut = () => {
    store.enqueueOutbox(JSON.stringify(batch));
    batch = emptyBatch(userId, epoch, store.nextSeq());
    bytes = 0;
  };
  const push = <K extends 'interactions' | 'engagements' | 'follows'>(
    key: K,
    row: LogBatch[K][number],
  ) => {
    const size = JSON.stringify(row).length + 1;
    if (bytes + size > MAX_BATCH_BYTES) cut();
    (batch[key] as LogBatch[K][number][]).push(row);
    bytes += size;
  };

  for (const row of rows.interactions) push('interactions', row);
  for (const row of rows.engagements) push('engagements', row);
  for (const row of rows.follows) push('follows', row);
  if (bytes > 0) cut();
}

function emptyBatch(userId: string, epoch: number, seq: number): LogBatch {
  return {
    v: 1,
    batchId: `${userId}#${epoch}#${seq}`,
    userId,
    epoch,
    interactions: [],
    engagements: [],
    follows: [],
  };
}

/**
 * Sends due outbox batches to the Queue; a batch leaves the outbox only after the Queue
 * accepted it. A failed send is retried with backoff by the next alarm, never dropped. A
 * crash between send and delete sends the batch again, which the consumer recognises by id.
 */
export async function flushOutbox(store: ActivityStore, queue: Queue, now: number): Promise<void> {
  const due = store.dueOutbox(now);
  for (let i = 0; i < due.length; ) {
    const group: typeof due = [];
    let bytes = 0;
    while (i < due.length && group.length < SEND_MAX_MESSAGES) {
      const row = due[i] as (typeof due)[number];
      if (group.length > 0 && bytes + row.body.length > SEND_MAX_BYTES) break;
      group.push(row);
      bytes += row.body.length;
      i++;
    }

    const seqs = group.map((r) => r.seq);
    try {
      await queue.sendBatch(group.map((r) => ({ body: JSON.parse(r.body), contentType: 'json' })));
      store.deleteOutbox(seqs);
    } catch (error) {
      const attempts = Math.max(...group.map((r) => r.attempts)) + 1;
      const delay = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempts - 1));
      store.deferOutbox(seqs, now + delay);
      log('warn', 'log.send_failed', {
        batches: seqs.length,
        attempts,
        retryInMs: delay,
        ...describeError(error),
      });
      return;
    }
  }
}
