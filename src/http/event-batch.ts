import { type Event, parseEvent, type Rejection } from '../events/schema.ts';
import { ApiError, ErrorCode } from './errors.ts';

export const MAX_EVENTS_PER_REQUEST = 100;

export interface ParsedBatch {
  /** Valid events with their index in the request. */
  events: { index: number; event: Event }[];
  rejected: Rejection[];
}

/**
 * Splits a request body into events and validates each one. The body is one event, an array
 * of events, or `{ "events": [...] }`. Throws an ApiError for a body that is not a batch at
 * all or holds too many events; per-event problems become rejections.
 */
export function parseBatch(body: unknown, receivedAt: number): ParsedBatch {
  const raws = unwrap(body);
  if (raws.length === 0) {
    throw new ApiError(400, ErrorCode.invalidEvent, 'the request holds no events');
  }
  if (raws.length > MAX_EVENTS_PER_REQUEST) {
    throw new ApiError(
      413,
      ErrorCode.payloadTooLarge,
      `the request holds ${raws.length} events; send at most ${MAX_EVENTS_PER_REQUEST} per request`,
      { details: { events: raws.length, limit: MAX_EVENTS_PER_REQUEST } },
    );
  }

  const batch: ParsedBatch = { events: [], rejected: [] };
  raws.forEach((raw, index) => {
    const result = parseEvent(raw, receivedAt);
    if (result.ok) batch.events.push({ index, event: result.event });
    else batch.rejected.push({ index, code: result.code, message: result.message });
  });
  return batch;
}

function unwrap(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (typeof body === 'object' && body !== null && 'events' in body) {
    const events = (body as { events: unknown }).events;
    if (!Array.isArray(events)) {
      throw new ApiError(400, ErrorCode.invalidEvent, '"events" must be an array of events');
    }
    return events;
  }
  if (typeof body === 'object' && body !== null) return [body];
  throw new ApiError(
    400,
    ErrorCode.invalidEvent,
    'the body must be an event object, an array of events, or { "events": [...] }',
  );
}
