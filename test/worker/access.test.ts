import { describe, expect, it, vi } from 'vitest';
import { signUserToken } from '../../src/http/jwt.ts';
import { alignedNow, call, closeWindowsAt, postEvents, userToken } from './helpers.ts';

const activityWith = (userId: string, token: string) =>
  call(`/v1/users/${userId}/activity`, { headers: { 'X-Starling-User-Token': token } });

function base64Url(value: object): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function errorOf(res: Response) {
  return {
    status: res.status,
    code: ((await res.json()) as { error: { code: string } }).error.code,
  };
}

describe('user tokens', () => {
  it('let a user read their own activity, by header or query', async () => {
    const token = await userToken('t-me');
    expect((await activityWith('t-me', token)).status).toBe(200);
    expect((await call(`/v1/users/t-me/activity?token=${token}`)).status).toBe(200);
  });

  it('are required', async () => {
    expect(await errorOf(await call('/v1/users/t-me/activity'))).toEqual({
      status: 401,
      code: 'unauthorized',
    });
  });

  it('are refused when expired', async () => {
    const token = await userToken('t-me', -5);
    expect(await errorOf(await activityWith('t-me', token))).toEqual({
      status: 401,
      code: 'unauthorized',
    });
  });

  it('are refused when signed with another secret', async () => {
    const token = await userToken('t-me', 600, 'not-the-server-secret');
    expect(await errorOf(await activityWith('t-me', token))).toEqual({
      status: 401,
      code: 'unauthorized',
    });
  });

  it("cannot read another user's data", async () => {
    const token = await userToken('t-other');
    expect(await errorOf(await activityWith('t-me', token))).toEqual({
      status: 403,
      code: 'forbidden',
    });
  });

  it('must carry exp, and must not switch the algorithm', async () => {
    const noExp = await signUserToken({ sub: 't-me' } as never, 'dev-user-secret');
    expect((await activityWith('t-me', noExp)).status).toBe(401);
    const unsigned = `${base64Url({ alg: 'none' })}.${base64Url({ sub: 't-me', exp: 4e9 })}.`;
    expect((await activityWith('t-me', unsigned)).status).toBe(401);
    expect((await activityWith('t-me', 'garbage')).status).toBe(401);
  });

  it('guard the live feed too', async () => {
    const res = await call('/v1/users/t-me/live', { headers: { Upgrade: 'websocket' } });
    expect(await errorOf(res)).toEqual({ status: 401, code: 'unauthorized' });
  });
});

describe('live feed', () => {
  it('pushes one message per closed window over a WebSocket', async () => {
    const u = 'live-user';
    const t0 = alignedNow(2);
    const token = await userToken(u);
    const res = await call(`/v1/users/${u}/live?token=${token}`, {
      headers: { Upgrade: 'websocket' },
    });
    expect(res.status).toBe(101);
    const ws = res.webSocket as WebSocket;
    ws.accept();
    const messages: unknown[] = [];
    ws.addEventListener('message', (e) => messages.push(JSON.parse(e.data as string)));

    await closeWindowsAt(u, t0 + 1_000);
    await postEvents([
      { type: 'view', userId: u, itemId: 'i', timestamp: t0 },
      { type: 'click', userId: u, itemId: 'i', timestamp: t0 + 4_000 },
      { type: 'view', userId: u, itemId: 'i', timestamp: t0 + 6_000 },
    ]);
    await closeWindowsAt(u, t0 + 10_000);
    await vi.waitFor(() => expect(messages).toHaveLength(1));
    expect(messages[0]).toEqual({
      type: 'window',
      start: t0,
      end: t0 + 5_000,
      counts: { view: 1, click: 1 },
    });

    await closeWindowsAt(u, t0 + 15_000);
    await vi.waitFor(() => expect(messages).toHaveLength(2));
    expect(messages[1]).toEqual({
      type: 'window',
      start: t0 + 5_000,
      end: t0 + 10_000,
      counts: { view: 1 },
    });
    ws.close(1000, 'done');
  });
});

describe('CORS', () => {
  it('answers a preflight with the caller origin, never * and never credentials', async () => {
    const res = await call('/v1/events', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://shop.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, x-starling-key',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://shop.example');
    expect(res.headers.get('Access-Control-Allow-Headers')).toMatch(/X-Starling-Key/i);
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect(res.headers.get('Vary')).toContain('Origin');
  });

  it('refuses a preflight from an origin the key in the query does not allow', async () => {
    const res = await call('/v1/events?key=shop-key', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(403);
  });

  it('names the origin on real responses, errors included', async () => {
    const ok = await postEvents(
      { type: 'view', userId: 'cors-u', itemId: 'i' },
      { key: 'shop-key', headers: { Origin: 'https://shop.example' } },
    );
    expect(ok.status).toBe(202);
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe('https://shop.example');
    const bad = await postEvents('{', { raw: true, headers: { Origin: 'https://shop.example' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('Access-Control-Allow-Origin')).toBe('https://shop.example');
  });
});
