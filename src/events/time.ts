/**
 * Event time: the client's `timestamp` (epoch ms or ISO-8601), moved by the client's clock
 * skew when the client also says when it sent the event (`sentAt`): a device whose clock runs
 * ten minutes fast stamps both ten minutes late, and receipt time tells us by how much.
 */
export const MAX_FUTURE_MS = 5 * 60_000;
export const MAX_AGE_MS = 24 * 3_600_000;

// ISO-8601 date-time with an explicit zone; a bare date or a zone-less time would be read in
// whatever zone the runtime has, which differs between a laptop and the edge.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch ms of a timestamp field, or null when it is neither a finite number nor ISO-8601. */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? Math.floor(value) : null;
  }
  if (typeof value === 'string' && ISO_DATE_TIME.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

/** Event time corrected for skew: timestamp + (receivedAt - sentAt). */
export function correctedEventTime(
  timestamp: number | null,
  sentAt: number | null,
  receivedAt: number,
): number {
  const stamped = timestamp ?? receivedAt;
  if (sentAt === null || timestamp === null) return stamped;
  return stamped + (receivedAt - sentAt);
}

export function isInRange(eventTime: number, receivedAt: number): boolean {
  return eventTime <= receivedAt + MAX_FUTURE_MS && eventTime >= receivedAt - MAX_AGE_MS;
}
