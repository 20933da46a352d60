import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activity, call } from './helpers.ts';

const POOL = ['fz-a', 'fz-b', 'fz-c'];
const TYPES = ['view', 'click', 'like', 'follow', 'purchase', 'impression', 'bogus'];

/** Events that are sometimes valid and often broken in one field. */
const eventArb = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...TYPES), fc.anything()),
    userId: fc.oneof(fc.constantFrom(...POOL), fc.string(), fc.anything()),
    itemId: fc.oneof(fc.constant('item-1'), fc.string({ maxLength: 140 }), fc.anything()),
    targetUserId: fc.oneof(fc.constant('fz-a'), fc.anything()),
    timestamp: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.date().map((d) => d.toString()),
      fc.anything(),
    ),
    id: fc.oneof(fc.string({ maxLength: 80 }), fc.anything()),
    properties: fc.anything(),
    value: fc.oneof(fc.double(), fc.anything()),
  },
  { requiredKeys: [] },
);

const bodyArb = fc.oneof(
  eventArb.map((e) => JSON.stringify(e)),
  fc.array(eventArb, { maxLength: 120 }).map((a) => JSON.stringify(a)),
  fc.array(eventArb, { maxLength: 5 }).map((a) => JSON.stringify({ events: a })),
  fc.json(),
  fc.string(),
  fc.uint8Array({ maxLength: 64 }),
);

const headersArb = fc.record(
  {
    'Content-Type': fc.constantFrom(
      'application/json',
      'text/plain',
      'text/html',
      'application/json; charset=utf-8',
      '',
    ),
    Origin: fc.constantFrom('https://shop.example', 'https://evil.example', 'null'),
    'X-Starling-Key': fc.constantFrom('dev-site-key', 'shop-key', 'wrong'),
  },
  { requiredKeys: [] },
);

const queryArb = fc.constantFrom(
  '',
  '?key=dev-site-key',
  '?key=shop-key',
  '?key=',
  '?key=dev-site-key&key=x',
);

async function snapshot() {
  return Promise.all(POOL.map(async (u) => (await activity(u)).windows));
}

describe('arbitrary requests', () => {
  it('never answer 5xx, and a refused request changes nothing', async () => {
    let before = await snapshot();
    await fc.assert(
      fc.asyncProperty(bodyArb, headersArb, queryArb, async (body, headers, query) => {
        const res = await call(`/v1/events${query}`, {
          method: 'POST',
          headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== '')),
          body,
        });
        expect(res.status).toBeLessThan(500);
        const reply = (await res.json()) as { error?: { code: string }; accepted?: number };
        const after = await snapshot();
        if (res.status >= 400) {
          expect(typeof reply.error?.code).toBe('string');
          expect(after).toEqual(before);
        } else {
          expect(res.status).toBe(202);
        }
        before = after;
      }),
      { numRuns: 150, seed: 20261203 },
    );
  });
});
