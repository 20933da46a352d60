import type { Config } from '../config.ts';
import scoreKernel from '../ml/score-kernel.wasm';
import { similarItems } from '../ml/similar.ts';
import { topN } from '../ml/topn.ts';
import { bucketCount, carryOrder, groupByBucket } from '../publish/buckets.ts';
import {
  BUCKET_TTL_SECONDS,
  bucketKey,
  type PartPointer,
  writeBuckets,
} from '../publish/snapshots.ts';
import { canCarryFrom, PreviousBuckets } from './carry-over.ts';
import { loadInteractions, usersChangedSince } from './load-interactions.ts';
import { loadModel, saveModel } from './model-store.ts';
import type { PhaseTimer } from './phases.ts';
import { popularList, type RankedList, rankedList, trainModel } from './recommend.ts';
import type { AlsSummary } from './summary.ts';

/**
 * Top-N and similar items score through the WebAssembly SIMD kernel, 3 to 5 times the rate of
 * the plain-TypeScript one (`npm run bench -- recompute`). Workers run only modules bundled
 * with the Worker, hence the import here, in the platform glue, and not in src/ml.
 */
const SCORING = { kernel: scoreKernel };
/** Log batches applied this long before the last snapshot still count as changes. */
const CHANGE_MARGIN_MS = 60_000;

export interface RecommendationsOutcome {
  recommendations: PartPointer;
  similar: PartPointer;
  users: number;
  items: number;
  interactions: number;
  scoredUsers: number;
  logRows: number;
  als: AlsSummary;
}

/**
 * The recommendation half of the job: loads the log, trains ALS (warm-started from the
 * previous run's factors), scores the users whose log changed since the previous version and
 * carries the others' lists over, ranks similar items, and writes both parts' buckets under
 * `version`. It names nothing as current: the caller publishes the pointer.
 *
 * Everything it holds is local, so it can be collected before the influence half loads the
 * social graph into the same isolate.
 */
export async function computeRecommendations(
  kv: KVNamespace,
  db: D1Database,
  config: Config,
  version: string,
  now: number,
  previous: PartPointer | undefined,
  timer: PhaseTimer,
): Promise<RecommendationsOutcome> {
  const log = await timer.run('loadLog', () => loadInteractions(db, config, now));
  const { users, items, weights } = log;
  const previousModel = previous
    ? await timer.run('loadModel', () => loadModel(kv, previous.version))
    : null;
  const trained = await timer.run('train', () =>
    trainModel(weights, config.als, previousModel && { previous: previousModel, users, items }),
  );
  const { model } = trained;

  // Users whose log did not change keep their previous list; the rest are scored anew.
  const carryFrom = previous && canCarryFrom(previous) ? previous : null;
  const changed = carryFrom
    ? await usersChangedSince(db, carryFrom.generatedAt - CHANGE_MARGIN_MS)
    : null;
  const scored = new Uint8Array(users.size);
  const scoredRows: number[] = [];
  users.ids().forEach((id, row) => {
    if (changed === null || changed.has(id)) {
      scored[row] = 1;
      scoredRows.push(row);
    }
  });
  const rows = Int32Array.from(scoredRows);
  const ranked = await timer.run('topN', () =>
    topN(model.users, model.items, weights, rows, config.topN, SCORING),
  );

  const recBuckets = bucketCount(users.size);
  const byBucket = groupByBucket(rows.length, (r) => users.idAt(rows[r] as number), recBuckets);
  const keep = (id: string) => {
    const row = users.indexOf(id);
    return row >= 0 && scored[row] === 0;
  };
  await timer.run('writeRecommendations', async () => {
    const carried = carryFrom && new PreviousBuckets<RankedList>(kv, 'recommendations', carryFrom);
    const build = async (b: number) => {
      const value: Record<string, RankedList> = {};
      for (const [id, list] of (await carried?.carried(b, recBuckets, keep)) ?? []) {
        value[id] = list;
      }
      for (let at = byBucket.start[b] as number; at < (byBucket.start[b + 1] as number); at++) {
        const r = byBucket.order[at] as number;
        value[users.idAt(rows[r] as number)] = rankedList(ranked, r, items);
      }
      return value;
    };
    const order = carryFrom ? carryOrder(recBuckets, carryFrom.buckets) : undefined;
    await writeBuckets(kv, 'recommendations', version, recBuckets, build, { order });
    const popular = popularList(weights, items, config.topN);
    await kv.put(bucketKey('recommendations', version, 'popular'), JSON.stringify(popular), {
      expirationTtl: BUCKET_TTL_SECONDS,
    });
  });

  const similar = await timer.run('similar', () =>
    similarItems(model.items, config.topN, undefined, SCORING),
  );
  const simBuckets = bucketCount(items.size);
  const itemsByBucket = groupByBucket(items.size, (i) => items.idAt(i), simBuckets);
  await timer.run('writeSimilar', () =>
    writeBuckets(kv, 'similar', version, simBuckets, (b) => {
      const value: Record<string, RankedList> = {};
      const { order, start } = itemsByBucket;
      for (let at = start[b] as number; at < (start[b + 1] as number); at++) {
        const item = order[at] as number;
        value[items.idAt(item)] = rankedList(similar, item, items);
      }
      return value;
    }),
  );

  const modelKept = await timer.run('saveModel', () =>
    saveModel(kv, version, {
      userIds: users.ids(),
      itemIds: items.ids(),
      users: model.users,
      items: model.items,
    }),
  );

  return {
    recommendations: { version, generatedAt: now, buckets: recBuckets },
    similar: { version, generatedAt: now, buckets: simBuckets },
    users: users.size,
    items: items.size,
    interactions: weights.rowPtr[weights.nRows] ?? 0,
    scoredUsers: rows.length,
    logRows: log.rows,
    als: {
      warmStart: trained.warm,
      iterations: trained.iterations,
      factors: config.als.factors,
      modelKept,
    },
  };
}
