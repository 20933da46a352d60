import type { MiddlewareHandler } from 'hono';
import { getConfig } from '../config.ts';
import { type AppEnv, originAllowed, requestOrigin } from './auth.ts';
import { forbidden } from './errors.ts';

const ALLOWED_HEADERS = 'Content-Type, X-Starling-Key, X-Starling-User-Token, Authorization';
const ALLOWED_METHODS = 'GET, POST, DELETE, OPTIONS';

/**
 * CORS for browsers. The response names the caller's own origin (never `*`) and never allows
 * credentials: keys and tokens travel in headers or the query, not cookies. Whether an origin
 * may write is decided by its site key on the real request, which a preflight cannot carry
 * when the key is in a header; a preflight with `?key=` is checked at once.
 */
export function cors(): MiddlewareHandler<AppEnv> {
  return async function corsHeaders(c, next) {
    const origin = requestOrigin(c);
    if (origin === null) return next();

    if (c.req.method === 'OPTIONS') {
      const key = c.req.query('key');
      const site = key ? getConfig(c.env).siteKeys.get(key) : undefined;
      if (site && !originAllowed(site.origins, origin)) {
        throw forbidden(`origin ${origin} is not allowed for this site key`);
      }
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': c.req.header('Origin') ?? origin,
        'Access-Control-Allow-Methods': ALLOWED_METHODS,
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': '86400',
        Vary: 'Origin',
      });
    }

    await next();
    // A WebSocket upgrade's headers are immutable, and browsers apply no CORS to it.
    if (c.res.status === 101) return;
    c.res.headers.set('Access-Control-Allow-Origin', c.req.header('Origin') ?? origin);
    c.res.headers.append('Vary', 'Origin');
  };
}
