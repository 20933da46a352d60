import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RecomputeSummary } from '../../src/jobs/summary.ts';
import type { LogBatch } from '../../src/log/messages.ts';
import { readPointer } from '../../src/publish/snapshots.ts';
import { asAdmin, call, deliver, expectError, getAsUser } from './helpers.ts';

/**
 * The batch side through the Worker's own routes: a log seeded through the queue consumer,
 * the recompute job, and the reads it publishes to KV.
 *
 * The data: two taste communities of six users, `a0..a5` on items `A0..A4` and `b0..b5` on
 * `B0..B4`; user `x{i}` has clicked every item of the community but `X{i mod 5}`. Socially,
 * everyone follows `a0`, and `a0` follows `b0`.
 */
const HOUR = 3_600_000;
const WINDOW = Math.floor((Date.now() - HOUR) / 5000) * 5000;

function communityBatches(): LogBatch[] {
  const batches: LogBatch[] = [];
  for (const c of ['a', 'b']) {
    for (let u = 0; u < 6; u++) {
      const userId = `${c}${u}`;
      const items = [0, 1, 2, 3, 4].filter((i) => i !== u % 5).map((i) => `${c.toUpperCase()}${i}`);
      batches.push({
        v: 1,
        batchId: `${userId}#1#1`,
        userId,
        epoch: 1,
        interactions: items.map((item) => [item, WINDOW, 'click', 1]),
        engagements: userId === 'a0' ? [] : [['a0', WINDOW, 'like', 1]],
        follows: userId === 'a0' ? [['b0', 1, WINDOW]] : [['a0', 1, WINDOW]],
      });
    }
  }
  return batches;
}

async function recomputeNow(): Promise<RecomputeSummary> {
  const res = await asAdmin('/v1/admin/recompute', { method: 'POST' });
  expect(res.status).toBe(200);
  return (await res.json()) as RecomputeSummary;
}

interface Recommendations {
  userId: string;
  items: { itemId: string; score: number }[];
  strategy: string;
  modelVersion: string | null;
  generatedAt: number | null;
}

