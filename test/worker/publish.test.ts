import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import worker from '../../src/index.ts';
import { runRecompute } from '../../src/jobs/recompute.ts';
import type { LogBatch } from '../../src/log/messages.ts';
import { bucketOf } from '../../src/publish/buckets.ts';
import { bucketKey, POINTER_KEY, readPointer } from '../../src/publish/snapshots.ts';
import {
  alignedNow,
  asAdmin,
  call,
  closeWindowsAt,
  deliver,
  expectError,
  getAsUser,
  postEvents,
} from './helpers.ts';

const DAY = 86_400_000;
const recent = () => Math.floor((Date.now() - 3_600_000) / 5000) * 5000;

function batch(userId: string, seq: number, items: string[], windowStart = recent()): LogBatch {
  return {
    v: 1,
    batchId: `${userId}#1#${seq}`,
    userId,
    epoch: 1,
    interactions: items.map((item) => [item, windowStart, 'view', 1]),
    engagements: [],
    follows: [],
  };
}

async function seed(...batches: LogBatch[]) {
  await deliver(batches.map((body) => ({ id: `${body.batchId}@${Math.random()}`, body })));
}

async function recsOf(userId: string) {
  const res = await getAsUser(userId, `/v1/users/${userId}/recommendations?limit=50`);
  expect(res.status).toBe(200);
  return (await res.json()) as {
    items: { itemId: string }[];
    strategy: string;
    modelVersion: string | null;
  };
}

/** The real KV namespace, but every write of the version pointer fails. */
function pointerWritesFail(kv: KVNamespace): KVNamespace {
  return new Proxy(kv, {
    get(target, property) {
      if (property === 'put') {
        return (key: string, ...rest: unknown[]) =>
          key === POINTER_KEY
            ? Promise.reject(new Error('KV unavailable'))
            : (target.put as (...a: unknown[]) => Promise<void>)(key, ...rest);
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a recompute that fails before its pointer is written', () => {
  it('leaves the previous version serving, and is recorded as failed', async () => {
    await seed(batch('p1', 1, ['i1', 'i2']), batch('p2', 1, ['i2', 'i3']));
    const before = await runRecompute(env, 'test');
    expect((await recsOf('p1')).modelVersion).toBe(before.modelVersion);

    await seed(batch('p3', 1, ['i3', 'i4']));
    const broken = { ...env, SNAPSHOTS: pointerWritesFail(env.SNAPSHOTS) };
    await expect(runRecompute(broken, 'test')).rejects.toThrow('KV unavailable');

    // Buckets of the failed version were written, but nobody reads them.
    expect((await readPointer(env.SNAPSHOTS))?.parts.recommendations?.version).toBe(
      before.modelVersion,
    );
    expect((await recsOf('p1')).modelVersion).toBe(before.modelVersion);
    // p3 arrived after the served version: it still gets the fallback of that version.
    expect(await recsOf('p3')).toMatchObject({
      strategy: 'popular',
      modelVersion: before.modelVersion,
    });

    const job = await env.DB.prepare(
      'SELECT status, summary FROM jobs ORDER BY id DESC LIMIT 1',
    ).first<{ status: string; summary: string }>();
    expect(job?.status).toBe('failed');
    expect(JSON.parse(job?.summary ?? '{}')).toEqual({ error: 'Error', message: 'KV unavailable' });
  });
});

describe('a log too large for one isolate', () => {
  it('is refused before it is read, and the previous version keeps serving', async () => {
    const follows: LogBatch['follows'] = ['f1', 'f2', 'f3'].map((t) => [t, 1, recent()]);
    await seed({ ...batch('big-1', 1, ['m1', 'm2', 'm3']), follows });
    const before = await runRecompute(env, 'test');
    const small = { ...env, RECOMPUTE_MAX_ROWS: '2' };
    const summary = await runRecompute(small, 'test');
    expect(summary.failures).toEqual([
      expect.objectContaining({ part: 'recommendations', code: 'too_large' }),
      expect.objectContaining({ part: 'influence', code: 'too_large' }),
    ]);
    expect(summary).toMatchObject({ users: 0, als: null });
    expect((await readPointer(env.SNAPSHOTS))?.parts.recommendations?.version).toBe(
      before.modelVersion,
    );
    const job = await env.DB.prepare('SELECT status FROM jobs ORDER BY id DESC LIMIT 1').first();
    expect(job).toEqual({ status: 'partial' });
  });
});

describe('readers', () => {
  it("fall back to the previous version when the newest version's bucket is missing", async () => {
    await seed(batch('r1', 1, ['j1', 'j2']), batch('r2', 1, ['j2', 'j3']));
    const older = await runRecompute(env, 'test');
    const newer = await runRecompute(env, 'test');
    expect((await recsOf('r1')).modelVersion).toBe(newer.modelVersion);

    const part = (await readPointer(env.SNAPSHOTS))?.parts.recommendations;
    if (!part) throw new Error('no recommendations published');
    await env.SNAPSHOTS.delete(
      bucketKey('recommendations', part.version, bucketOf('r1', part.buckets)),
    );
    expect(await recsOf('r1')).toMatchObject({ strategy: 'als', modelVersion: older.modelVersion });
  });
});

describe('the cron trigger', () => {
  it('runs the same job and records it', async () => {
    await seed(batch('c1', 1, ['k1', 'k2']));
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '*/15 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const job = await env.DB.prepare(
      'SELECT status, summary FROM jobs ORDER BY id DESC LIMIT 1',
    ).first<{ status: string; summary: string }>();
    expect(job?.status).toBe('ok');
    expect(JSON.parse(job?.summary ?? '{}')).toMatchObject({ trigger: 'cron' });
  });
});

describe('retention', () => {
  it('deletes log rows older than the retention period', async () => {
    const old = Math.floor((Date.now() - 91 * DAY) / 5000) * 5000;
    await seed(batch('old-1', 1, ['ancient'], old), batch('old-1', 2, ['fresh']));
    const summary = await runRecompute(env, 'test');
    expect(summary.deletedRows).toBeGreaterThanOrEqual(1);
    const { results } = await env.DB.prepare(
      'SELECT item_id FROM interactions WHERE user_id = ? ORDER BY item_id',
    )
      .bind('old-1')
      .all();
    expect(results).toEqual([{ item_id: 'fresh' }]);
  });
});

describe('the admin routes', () => {
  it('need the admin token', async () => {
    const wrong = { method: 'POST', headers: { Authorization: 'Bearer wrong' } };
    await expectError(await call('/v1/admin/recompute', wrong), 401, 'unauthorized');
    await expectError(await call('/v1/admin/stats'), 401, 'unauthorized');
    await expectError(await call('/v1/users/p1', { method: 'DELETE' }), 401, 'unauthorized');
  });

  it('list dead letters, newest first, with a validated limit', async () => {
    await deliver([{ id: 'dead-1', body: { not: 'a batch' } }]);
    const res = await asAdmin('/v1/admin/dead-letters?limit=5');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      items: [{ messageId: 'dead-1', body: '{"not":"a batch"}' }],
    });
    await expectError(await asAdmin('/v1/admin/dead-letters?limit=x'), 400, 'invalid_request');
  });
});

