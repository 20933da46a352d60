import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { UserActivity } from '../../durable-objects/user-activity.ts';
import {
  activity,
  alignedNow,
  closeWindowsAt,
  getAsUser,
  postEvents,
  userStub,
} from './helpers.ts';

const HOUR = 3_600_000;

async function setClock(userId: string, now: number) {
  await runInDurableObject(userStub(userId), (instance: UserActivity) => {
    instance.clock = () => now;
  });
}

const events = (userId: string, type: string, times: number[]) =>
  times.map((timestamp) => ({ type, userId, itemId: 'item-a', timestamp }));

describe('5-second windows', () => {
  it('are epoch-aligned, close by alarm after the lateness, and count late events', async () => {
    const u = 'w-close';
    const t0 = alignedNow(2);
    await setClock(u, t0 + 1_000);
    await postEvents([
      ...events(u, 'view', [t0, t0 + 1, t0 + 4_999]),
      ...events(u, 'click', [t0 + 2_500]),
      ...events(u, 'view', [t0 + 5_000, t0 + 9_999]),
    ]);

    let view = await activity(u);
    expect(view.windows.map((w) => [w.start, w.end, w.closed, w.counts, w.late])).toEqual([
      [t0 + 5_000, t0 + 10_000, false, { view: 2 }, 0],
      [t0, t0 + 5_000, false, { view: 3, click: 1 }, 0],
    ]);

    // Window t0 closes at its end plus 5 s of lateness; the next one is still open.
    expect(await closeWindowsAt(u, t0 + 9_999)).toBe(true);
    expect((await activity(u)).windows.map((w) => w.closed)).toEqual([false, false]);
    await closeWindowsAt(u, t0 + 10_000);
    expect((await activity(u)).windows.map((w) => w.closed)).toEqual([false, true]);

    // A late event is added to its closed window and counted as late.
    await postEvents(events(u, 'view', [t0 + 100]));
    await closeWindowsAt(u, t0 + 15_000);
    view = await activity(u);
    expect(view.windows.map((w) => [w.start, w.closed, w.counts, w.late])).toEqual([
      [t0 + 5_000, true, { view: 2 }, 0],
      [t0, true, { view: 4, click: 1 }, 1],
    ]);
  });

  it('honours limit, newest first', async () => {
    const u = 'w-limit';
    const t0 = alignedNow(-30);
    await postEvents(
      events(
        u,
        'view',
        [0, 1, 2, 3, 4].map((i) => t0 + i * 5_000),
      ),
    );
    const res = await getAsUser(u, `/v1/users/${u}/activity?limit=2`);
    const body = (await res.json()) as { windows: { start: number }[] };
    expect(body.windows.map((w) => w.start)).toEqual([t0 + 20_000, t0 + 15_000]);
  });

  it('survive eviction of the object', async () => {
    const u = 'w-evict';
    const t0 = alignedNow(-4);
    await postEvents(events(u, 'like', [t0, t0 + 1]));
    const before = await activity(u);
    await evictDurableObject(userStub(u));
    expect(await activity(u)).toEqual(before);
    expect(before.windows[0]?.counts).toEqual({ like: 2 });
  });

  it('roll up hourly and are pruned after the window history', async () => {
    const u = 'w-prune';
    const t0 = alignedNow(2);
    await setClock(u, t0 + 1_000);
    await postEvents([...events(u, 'view', [t0, t0 + 5_000]), ...events(u, 'share', [t0 + 5_001])]);
    await closeWindowsAt(u, t0 + 20_000);
    expect((await activity(u)).windows).toHaveLength(2);

    // An hour later the pruning alarm removes the 5-second windows; the hour stays.
    await closeWindowsAt(u, t0 + HOUR + 60_000);
    expect((await activity(u)).windows).toEqual([]);
    const res = await getAsUser(u, `/v1/users/${u}/activity?resolution=hour`);
    const hours = (await res.json()) as {
      windowMs: number;
      windows: { start: number; counts: object }[];
    };
    expect(hours.windowMs).toBe(HOUR);
    expect(hours.windows).toEqual([
      expect.objectContaining({
        start: Math.floor(t0 / HOUR) * HOUR,
        counts: { view: 2, share: 1 },
      }),
    ]);

    // After 30 days the roll-up goes too, and the object has nothing left to wake up for.
    await closeWindowsAt(u, t0 + 31 * 24 * HOUR);
    const after = await getAsUser(u, `/v1/users/${u}/activity?resolution=hour`);
    expect(((await after.json()) as { windows: unknown[] }).windows).toEqual([]);
    expect(await runDurableObjectAlarm(userStub(u))).toBe(false);
  });
});

describe('deduplication by event id', () => {
  it('counts an id once across requests and within a batch', async () => {
    const u = 'd-user';
    const t = alignedNow(-2);
    const e = { id: 'evt-1', type: 'click', userId: u, itemId: 'i', timestamp: t };
    expect(await (await postEvents(e)).json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [],
    });
    expect(
      await (await postEvents([e, { ...e, id: 'evt-2' }, { ...e, id: 'evt-2' }])).json(),
    ).toEqual({
      accepted: 1,
      duplicates: 2,
      rejected: [],
    });
    expect((await activity(u)).windows[0]?.counts).toEqual({ click: 2 });
  });

  it('keeps ids per user: the same id from two users counts for both', async () => {
    const t = alignedNow(-2);
    const res = await postEvents([
      { id: 'shared', type: 'view', userId: 'd-a', itemId: 'i', timestamp: t },
      { id: 'shared', type: 'view', userId: 'd-b', itemId: 'i', timestamp: t },
    ]);
    expect(await res.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  });
});

describe('exact counts under concurrency', () => {
  it('adds up per window and type when many batches arrive at once, late ones included', async () => {
    const users = ['c-0', 'c-1', 'c-2', 'c-3'];
    const types = ['view', 'click', 'like', 'share'];
    const t0 = alignedNow(-20);
    const expected = new Map<string, number>();
    const batches = Array.from({ length: 24 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) => {
        const userId = users[(b + i) % users.length] as string;
        const type = types[(b * 7 + i) % types.length] as string;
        // Windows from 100 s ago (late) to now (open).
        const timestamp = t0 + ((b * 13 + i * 7) % 20) * 5_000 + (i % 5_000);
        const key = `${userId}|${Math.floor(timestamp / 5_000) * 5_000}|${type}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
        return { type, userId, itemId: `item-${i % 3}`, timestamp };
      }),
    );

    const replies = await Promise.all(batches.map((batch) => postEvents(batch)));
    expect(replies.map((r) => r.status)).toEqual(batches.map(() => 202));

    const actual = new Map<string, number>();
    for (const userId of users) {
      for (const w of (await activity(userId)).windows) {
        for (const [type, n] of Object.entries(w.counts))
          actual.set(`${userId}|${w.start}|${type}`, n);
      }
    }
    expect(actual).toEqual(expected);
  });
});
