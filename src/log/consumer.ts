import { describeError, log } from '../logger.ts';
import { isLogBatch, type LogBatch } from './messages.ts';
import { multiRowStatements, selectIn } from './sql.ts';

/**
 * The interaction log's queue consumer. Delivery is at least once; the effect is exactly once:
 * each batch id is recorded in `applied_batches` in the same D1 transaction as its rows, and a
 * batch whose id is already there is acknowledged without touching anything.
 */
export async function consumeLogBatches(
  batch: MessageBatch<unknown>,
  db: D1Database,
): Promise<void> {
  const now = Date.now();
  const valid: Message<unknown>[] = [];
  for (const message of batch.messages) {
    if (isLogBatch(message.body)) {
      valid.push(message);
    } else {
      // Retrying cannot fix a malformed body: keep it for an operator and move on.
      await recordDeadLetter(db, batch.queue, message, now);
      message.ack();
      log('error', 'log.malformed_message', { messageId: message.id });
    }
  }
  if (valid.length === 0) return;

  const bodies = valid.map((m) => m.body as LogBatch);
  const applied = new Set(
    (
      await selectIn<{ batch_id: string }>(
        db,
        (p) => `SELECT batch_id FROM applied_batches WHERE batch_id IN (${p})`,
        bodies.map((b) => b.batchId),
      )
    ).map((r) => r.batch_id),
  );
  const erasedAt = new Map(
    (
      await selectIn<{ user_id: string; erased_at: number }>(
        db,
        (p) => `SELECT user_id, erased_at FROM erased_users WHERE user_id IN (${p})`,
        [...new Set(bodies.map((b) => b.userId))],
      )
    ).map((r) => [r.user_id, r.erased_at]),
  );

  for (const message of valid) {
    const body = message.body as LogBatch;
    const erased = erasedAt.get(body.userId);
    // Already applied, or produced before the user was erased: nothing to do.
    if (applied.has(body.batchId) || (erased !== undefined && body.epoch <= erased)) {
      message.ack();
      continue;
    }
    try {
      await db.batch(batchStatements(db, body, now));
      message.ack();
    } catch (error) {
      // A concurrent delivery of the same batch fails here on the primary key of
      // applied_batches; the retry then finds it applied.
      const delaySeconds = Math.min(300, 2 ** message.attempts);
      message.retry({ delaySeconds });
      log('warn', 'log.apply_failed', {
        attempts: message.attempts,
        delaySeconds,
        ...describeError(error),
      });
    }
  }
}

/** The statements of one batch; D1 runs a batch as one transaction. */
function batchStatements(db: D1Database, body: LogBatch, now: number): D1PreparedStatement[] {
  const u = body.userId;
  return [
    db
      .prepare('INSERT INTO applied_batches (batch_id, applied_at) VALUES (?, ?)')
      .bind(body.batchId, now),
    ...multiRowStatements(
      db,
      'INSERT INTO interactions (user_id, item_id, window_start, type, count)',
      'ON CONFLICT (user_id, item_id, window_start, type) DO UPDATE SET count = count + excluded.count',
      body.interactions.map(([item, start, type, count]) => [u, item, start, type, count]),
    ),
    ...multiRowStatements(
      db,
      'INSERT INTO engagements (user_id, target_id, window_start, type, count)',
      'ON CONFLICT (user_id, target_id, window_start, type) DO UPDATE SET count = count + excluded.count',
      body.engagements.map(([target, start, type, count]) => [u, target, start, type, count]),
    ),
    ...multiRowStatements(
      db,
      'INSERT INTO follows (user_id, target_id, following, at)',
      `ON CONFLICT (user_id, target_id) DO UPDATE SET following = excluded.following, at = excluded.at
       WHERE excluded.at >= follows.at`,
      body.follows.map(([target, following, at]) => [u, target, following, at]),
    ),
  ];
}

/** The dead-letter queue's consumer: every message is kept in D1 for an operator. */
export async function consumeDeadLetters(
  batch: MessageBatch<unknown>,
  db: D1Database,
): Promise<void> {
  const now = Date.now();
  for (const message of batch.messages) {
    await recordDeadLetter(db, batch.queue, message, now);
    message.ack();
  }
  log('error', 'log.dead_letters', { queue: batch.queue, messages: batch.messages.length });
}

async function recordDeadLetter(
  db: D1Database,
  queue: string,
  message: Message<unknown>,
  now: number,
) {
  let body: string;
  try {
    body = JSON.stringify(message.body) ?? 'undefined';
  } catch {
    body = String(message.body);
  }
  await db
    .prepare(
      `INSERT INTO dead_letters (message_id, queue, received_at, attempts, body) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (message_id) DO NOTHING`,
    )
    .bind(message.id, queue, now, message.attempts, body)
    .run();
}