async function recommendations(userId: string, query = ''): Promise<Recommendations> {
  const res = await getAsUser(userId, `/v1/users/${userId}/recommendations${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Recommendations;
}

let first: RecomputeSummary;

beforeAll(async () => {
  const batches = communityBatches();
  const verdicts = await deliver(batches.map((body) => ({ id: body.batchId, body })));
  expect(verdicts.explicitAcks).toHaveLength(batches.length);
  first = await recomputeNow();
});

describe('the recompute job', () => {
  it('summarises what it read and published', () => {
    expect(first).toMatchObject({
      trigger: 'admin',
      users: 12,
      items: 10,
      interactions: 48,
      scoredUsers: 12,
      // 11 follows of a0 and one of b0; the likes run along the same pairs.
      nodes: 12,
      edges: 12,
      failures: [],
      als: { warmStart: false, modelKept: true },
    });
    expect(first.modelVersion).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(first.pagerankIterations).toBeGreaterThan(0);
    for (const phase of ['retention', 'loadLog', 'train', 'topN', 'similar', 'publish']) {
      expect(first.timingsMs[phase]).toBeGreaterThanOrEqual(0);
    }
  });

  it('is recorded in D1 and readable in the stats', async () => {
    const res = await asAdmin('/v1/admin/stats');
    expect(res.status).toBe(200);
    const stats = (await res.json()) as {
      log: Record<string, number>;
      recentJobs: { status: string; summary: RecomputeSummary }[];
    };
    expect(stats.log).toMatchObject({ interactionRows: 48, follows: 12 });
    expect(stats.recentJobs[0]).toMatchObject({
      status: 'ok',
      summary: { modelVersion: first.modelVersion },
    });
  });
});

describe('recommendations', () => {
  it("recommend the user's own community first and never an item they interacted with", async () => {
    const recs = await recommendations('a1', '?limit=50');
    expect(recs).toMatchObject({
      userId: 'a1',
      strategy: 'als',
      modelVersion: first.modelVersion,
      generatedAt: first.generatedAt,
    });
    const ids = recs.items.map((i) => i.itemId);
    // a1 has clicked A0, A2, A3 and A4: of the ten items, six are left, A1 the one its
    // community shares.
    expect(ids).toHaveLength(6);
    expect(ids[0]).toBe('A1');
    expect(ids).not.toContain('A0');
    expect(new Set(ids)).toEqual(new Set(['A1', 'B0', 'B1', 'B2', 'B3', 'B4']));
    const scores = recs.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
  });

  it('honour limit, and refuse a limit out of range', async () => {
    expect((await recommendations('b2', '?limit=1')).items.map((i) => i.itemId)).toEqual(['B2']);
    const res = await getAsUser('b2', '/v1/users/b2/recommendations?limit=0');
    await expectError(res, 400, 'invalid_request');
    const big = await getAsUser('b2', '/v1/users/b2/recommendations?limit=51');
    await expectError(big, 400, 'invalid_request');
  });

  it('fall back to popular items for a user the model has not seen', async () => {
    const recs = await recommendations('newcomer');
    expect(recs.strategy).toBe('popular');
    expect(recs.modelVersion).toBe(first.modelVersion);
    // Every item was clicked by five users: all ten are equally popular.
    expect(recs.items).toHaveLength(10);
  });

  it("need the user's own token", async () => {
    await expectError(await call('/v1/users/a1/recommendations'), 401, 'unauthorized');
    const other = await getAsUser('b1', '/v1/users/a1/recommendations');
    await expectError(other, 403, 'forbidden');
  });
});

describe('similar items', () => {
  it('are the items of the same community, by cosine', async () => {
    const res = await call('/v1/items/A0/similar?key=dev-site-key&limit=4');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { itemId: string; items: { itemId: string }[] };
    expect(body).toMatchObject({ itemId: 'A0', modelVersion: first.modelVersion });
    expect(new Set(body.items.map((i) => i.itemId))).toEqual(new Set(['A1', 'A2', 'A3', 'A4']));
  });

  it('answer 404 for an item the model does not know, 401 without a site key', async () => {
    await expectError(await call('/v1/items/nope/similar?key=dev-site-key'), 404, 'not_found');
    await expectError(await call('/v1/items/A0/similar'), 401, 'unauthorized');
  });
});

describe('influence', () => {
  it('ranks the user everyone follows first, with ranks that sum to at most 1', async () => {
    const res = await call('/v1/influencers?key=dev-site-key&limit=20');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      nodes: number;
      edges: number;
      generatedAt: number;
      items: { userId: string; rank: number; pagerank: number; core: number }[];
    };
    expect(body).toMatchObject({ nodes: 12, edges: 12, generatedAt: first.generatedAt });
    expect(body.items).toHaveLength(12);
    expect(body.items[0]).toMatchObject({ userId: 'a0', rank: 1 });
    // a0 passes all its rank on to b0, its only follow.
    expect(body.items[1]).toMatchObject({ userId: 'b0', rank: 2 });
    const total = body.items.reduce((sum, i) => sum + i.pagerank, 0);
    expect(total).toBeCloseTo(1, 6);
    expect(body.items.map((i) => i.rank)).toEqual(body.items.map((_, i) => i + 1));
    // A star: every user is linked to a0 only (b0 twice), so every core number is 1.
    expect(new Set(body.items.map((i) => i.core))).toEqual(new Set([1]));
  });

  it("is served per user with the user's token; an unknown user is a 404", async () => {
    const res = await getAsUser('a0', '/v1/users/a0/influence');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userId: 'a0', rank: 1, core: 1 });
    await expectError(await getAsUser('ghost', '/v1/users/ghost/influence'), 404, 'not_found');
  });
});

describe('publishing', () => {
  it('keeps the previous version as the fallback when a newer one is published', async () => {
    const second = await recomputeNow();
    expect(second.als?.warmStart).toBe(true);
    expect(second.modelVersion).not.toBe(first.modelVersion);
    const pointer = await readPointer(env.SNAPSHOTS);
    expect(pointer?.parts.recommendations?.version).toBe(second.modelVersion);
    expect(pointer?.previous.recommendations?.version).toBe(first.modelVersion);
    expect((await recommendations('a1')).modelVersion).toBe(second.modelVersion);
  });

  it('rescores only the users whose log changed, and carries the others over', async () => {
    const before = await recommendations('b3', '?limit=50');
    // As if every batch so far had been applied long before the last snapshot.
    await env.DB.prepare('UPDATE applied_batches SET applied_at = 0').run();
    const newItem: LogBatch = {
      v: 1,
      batchId: 'a2#1#2',
      userId: 'a2',
      epoch: 1,
      interactions: [['A2', WINDOW, 'purchase', 1]],
      engagements: [],
      follows: [],
    };
    await deliver([{ id: 'a2-more', body: newItem }]);

    const third = await recomputeNow();
    expect(third.scoredUsers).toBe(1);
    const after = await recommendations('b3', '?limit=50');
    expect(after.modelVersion).toBe(third.modelVersion);
    expect(after.items).toEqual(before.items);
    // a2 was rescored: A2 is now among its items, so it is no longer recommended.
    const a2 = await recommendations('a2', '?limit=50');
    expect(a2.items.map((i) => i.itemId)).not.toContain('A2');
    expect(a2.items).toHaveLength(5);
  });
});
