import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { runRecompute } from '../../src/jobs/recompute.ts';
import type { LogBatch } from '../../src/log/messages.ts';
import { readPointer } from '../../src/publish/snapshots.ts';
import {
  activity,
  alignedNow,
  asAdmin,
  call,
  deliver,
  expectError,
  getAsUser,
  LOG_QUEUE,
  postEvents,
} from './helpers.ts';

const WINDOW = Math.floor((Date.now() - 3_600_000) / 5000) * 5000;

/** A log batch of `userId`: views of `items`, and a follow and a like of `target`. */
function batch(userId: string, items: string[], target: string): LogBatch {
  return {
    v: 1,
    batchId: `${userId}#1#1`,
    userId,
    epoch: 1,
    interactions: items.map((item) => [item, WINDOW, 'view', 1]),
    engagements: [[target, WINDOW, 'like', 1]],
    follows: [[target, 1, WINDOW]],
  };
}

async function rowsNaming(userId: string): Promise<number> {
  const row = await env.DB.prepare(
    `SELECT (SELECT COUNT(*) FROM interactions WHERE user_id = ?1)
          + (SELECT COUNT(*) FROM engagements WHERE user_id = ?1 OR target_id = ?1)
          + (SELECT COUNT(*) FROM follows WHERE user_id = ?1 OR target_id = ?1)
          + (SELECT COUNT(*) FROM applied_batches WHERE batch_id LIKE ?1 || '#%')
          + (SELECT COUNT(*) FROM dead_letters WHERE instr(body, ?1) > 0) AS n`,
  )
    .bind(userId)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

describe('DELETE /v1/users/{userId}', () => {
  it('removes the windows, log rows, edges and published entries of the user', async () => {
    const eve = batch('eve', ['x1', 'x2'], 'sam');
    await deliver([
      { id: 'eve-1', body: eve },
      { id: 'sam-1', body: batch('sam', ['x2', 'x3'], 'eve') },
      { id: 'ann-1', body: batch('ann', ['x1', 'x3'], 'eve') },
    ]);
    // One of eve's batches that the queue gave up on, as the dead-letter queue keeps it.
    const dead = { id: 'eve-dead', body: { ...eve, batchId: 'eve#1#2' }, attempts: 6 };
    await deliver([dead], `${LOG_QUEUE}-dlq`);
    await postEvents([{ type: 'view', userId: 'eve', itemId: 'x9', timestamp: alignedNow(-1) }]);
    const summary = await runRecompute(env, 'test');
    expect((await activity('eve')).windows).toHaveLength(1);
    expect(await rowsNaming('eve')).toBeGreaterThan(0);
    expect(
      (await (await getAsUser('eve', '/v1/users/eve/recommendations')).json()) as object,
    ).toMatchObject({ strategy: 'als' });

    const res = await asAdmin('/v1/users/eve', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      userId: 'eve',
      erased: true,
      removed: {
        // The window is still open: not yet rolled up into an hour, its log rows still pending.
        activity: { windows: 1, hours: 0, pending: 1 },
        // Two views; likes of sam and from sam and ann; follows likewise; the dead letter.
        log: { interactions: 2, engagements: 3, follows: 3, deadLetters: 1 },
        snapshots: expect.arrayContaining(['recommendations', 'influence']),
      },
    });

    expect((await activity('eve')).windows).toEqual([]);
    expect(await rowsNaming('eve')).toBe(0);
    const recs = await (await getAsUser('eve', '/v1/users/eve/recommendations')).json();
    expect(recs).toMatchObject({ strategy: 'popular', modelVersion: summary.modelVersion });
    await expectError(await getAsUser('eve', '/v1/users/eve/influence'), 404, 'not_found');
    const top = (await (await call('/v1/influencers?key=dev-site-key&limit=100')).json()) as {
      items: { userId: string }[];
    };
    expect(top.items.map((i) => i.userId)).not.toContain('eve');

    // The factors kept for the next warm start no longer name her.
    const version = (await readPointer(env.SNAPSHOTS))?.parts.recommendations?.version;
    const ids = await env.SNAPSHOTS.get<string[]>(`model/${version}/user-ids`, 'json');
    expect(ids).not.toContain('eve');
    expect(ids).toContain('sam');
  });

  it('keeps a batch produced before the erasure out of the log when the queue redelivers it', async () => {
    await deliver([{ id: 'eve-1-again', body: batch('eve', ['x1', 'x2'], 'sam'), attempts: 2 }]);
    expect(await rowsNaming('eve')).toBe(0);
    const after = await runRecompute(env, 'test');
    expect(after.users).toBe(2);
  });

  it('leaves the object usable: the next events of the user are counted afresh', async () => {
    const res = await postEvents([{ type: 'click', userId: 'eve', itemId: 'x7' }]);
    expect(await res.json()).toMatchObject({ accepted: 1 });
    expect((await activity('eve')).windows.map((w) => w.counts)).toEqual([{ click: 1 }]);
  });

  it('refuses an id that no user can have', async () => {
    await expectError(
      await asAdmin('/v1/users/a%20b', { method: 'DELETE' }),
      400,
      'invalid_request',
    );
  });
});
