import type { EventType } from '../config.ts';

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