describe('events to recommendations, end to end', () => {
  it('a closed window reaches D1 through the queue and the next recompute serves it', async () => {
    const t0 = alignedNow(2);
    const users = ['e2e-1', 'e2e-2', 'e2e-3'];
    for (const u of users) await closeWindowsAt(u, t0 + 1_000);
    await postEvents([
      ...['s1', 's2', 's3'].map((itemId) => ({
        type: 'view',
        userId: 'e2e-1',
        itemId,
        timestamp: t0,
      })),
      ...['s2', 's3', 's4'].map((itemId) => ({
        type: 'click',
        userId: 'e2e-2',
        itemId,
        timestamp: t0,
      })),
      ...['s1', 's4'].map((itemId) => ({ type: 'like', userId: 'e2e-3', itemId, timestamp: t0 })),
    ]);
    for (const u of users) await closeWindowsAt(u, t0 + 10_000);
    await vi.waitFor(
      async () => {
        const row = await env.DB.prepare(
          'SELECT COUNT(*) AS n FROM interactions WHERE user_id LIKE ?',
        )
          .bind('e2e-%')
          .first<{ n: number }>();
        expect(row?.n).toBe(8);
      },
      { timeout: 10_000, interval: 100 },
    );

    const res = await asAdmin('/v1/admin/recompute', { method: 'POST' });
    expect(res.status).toBe(200);
    const recs = await recsOf('e2e-1');
    expect(recs.strategy).toBe('als');
    // The other tests' items are in the log too; s4 is the one this user's neighbours share.
    const ids = recs.items.map((i) => i.itemId);
    expect(ids[0]).toBe('s4');
    for (const seen of ['s1', 's2', 's3']) expect(ids).not.toContain(seen);
  });
});
