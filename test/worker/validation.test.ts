import { describe, expect, it } from 'vitest';
import { activity, alignedNow, postEvents } from './helpers.ts';

const MINUTE = 60_000;
const base = () => ({
  type: 'view',
  userId: 'v-user',
  itemId: 'item-1',
  timestamp: alignedNow(-1),
});

/** Posts one valid event beside `bad`, so the batch is accepted and `bad` is rejected. */
async function rejectionOf(bad: unknown) {
  const res = await postEvents([base(), bad]);
  expect(res.status).toBe(202);
  const body = (await res.json()) as {
    accepted: number;
    rejected: { index: number; code: string; message: string }[];
  };
  expect(body.accepted).toBe(1);
  expect(body.rejected).toHaveLength(1);
  expect(body.rejected[0]?.index).toBe(1);
  return body.rejected[0] as { code: string; message: string };
}

describe('per-event rejections', () => {
  it.each([
    ['a string', 'not_an_object', 'object'],
    [null, 'not_an_object', 'object'],
    [[1, 2], 'not_an_object', 'object'],
  ])('%j is not an event', async (bad, code, words) => {
    const r = await rejectionOf(bad);
    expect(r.code).toBe(code);
    expect(r.message).toContain(words);
  });

  it.each([
    [{ type: 'view', itemId: 'i' }, 'missing_field', 'userId is required'],
    [{ userId: 'u', itemId: 'i' }, 'missing_field', 'type is required'],
    [{ type: 'click', userId: 'u' }, 'missing_field', "itemId is required for type 'click'"],
    [
      { type: 'follow', userId: 'u' },
      'missing_field',
      "targetUserId is required for type 'follow'",
    ],
    [
      { type: 'unfollow', userId: 'u' },
      'missing_field',
      "targetUserId is required for type 'unfollow'",
    ],
    [{ type: 'teleport', userId: 'u', itemId: 'i' }, 'unknown_type', "type 'teleport'"],
    [{ type: 'view', userId: 'has space', itemId: 'i' }, 'invalid_field', 'userId'],
    [{ type: 'view', userId: 'x'.repeat(129), itemId: 'i' }, 'invalid_field', 'userId'],
    [{ type: 'view', userId: '', itemId: 'i' }, 'invalid_field', 'userId'],
    [{ type: 'view', userId: 'u', itemId: 'i/../j' }, 'invalid_field', 'itemId'],
    [{ type: 'view', userId: 7, itemId: 'i' }, 'invalid_field', 'userId'],
    [
      { type: 'view', userId: 'u', itemId: 'i', targetUserId: 'v' },
      'invalid_field',
      'targetUserId',
    ],
    [{ type: 'view', userId: 'u', itemId: 'i', id: 'x'.repeat(65) }, 'invalid_field', 'id'],
    [
      { type: 'view', userId: 'u', itemId: 'i', campaign: 'c'.repeat(129) },
      'invalid_field',
      'campaign',
    ],
    [{ type: 'view', userId: 'u', itemId: 'i', recId: 5 }, 'invalid_field', 'recId'],
    [{ type: 'purchase', userId: 'u', itemId: 'i', value: '9.99' }, 'invalid_field', 'value'],
    [
      { type: 'view', userId: 'u', itemId: 'i', properties: { a: { b: 1 } } },
      'invalid_field',
      'properties',
    ],
    [{ type: 'view', userId: 'u', itemId: 'i', properties: [1] }, 'invalid_field', 'properties'],
    [
      { type: 'view', userId: 'u', itemId: 'i', properties: { a: 'x'.repeat(2100) } },
      'invalid_field',
      '2048',
    ],
    [
      { type: 'view', userId: 'u', itemId: 'i', timestamp: 'yesterday' },
      'invalid_field',
      'timestamp',
    ],
    [
      { type: 'view', userId: 'u', itemId: 'i', timestamp: '2026-12-03T10:00:00' },
      'invalid_field',
      'zone',
    ],
    [{ type: 'view', userId: 'u', itemId: 'i', timestamp: true }, 'invalid_field', 'timestamp'],
    [{ type: 'view', userId: 'u', itemId: 'i', sentAt: 'soon' }, 'invalid_field', 'sentAt'],
  ])('%j → %s', async (bad, code, words) => {
    const r = await rejectionOf(bad);
    expect(r.code).toBe(code);
    expect(r.message).toContain(words);
  });

  it('rejects event times more than 5 minutes ahead or 24 hours behind', async () => {
    const now = Date.now();
    const future = await rejectionOf({ ...base(), timestamp: now + 6 * MINUTE });
    expect(future.code).toBe('timestamp_out_of_range');
    const old = await rejectionOf({ ...base(), timestamp: now - 24 * 60 * MINUTE - MINUTE });
    expect(old.code).toBe('timestamp_out_of_range');
    const iso = await rejectionOf({
      ...base(),
      timestamp: new Date(now + 10 * MINUTE).toISOString(),
    });
    expect(iso.code).toBe('timestamp_out_of_range');
  });

  it('accepts ISO-8601 times with a zone, and optional fields of the right shape', async () => {
    const t = alignedNow(-3);
    const res = await postEvents([
      { type: 'view', userId: 'v-iso', itemId: 'i', timestamp: new Date(t + 100).toISOString() },
      { type: 'like', userId: 'v-iso', itemId: 'i', targetUserId: 'author-1', timestamp: t + 200 },
      {
        type: 'purchase',
        userId: 'v-iso',
        itemId: 'i',
        value: 19.5,
        campaign: 'winter',
        recId: 'rec-1',
        properties: { currency: 'EUR', gift: false, note: null },
        timestamp: t + 300,
      },
      { type: 'follow', userId: 'v-iso', targetUserId: 'author-1', timestamp: t + 400 },
    ]);
    expect(await res.json()).toEqual({ accepted: 4, duplicates: 0, rejected: [] });
    const view = await activity('v-iso');
    expect(view.windows[0]?.counts).toEqual({ view: 1, like: 1, purchase: 1, follow: 1 });
  });
});

describe('event time', () => {
  it('defaults to the time of receipt', async () => {
    const before = Date.now();
    await postEvents({ type: 'view', userId: 'v-now', itemId: 'i' });
    const w = (await activity('v-now')).windows[0];
    expect(w?.start).toBe(Math.floor(before / 5000) * 5000);
  });

  it('is corrected for client clock skew with sentAt', async () => {
    // A client whose clock runs 1 hour slow stamps and sends its event "1 hour ago".
    const skew = 60 * MINUTE;
    const now = Date.now();
    const res = await postEvents({
      type: 'view',
      userId: 'v-skew',
      itemId: 'i',
      timestamp: now - skew - 7_000,
      sentAt: now - skew,
    });
    expect((await res.json()) as object).toMatchObject({ accepted: 1 });
    const w = (await activity('v-skew')).windows[0];
    // Corrected: 7 s before receipt, not an hour before.
    expect(Math.abs((w?.start ?? 0) - (now - 7_000))).toBeLessThan(5_000 + 1_000);
  });

  it('rescues a skewed clock that would otherwise be out of range', async () => {
    const now = Date.now();
    const ahead = 2 * 60 * MINUTE;
    const res = await postEvents({
      type: 'view',
      userId: 'v-ahead',
      itemId: 'i',
      timestamp: now + ahead,
      sentAt: now + ahead,
    });
    expect((await res.json()) as object).toMatchObject({ accepted: 1, rejected: [] });
  });
});
