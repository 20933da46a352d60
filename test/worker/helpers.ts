import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runDurableObjectAlarm,
  runInDurableObject,
} from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { UserActivity } from '../../durable-objects/user-activity.ts';
import { DEV_ADMIN_TOKEN, DEV_SITE_KEY, DEV_USER_TOKEN_SECRET } from '../../src/config.ts';
import { signUserToken } from '../../src/http/jwt.ts';
import worker from '../../src/index.ts';

export const BASE = 'http://starling.test';

/** Sends a request through the Worker's real fetch handler. */
export function call(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${BASE}${path}`, init));
}

export function postEvents(
  body: unknown,
  options: { key?: string | null; headers?: Record<string, string>; raw?: boolean } = {},
): Promise<Response> {
  const key = options.key === undefined ? DEV_SITE_KEY : options.key;
  const query = key === null ? '' : `?key=${encodeURIComponent(key)}`;
  return call(`/v1/events${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...options.headers },
    body: options.raw ? (body as string) : JSON.stringify(body),
  });
}

export async function userToken(
  userId: string,
  expiresInSeconds = 600,
  secret = DEV_USER_TOKEN_SECRET,
) {
  return signUserToken(
    { sub: userId, exp: Math.floor(Date.now() / 1000) + expiresInSeconds },
    secret,
  );
}

export async function getAsUser(
  userId: string,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('X-Starling-User-Token', await userToken(userId));
  return call(path, { ...init, headers });
}

export function asAdmin(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${DEV_ADMIN_TOKEN}`);
  return call(path, { ...init, headers });
}

export function userStub(userId: string): DurableObjectStub<UserActivity> {
  return env.USER_ACTIVITY.get(env.USER_ACTIVITY.idFromName(userId));
}

/** Moves a user's object to processing time `now` and runs its alarm, if one is set. */
export async function closeWindowsAt(userId: string, now: number): Promise<boolean> {
  const stub = userStub(userId);
  await runInDurableObject(stub, (instance: UserActivity) => {
    instance.clock = () => now;
  });
  return runDurableObjectAlarm(stub);
}

export async function activity(userId: string, limit = 720) {
  const res = await getAsUser(userId, `/v1/users/${userId}/activity?limit=${limit}`);
  if (res.status !== 200) throw new Error(`activity answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as {
    userId: string;
    windowMs: number;
    windows: {
      start: number;
      end: number;
      closed: boolean;
      counts: Record<string, number>;
      late: number;
    }[];
  };
}

/**
 * A window-aligned time safely inside the accepted range (5 minutes ahead to 24 hours behind).
 * Tests that drive alarms with a replaced clock use times a little ahead of the real clock, so
 * the runtime never fires those alarms on its own before the test does.
 */
export function alignedNow(offsetWindows = 0): number {
  return Math.floor(Date.now() / 5000) * 5000 + offsetWindows * 5000;
}

/** Checks the one error shape of the API and returns its body's `error`. */
export async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string; details: object } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(typeof body.error.details).toBe('object');
  return body.error;
}

export const LOG_QUEUE = 'starling-interactions';

/** Hands messages to the Worker's queue handler as the Queue would, and returns its verdicts. */
export async function deliver(
  messages: { id: string; body: unknown; attempts?: number }[],
  queue = LOG_QUEUE,
) {
  const batch = createMessageBatch(
    queue,
    messages.map((m) => ({
      id: m.id,
      timestamp: new Date(),
      attempts: m.attempts ?? 1,
      body: m.body,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}
