import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import type { UserActivity } from '../../durable-objects/user-activity.ts';
import type { LogBatch } from '../../src/log/messages.ts';
import { alignedNow, closeWindowsAt, deliver, LOG_QUEUE, postEvents, userStub } from './helpers.ts';

async function interactionsOf(userId: string) {
  const { results } = await env.DB.prepare(
    'SELECT item_id, window_start, type, count FROM interactions WHERE user_id = ? ORDER BY item_id, window_start, type',
  )
    .bind(userId)
    .all();
  return results;
}

function logBatch(userId: string, seq: number, extra: Partial<LogBatch> = {}): LogBatch {
  return {
    v: 1,
    batchId: `${userId}#1#${seq}`,
    userId,
    epoch: 1,
    interactions: [['item-1', 5_000, 'click', 2]],
    engagements: [['author-1', 5_000, 'like', 1]],
    follows: [['author-1', 1, 5_100]],
    ...extra,
  };
}

describe('the interaction log consumer', () => {
  it('applies a batch once, however often it is delivered', async () => {
    const body = logBatch('log-a', 1);
    const first = await deliver([{ id: 'm1', body }]);
    expect(first.explicitAcks).toEqual(['m1']);
    const once = await interactionsOf('log-a');
    expect(once).toEqual([{ item_id: 'item-1', window_start: 5_000, type: 'click', count: 2 }]);

    const again = await deliver([{ id: 'm1-redelivered', body, attempts: 2 }]);
    expect(again.explicitAcks).toEqual(['m1-redelivered']);
    expect(await interactionsOf('log-a')).toEqual(once);
  });

  it('adds later batches of the same window as deltas', async () => {
    await deliver([{ id: 'm2', body: logBatch('log-b', 1) }]);
    await deliver([
      { id: 'm3', body: logBatch('log-b', 2, { interactions: [['item-1', 5_000, 'click', 3]] }) },
    ]);
    expect(await interactionsOf('log-b')).toEqual([
      { item_id: 'item-1', window_start: 5_000, type: 'click', count: 5 },
    ]);
  });

  it('keeps the follow state of the latest event time, whatever the arrival order', async () => {
    await deliver([{ id: 'f1', body: logBatch('log-f', 1, { follows: [['star', 0, 9_000]] }) }]);
    await deliver([{ id: 'f2', body: logBatch('log-f', 2, { follows: [['star', 1, 8_000]] }) }]);
    const row = await env.DB.prepare('SELECT following, at FROM follows WHERE user_id = ?')
      .bind('log-f')
      .first();
    expect(row).toEqual({ following: 0, at: 9_000 });
  });

  it('keeps malformed messages for an operator instead of retrying them forever', async () => {
    const result = await deliver([{ id: 'bad-1', body: { hello: 'world' } }]);
    expect(result.explicitAcks).toEqual(['bad-1']);
    const row = await env.DB.prepare('SELECT queue, body FROM dead_letters WHERE message_id = ?')
      .bind('bad-1')
      .first();
    expect(row).toEqual({ queue: LOG_QUEUE, body: '{"hello":"world"}' });
  });

  it('records what the dead-letter queue receives', async () => {
    await deliver([{ id: 'dlq-1', body: logBatch('log-d', 1), attempts: 6 }], `${LOG_QUEUE}-dlq`);
    const row = await env.DB.prepare('SELECT attempts FROM dead_letters WHERE message_id = ?')
      .bind('dlq-1')
      .first();
    expect(row).toEqual({ attempts: 6 });
  });
});

describe('events to the log, end to end', () => {
  it('a closed window reaches D1 through the real queue', async () => {
    const u = 'e2e-log';
    const t0 = alignedNow(2);
    await closeWindowsAt(u, t0 + 1_000);
    await postEvents([
      { type: 'view', userId: u, itemId: 'sku-1', timestamp: t0 },
      { type: 'view', userId: u, itemId: 'sku-1', timestamp: t0 + 1 },
      { type: 'share', userId: u, itemId: 'post-1', targetUserId: 'bob', timestamp: t0 + 2 },
      { type: 'follow', userId: u, targetUserId: 'bob', timestamp: t0 + 3 },
      { type: 'click', userId: u, itemId: 'sku-2', timestamp: t0 + 5_000 },
    ]);
    // Nothing is sent while the windows are open.
    expect(await interactionsOf(u)).toEqual([]);

    await closeWindowsAt(u, t0 + 10_000);
    await vi.waitFor(
      async () =>
        expect(await interactionsOf(u)).toEqual([
          { item_id: 'post-1', window_start: t0, type: 'share', count: 1 },
          { item_id: 'sku-1', window_start: t0, type: 'view', count: 2 },
        ]),
      { timeout: 10_000, interval: 100 },
    );
    const edges = await env.DB.prepare(
      'SELECT target_id, type, count FROM engagements WHERE user_id = ?',
    )
      .bind(u)
      .all();
    expect(edges.results).toEqual([{ target_id: 'bob', type: 'share', count: 1 }]);
    const follow = await env.DB.prepare(
      'SELECT target_id, following FROM follows WHERE user_id = ?',
    )
      .bind(u)
      .all();
    expect(follow.results).toEqual([{ target_id: 'bob', following: 1 }]);

    // The second window follows when it closes.
    await closeWindowsAt(u, t0 + 15_000);
    await vi.waitFor(async () => expect(await interactionsOf(u)).toHaveLength(3), {
      timeout: 10_000,
      interval: 100,
    });
  });
});

describe('the outbox', () => {
  it('keeps a batch the queue refused and sends it again on a later alarm', async () => {
    const u = 'outbox-retry';
    const t0 = alignedNow(2);
    const stub = userStub(u);
    await closeWindowsAt(u, t0 + 1_000);
    await postEvents([{ type: 'purchase', userId: u, itemId: 'sku-9', timestamp: t0 }]);

    await runInDurableObject(stub, (instance: UserActivity) => {
      const refuse = () => Promise.reject(new Error('queue unavailable'));
      instance.logQueue = { send: refuse, sendBatch: refuse } as unknown as Queue;
    });
    await closeWindowsAt(u, t0 + 10_000);
    expect((await stub.storageSizes()).outbox).toBe(1);

    await runInDurableObject(stub, (instance: UserActivity) => {
      instance.logQueue = env.INTERACTIONS;
    });
    // The retry is due 2 s after the failure.
    await closeWindowsAt(u, t0 + 12_000);
    expect((await stub.storageSizes()).outbox).toBe(0);
    await vi.waitFor(
      async () =>
        expect(await interactionsOf(u)).toEqual([
          { item_id: 'sku-9', window_start: t0, type: 'purchase', count: 1 },
        ]),
      { timeout: 10_000, interval: 100 },
    );
  });
});
