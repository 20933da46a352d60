import { describe, expect, it } from 'vitest';
import { activity, alignedNow, call, expectError, getAsUser, postEvents } from './helpers.ts';

const view = (userId: string, extra: Record<string, unknown> = {}) => ({
  type: 'view',
  userId,
  itemId: 'item-1',
  timestamp: alignedNow(-1),
  ...extra,
});

async function expectNoWindows(userId: string) {
  expect((await activity(userId)).windows).toEqual([]);
}

describe('the error table', () => {
  it('400 invalid_json for a body that is not JSON, and stores nothing', async () => {
    await expectError(await postEvents('{"type": "view",', { raw: true }), 400, 'invalid_json');
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    const res = await call('/v1/events?key=dev-site-key', { method: 'POST', body: bytes });
    await expectError(res, 400, 'invalid_json');
  });

  it('400 invalid_event when no event is valid, with per-event reasons', async () => {
    const error = await expectError(
      await postEvents([
        { type: 'click', userId: 'e-1' },
        { type: 'nope', userId: 'e-1', itemId: 'x' },
      ]),
      400,
      'invalid_event',
    );
    expect(error.details).toEqual({
      rejected: [
        { index: 0, code: 'missing_field', message: "itemId is required for type 'click'" },
        expect.objectContaining({ index: 1, code: 'unknown_type' }),
      ],
    });
    await expectNoWindows('e-1');
  });

  it('400 invalid_event for empty batches and bodies that are not events', async () => {
    await expectError(await postEvents([]), 400, 'invalid_event');
    await expectError(await postEvents({ events: [] }), 400, 'invalid_event');
    await expectError(await postEvents({ events: 'x' }), 400, 'invalid_event');
    await expectError(await postEvents(42), 400, 'invalid_event');
    await expectError(await postEvents(null), 400, 'invalid_event');
  });

  it('401 unauthorized without a site key or with an unknown one', async () => {
    await expectError(await postEvents(view('e-2'), { key: null }), 401, 'unauthorized');
    await expectError(await postEvents(view('e-2'), { key: 'guess' }), 401, 'unauthorized');
    await expectNoWindows('e-2');
  });

  it('accepts the site key from the X-Starling-Key header', async () => {
    const res = await postEvents(view('e-3'), {
      key: null,
      headers: { 'X-Starling-Key': 'dev-site-key' },
    });
    expect(res.status).toBe(202);
  });

  it('403 forbidden for a browser origin the key does not allow', async () => {
    const denied = await postEvents(view('e-4'), {
      key: 'shop-key',
      headers: { Origin: 'https://evil.example' },
    });
    await expectError(denied, 403, 'forbidden');
    await expectNoWindows('e-4');

    const allowed = await postEvents(view('e-4'), {
      key: 'shop-key',
      headers: { Origin: 'https://shop.example' },
    });
    expect(allowed.status).toBe(202);
    // Servers send no Origin: the key alone is enough.
    expect((await postEvents(view('e-4'), { key: 'shop-key' })).status).toBe(202);
  });

  it('404 not_found for an unknown route', async () => {
    await expectError(await call('/v2/nothing'), 404, 'not_found');
  });

  it('405 method_not_allowed with an Allow header for a known route', async () => {
    const res = await call('/v1/events?key=dev-site-key', { method: 'GET' });
    const error = await expectError(res, 405, 'method_not_allowed');
    expect(error.message).toContain('POST');
    expect(res.headers.get('Allow')).toContain('POST');
    await expectError(
      await call('/v1/users/u/activity', { method: 'POST' }),
      405,
      'method_not_allowed',
    );
  });

  it('413 payload_too_large over 100 events', async () => {
    const events = Array.from({ length: 101 }, () => view('e-5'));
    await expectError(await postEvents(events), 413, 'payload_too_large');
    await expectNoWindows('e-5');
  });

  it('413 payload_too_large over 256 KiB, also when the length is not declared', async () => {
    const big = JSON.stringify([view('e-6', { properties: { pad: 'x'.repeat(270_000) } })]);
    await expectError(await postEvents(big, { raw: true }), 413, 'payload_too_large');

    // A streamed body has no Content-Length: the limit holds while reading.
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 10) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await call('/v1/events?key=dev-site-key', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await expectError(res, 413, 'payload_too_large');
    await expectNoWindows('e-6');
  });

  it('415 unsupported_media_type for a form post', async () => {
    const res = await postEvents(view('e-7'), {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    await expectError(res, 415, 'unsupported_media_type');
    await expectNoWindows('e-7');
  });

  it('accepts text/plain, as navigator.sendBeacon sends it', async () => {
    const res = await postEvents(view('e-8'), {
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    });
    expect(res.status).toBe(202);
  });

  it('429 rate_limited with Retry-After once a user exceeds the limit', async () => {
    const batch = Array.from({ length: 100 }, () => view('e-9'));
    for (let i = 0; i < 4; i++) expect((await postEvents(batch)).status).toBe(202);
    const res = await postEvents(batch);
    await expectError(res, 429, 'rate_limited');
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
    const total = (await activity('e-9')).windows.reduce((n, w) => n + (w.counts.view ?? 0), 0);
    expect(total).toBe(400);
  });

  it('400 invalid_request for a bad limit, 426 for a live route without upgrade', async () => {
    await expectError(
      await getAsUser('e-10', '/v1/users/e-10/activity?limit=0'),
      400,
      'invalid_request',
    );
    await expectError(
      await getAsUser('e-10', '/v1/users/e-10/activity?limit=721'),
      400,
      'invalid_request',
    );
    await expectError(
      await getAsUser('e-10', '/v1/users/e-10/activity?limit=abc'),
      400,
      'invalid_request',
    );
    await expectError(await getAsUser('e-10', '/v1/users/e-10/live'), 426, 'upgrade_required');
  });
});
