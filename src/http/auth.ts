import type { Context, MiddlewareHandler } from 'hono';
import { getConfig } from '../config.ts';
import { ApiError, ErrorCode, forbidden, unauthorized } from './errors.ts';
import { verifyUserToken } from './jwt.ts';

export type AppEnv = { Bindings: Env };

const encoder = new TextEncoder();

/** Constant-time string comparison, so response timing does not reveal a secret's prefix. */
async function safeEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(a)),
    crypto.subtle.digest('SHA-256', encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}

/** The request's Origin, normalised, or null for requests without one (servers, curl). */
export function requestOrigin(c: Context): string | null {
  const origin = c.req.header('Origin');
  return origin ? origin.replace(/\/+$/, '').toLowerCase() : null;
}

export function originAllowed(origins: readonly string[], origin: string): boolean {
  return origins.includes('*') || origins.includes(origin);
}

/**
 * Requires a site key (`?key=` or `X-Starling-Key`); a browser request must come from one of
 * the key's origins.
 */
export function requireSiteKey(): MiddlewareHandler<AppEnv> {
  return async function siteKey(c, next) {
    const key = c.req.query('key') ?? c.req.header('X-Starling-Key');
    if (!key) throw unauthorized('a site key is required: send ?key= or the X-Starling-Key header');
    const site = getConfig(c.env).siteKeys.get(key);
    if (!site) throw unauthorized('unknown site key');
    const origin = requestOrigin(c);
    if (origin !== null && !originAllowed(site.origins, origin)) {
      throw forbidden(`origin ${origin} is not allowed for this site key`);
    }
    await next();
  };
}

/**
 * Requires a user token (`X-Starling-User-Token` or `?token=`) whose subject is the user in
 * the path.
 */
export function requireUserToken(): MiddlewareHandler<AppEnv> {
  return async function userToken(c, next) {
    const token = c.req.header('X-Starling-User-Token') ?? c.req.query('token');
    if (!token) {
      throw unauthorized('a user token is required: send X-Starling-User-Token or ?token=');
    }
    const check = await verifyUserToken(token, getConfig(c.env).userTokenSecret, Date.now());
    if (!check.ok) {
      const messages = {
        malformed: 'the user token is not a well-formed JWT',
        algorithm: 'the user token must be signed with HS256',
        signature: 'the user token signature is invalid',
        expired: 'the user token has expired; mint a new one',
        claims: 'the user token needs a string "sub" and a numeric "exp"',
      } as const;
      throw unauthorized(messages[check.reason]);
    }
    if (check.sub !== c.req.param('userId')) {
      throw forbidden('the user token was issued for another user');
    }
    await next();
  };
}

/** Requires `Authorization: Bearer <ADMIN_TOKEN>`. */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async function admin(c, next) {
    const header = c.req.header('Authorization') ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    if (!match?.[1])
      throw unauthorized('an admin token is required: Authorization: Bearer <token>');
    if (!(await safeEqual(match[1], getConfig(c.env).adminToken))) {
      throw new ApiError(401, ErrorCode.unauthorized, 'the admin token is wrong');
    }
    await next();
  };
}
