/**
 * Window arithmetic: tumbling windows of WINDOW_MS, aligned to the Unix epoch, in event time.
 * Window [start, start + WINDOW_MS) closes when processing time reaches its end plus the
 * allowed lateness; an event that arrives after that is late.
 */
export const WINDOW_MS = 5_000;
export const HOUR_MS = 3_600_000;

/** Start of the window holding event time `time` (floor, also for times before 1970). */
export function windowStart(time: number, size = WINDOW_MS): number {
  return Math.floor(time / size) * size;
}

/** Processing time at which the window starting at `start` closes. */
export function windowClosesAt(start: number, allowedLatenessMs: number): number {
  return start + WINDOW_MS + allowedLatenessMs;
}

export function isClosed(start: number, now: number, allowedLatenessMs: number): boolean {
  return now >= windowClosesAt(start, allowedLatenessMs);
}
