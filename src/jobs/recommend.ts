import type { AlsConfig } from '../config.ts';
import { type AlsModel, trainAls } from '../ml/als.ts';
import { logConfidence } from '../ml/confidence.ts';
import { type Factors, warmStartFactors } from '../ml/factors.ts';
import { popularItems } from '../ml/popularity.ts';
import type { TopN } from '../ml/topn.ts';
import type { Csr } from '../sparse/csr.ts';
import type { IdIndex } from '../sparse/id-index.ts';

/** A ranked list as published: [id, score] pairs, best first. */
export type RankedList = [string, number][];

/** Factors of a previous run with the ids of their rows, for a warm start. */
export interface PreviousModel {
  userIds: readonly string[];
  itemIds: readonly string[];
  users: Factors;
  items: Factors;
}

/** Where a warm start comes from: the previous factors and the ids of this run's rows. */
export interface WarmStart {
  previous: PreviousModel;
  users: IdIndex;
  items: IdIndex;
}

/**
 * Trains implicit ALS on decayed weights, warm-started from the previous factors when their
 * factor count matches: known users and items keep their rows, new ones start at random.
 * `weights` is left untouched; confidences are computed on a copy of its values. The
 * evaluation (`npm run eval`) trains through this function too, so it measures the job's model.
 */
export function trainModel(
  weights: Csr,
  settings: AlsConfig,
  warmStart: WarmStart | null = null,
): { model: AlsModel; warm: boolean; iterations: number } {
  const confidence: Csr = { ...weights, values: weights.values.slice() };
  logConfidence(confidence, settings.alpha, settings.epsilon);

  const warm = warmStart !== null && warmStart.previous.users.k === settings.factors;
  const init = warm
    ? {
        users: warmStartFactors(
          warmStart.previous.users,
          rowsIn(warmStart.users, warmStart.previous.userIds),
          1,
        ),
        items: warmStartFactors(
          warmStart.previous.items,
          rowsIn(warmStart.items, warmStart.previous.itemIds),
          2,
        ),
      }
    : {};
  const iterations = warm ? settings.warmIterations : settings.iterations;
  const model = trainAls(
    confidence,
    { factors: settings.factors, regularization: settings.regularization, iterations, seed: 42 },
    init,
  );
  return { model, warm, iterations };
}

/** For each id of `ids`, its row in the previous run's `previousIds`, or -1 when new. */
function rowsIn(ids: IdIndex, previousIds: readonly string[]): Int32Array {
  const previousRow = new Map<string, number>();
  previousIds.forEach((id, row) => {
    previousRow.set(id, row);
  });
  return Int32Array.from(ids.ids(), (id) => previousRow.get(id) ?? -1);
}

/** The popularity fallback: the n items with the largest decayed weight. */
export function popularList(weights: Csr, items: IdIndex, n: number): RankedList {
  return rankedList(popularItems(weights, n), 0, items);
}

/** Row r of a ranked result as a published list of [itemId, score], best first. */
export function rankedList(ranked: TopN, r: number, itemIds: IdIndex): RankedList {
  const list: RankedList = [];
  for (let j = 0; j < ranked.n; j++) {
    const item = ranked.items[r * ranked.n + j] as number;
    if (item < 0) break;
    list.push([itemIds.idAt(item), roundScore(ranked.scores[r * ranked.n + j] as number)]);
  }
  return list;
}

/** Scores are published with 6 significant digits: enough to order, fewer bytes in KV. */
function roundScore(score: number): number {
  return Number(score.toPrecision(6));
}
