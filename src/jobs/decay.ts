import type { Config, EventType } from '../config.ts';
import { forEachPage, type RowSelection } from './paging.ts';

/**
 * Weight of `count` events of `type` in the window starting at `windowStart`, decayed to `now`
 * with the half-life: an interaction one half-life old counts half.
 */
export function decayedWeight(
  weights: Readonly<Record<EventType, number>>,
  type: string,
  count: number,
  windowStart: number,
  now: number,
  halfLifeMs: number,
): number {
  const weight = weights[type as EventType] ?? 0;
  if (weight === 0) return 0;
  const age = Math.max(0, now - windowStart);
  return weight * count * 0.5 ** (age / halfLifeMs);
}

/**
 * Streams the count rows of a log table (`from`, `to`, window_start, type, count) as decayed
 * weights: `onRow(from, to, weight)` once per row, one page held at a time. The primary key
 * of the table must be (from, to, window_start, type). Returns the rows read.
 */
export function forEachDecayedRow(
  db: D1Database,
  selection: RowSelection,
  [from, to]: [from: string, to: string],
  config: Config,
  now: number,
  onRow: (from: string, to: string, weight: number) => void,
): Promise<number> {
  const keyColumns = [from, to, 'window_start', 'type'];
  return forEachPage(
    db,
    { ...selection, columns: [...keyColumns, 'count'], keyColumns },
    (page) => {
      for (const [a, b, windowStart, type, count] of page as [
        string,
        string,
        number,
        string,
        number,
      ][]) {
        onRow(
          a,
          b,
          decayedWeight(config.weights, type, count, windowStart, now, config.halfLifeMs),
        );
      }
    },
  );
}
