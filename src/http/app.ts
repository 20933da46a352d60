import { Hono } from 'hono';
import { describeError, log } from '../logger.ts';
import type { AppEnv } from './auth.ts';
import { cors } from './cors.ts';
import { ApiError, ErrorCode } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { admin } from './routes/admin.ts';
import { events } from './routes/events.ts';
import { reads } from './routes/reads.ts';
import { users } from './routes/users.ts';

/** Every route with its methods; a known path with another method answers 405. */
export const ROUTES: [path: string, methods: string[]][] = [
  ['/v1/events', ['POST']],
  ['/v1/users/:userId/activity', ['GET']],
  ['/v1/users/:userId/live', ['GET']],
  ['/v1/users/:userId/recommendations', ['GET']],
  ['/v1/users/:userId/influence', ['GET']],
  ['/v1/users/:userId', ['DELETE']],
  ['/v1/items/:itemId/similar', ['GET']],
  ['/v1/influencers', ['GET']],
  ['/v1/admin/recompute', ['POST']],
  ['/v1/admin/stats', ['GET']],
  ['/v1/admin/dead-letters', ['GET']],
  ['/v1/openapi.json', ['GET']],
  ['/healthz', ['GET']],
];

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use('/v1/*', cors());
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/v1/events', events);
  app.route('/v1/users', users);
  app.route('/v1', reads);
  app.get('/v1/openapi.json', (c) => c.json(openApiDocument));
  app.route('/v1', admin);

  for (const [path, methods] of ROUTES) {
    const allow = [...methods, 'OPTIONS'].join(', ');
    app.all(path, () => {
      throw new ApiError(
        405,
        ErrorCode.methodNotAllowed,
        `this route accepts ${methods.join(', ')}`,
        {
          headers: { Allow: allow },
        },
      );
    });
  }

  app.notFound((c) =>
    c.json(
      { error: { code: ErrorCode.notFound, message: `no route ${c.req.path}`, details: {} } },
      404,
    ),
  );

  app.onError((error) => {
    if (error instanceof ApiError) return error.toResponse();
    log('error', 'http.unhandled', describeError(error));
    return new ApiError(500, ErrorCode.internal, 'internal error').toResponse();
  });

  return app;
}
