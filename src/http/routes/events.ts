import { Hono } from 'hono';
import type { Event, Rejection } from '../../events/schema.ts';
import { describeError, log } from '../../logger.ts';
import { type AppEnv, requireSiteKey } from '../auth.ts';
import { checkContentType, readJsonBody } from '../body.ts';
import { ApiError, ErrorCode } from '../errors.ts';
import { parseBatch } from '../event-batch.ts';

export const events = new Hono<AppEnv>();

/**
 * POST /v1/events: validates each event, hands each user's events to that user's object, and
 * answers 202 only once every accepted event is durably stored there.
 */
events.post('/', requireSiteKey(), async (c) => {
  checkContentType(c.req.header('Content-Type'));
  const body = await readJsonBody(c.req.raw);
  const receivedAt = Date.now();
  const batch = parseBatch(body, receivedAt);
  const rejected: Rejection[] = [...batch.rejected];
  if (batch.events.length === 0) {
    throw new ApiError(400, ErrorCode.invalidEvent, 'no event in the request is valid', {
      details: { rejected },
    });
  }

  const byUser = new Map<string, { index: number; event: Event }[]>();
  for (const entry of batch.events) {
    const list = byUser.get(entry.event.userId);
    if (list) list.push(entry);
    else byUser.set(entry.event.userId, [entry]);
  }

  let accepted = 0;
  let duplicates = 0;
  let retryAfter = 0;
  await Promise.all(
    [...byUser].map(async ([userId, entries]) => {
      const stub = c.env.USER_ACTIVITY.get(c.env.USER_ACTIVITY.idFromName(userId));
      try {
        const result = await stub.ingest(
          userId,
          entries.map((e) => e.event),
        );
        accepted += result.accepted;
        duplicates += result.duplicates;
        // The object admits a prefix of the user's events; the rest hit the rate limit.
        for (const entry of entries.slice(entries.length - result.rateLimited)) {
          rejected.push({
            index: entry.index,
            code: 'rate_limited',
            message: `too many events for this user; retry in ${result.retryAfterSeconds} s`,
          });
        }
        retryAfter = Math.max(retryAfter, result.retryAfterSeconds);
      } catch (error) {
        log('error', 'ingest.store_failed', { events: entries.length, ...describeError(error) });
        for (const entry of entries) {
          rejected.push({
            index: entry.index,
            code: 'unavailable',
            message: 'the event could not be stored; send it again',
          });
        }
      }
    }),
  );
  rejected.sort((a, b) => a.index - b.index);

  // Valid events that were all refused for capacity: say so with a status a client retries on.
  if (accepted === 0 && duplicates === 0) {
    const limited = rejected.some((r) => r.code === 'rate_limited');
    throw new ApiError(
      limited ? 429 : 503,
      limited ? ErrorCode.rateLimited : ErrorCode.unavailable,
      limited ? 'too many events for this user; slow down' : 'events could not be stored; retry',
      { details: { rejected }, headers: { 'Retry-After': String(Math.max(1, retryAfter)) } },
    );
  }
  return c.json({ accepted, duplicates, rejected }, 202);
});
