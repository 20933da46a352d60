import { describe, expect, it } from 'vitest';
import { activity, alignedNow, postEvents } from './helpers.ts';

describe('POST /v1/events', () => {
  it('accepts one event and counts it in its window', async () => {
    const t = alignedNow(-2) + 1234;
    const res = await postEvents({ type: 'view', userId: 'u1', itemId: 'i1', timestamp: t });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

    const view = await activity('u1');
    expect(view.windowMs).toBe(5000);
    expect(view.windows).toHaveLength(1);
    expect(view.windows[0]).toMatchObject({
      start: t - 1234,
      end: t - 1234 + 5000,
      counts: { view: 1 },
    });
  });
});
