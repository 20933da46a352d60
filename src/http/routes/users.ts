import { Hono } from 'hono';
import { WINDOW_MS } from '../../events/window.ts';
import { type AppEnv, requireUserToken } from '../auth.ts';
import { ApiError, badRequest, ErrorCode } from '../errors.ts';
import { intQuery } from '../query.ts';

/** Per-user reads of the live windows: /v1/users/{userId}/activity and /live. */
export const users = new Hono<AppEnv>();

const userObject = (env: Env, userId: string) =>
  env.USER_ACTIVITY.get(env.USER_ACTIVITY.idFromName(userId));

users.get('/:userId/activity', requireUserToken(), async (c) => {
  const userId = c.req.param('userId');
  const limit = intQuery(c.req.query('limit'), 'limit', 12, 1, 720);
  const resolution = c.req.query('resolution') ?? 'window';
  if (resolution !== 'window' && resolution !== 'hour') {
    throw badRequest("resolution must be 'window' (5 s) or 'hour'");
  }
  const view = await userObject(c.env, userId).activity(limit, resolution);
  return c.json({
    userId,
    windowMs: resolution === 'hour' ? 3_600_000 : WINDOW_MS,
    windows: view.windows.map((w) => ({
      start: w.start,
      end: w.end,
      closed: w.closed,
      counts: w.counts,
      late: w.late,
    })),
  });
});

users.get('/:userId/live', requireUserToken(), async (c) => {
  if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiError(
      426,
      ErrorCode.upgradeRequired,
      'this route is a WebSocket; send Upgrade: websocket',
      {
        headers: { Upgrade: 'websocket' },
      },
    );
  }
  return userObject(c.env, c.req.param('userId')).fetch(c.req.raw);
});
