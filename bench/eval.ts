/**
 * `npm run eval`: ranking quality of ALS beside the popularity baseline, on planted data and on
 * the HetRec 2011 Last.fm play counts (skipped, with a message, when that folder is absent).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ALS } from '../src/config.ts';
import { trainModel } from '../src/jobs/recommend.ts';
import { trainAls } from '../src/ml/als.ts';
import { logConfidence } from '../src/ml/confidence.ts';
import {
  holdOutByHash,
  nonEmptyRows,
  type RankingMetrics,
  rankingMetrics,
  type Split,
  splitInteractions,
} from '../src/ml/evaluate.ts';
import { popularItemsPerUser } from '../src/ml/popularity.ts';
import { generateImplicit } from '../src/ml/synthetic.ts';
import { topN } from '../src/ml/topn.ts';
import { CooBuilder } from '../src/sparse/coo.ts';
import { type Csr, csrFromCoo, nnz } from '../src/sparse/csr.ts';
import { IdIndex } from '../src/sparse/id-index.ts';

const CUTOFF = 10;
const LASTFM = fileURLToPath(new URL('../../shared/data/lastfm-hetrec2011-2k/', import.meta.url));

interface Row {
  data: string;
  model: string;
  metrics: RankingMetrics;
  seconds: number;
  reference?: string;
}

/**
 * Popularity and the job's own model (trainModel with the default settings) on one split, and
 * the same model with exact per-row solves instead of conjugate gradient, for comparison.
 */
function compare(data: string, split: Split): Row[] {
  const users = nonEmptyRows(split.test);
  const rows: Row[] = [];
  const timed = (model: string, lists: () => ReturnType<typeof topN>) => {
    const started = performance.now();
    const metrics = rankingMetrics(lists(), users, split.test, CUTOFF);
    rows.push({ data, model, metrics, seconds: (performance.now() - started) / 1000 });
  };

  for (const measure of ['users', 'weight'] as const) {
    const label = measure === 'users' ? 'users' : 'sum of weights';
    timed(`popularity (${label})`, () => popularItemsPerUser(split.train, users, CUTOFF, measure));
  }

  const { factors, regularization, iterations } = DEFAULT_ALS;
  const settings = `k=${factors} λ=${regularization} it=${iterations}`;
  timed(`ALS cg ${settings} (the job)`, () => {
    const { model } = trainModel(split.train, DEFAULT_ALS);
    return topN(model.users, model.items, split.train, users, CUTOFF);
  });
  timed(`ALS cg, then 2 runs × ${DEFAULT_ALS.warmIterations} warm it`, () => {
    // What the cron job reaches on an unchanged log: a run from scratch, then two warm runs.
    const ids = (n: number) => {
      const index = new IdIndex();
      for (let i = 0; i < n; i++) index.intern(String(i));
      return index;
    };
    const [userIds, itemIds] = [ids(split.train.nRows), ids(split.train.nCols)];
    let { model } = trainModel(split.train, DEFAULT_ALS);
    for (let run = 0; run < 2; run++) {
      const previous = {
        userIds: userIds.ids(),
        itemIds: itemIds.ids(),
        users: model.users,
        items: model.items,
      };
      ({ model } = trainModel(split.train, DEFAULT_ALS, {
        previous,
        users: userIds,
        items: itemIds,
      }));
    }
    return topN(model.users, model.items, split.train, users, CUTOFF);
  });
  timed(`ALS exact ${settings}`, () => {
    const confidence: Csr = { ...split.train, values: split.train.values.slice() };
    logConfidence(confidence, DEFAULT_ALS.alpha, DEFAULT_ALS.epsilon);
    const model = trainAls(confidence, { factors, regularization, iterations, solver: 'exact' });
    return topN(model.users, model.items, split.train, users, CUTOFF);
  });
  return rows;
}

function planted(): Row[] {
  const { interactions } = generateImplicit({
    users: 5000,
    items: 2000,
    interactions: 100_000,
    communities: 10,
    popularitySkew: 0.8,
    noise: 0.2,
    seed: 7,
  });
  const split = splitInteractions(interactions, holdOutByHash(0.2, 11));
  console.log(
    'planted: 5000 users × 2000 items, 100000 events (10 communities, Zipf 0.8, noise 0.2, seed 7);',
  );
  console.log(
    `  ${nnz(split.train)} train pairs, 20% of pairs held out by seeded hash (seed 11), ` +
      `held-out items absent from train dropped; confidence 1 + ln(1 + events), the job's default ALS`,
  );
  return compare('planted', split);
}

function lastfm(): Row[] {
  const file = `${LASTFM}user_artists.dat`;
  if (!existsSync(file)) {
    console.log(`Last.fm: skipped, ${file} not found (see ../shared/data/README.md)`);
    return [];
  }
  const userIds = new IdIndex();
  const artistIds = new IdIndex();
  const train = new CooBuilder();
  const held: [string, string, number][] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let line = 1; line < lines.length; line++) {
    const [user, artist, plays] = (lines[line] as string).trim().split('\t');
    if (!user || !artist || !plays) continue;
    const first = createHash('sha256').update(`${user}:${artist}`).digest()[0] as number;
    if (first % 5 === 0) held.push([user, artist, Number(plays)]);
    else train.push(userIds.intern(user), artistIds.intern(artist), Number(plays));
  }
  // Held-out artists never seen in training are dropped; held-out users keep their index.
  const test = new CooBuilder();
  for (const [user, artist, plays] of held) {
    const item = artistIds.indexOf(artist);
    if (item >= 0) test.push(userIds.intern(user), item, plays);
  }
  const split: Split = {
    train: csrFromCoo(train, userIds.size, artistIds.size),
    test: csrFromCoo(test, userIds.size, artistIds.size),
  };
  console.log(
    "Last.fm HetRec 2011 (user_artists.dat): held out where sha256('userID:artistID')[0] mod 5 == 0;",
  );
  console.log(
    `  held-out artists unseen in training dropped; ${nnz(split.train)} train pairs (reference ` +
      `74254), ${nonEmptyRows(split.test).length} test users (reference 1872);`,
  );
  console.log('  Recall@10 = hits / min(10, held), NDCG@10 binary; confidence 1 + ln(1 + plays)');
  return compare('Last.fm', split).map((row) => ({
    ...row,
    reference: row.model.startsWith('ALS')
      ? 'numpy exact ALS: 0.231 / 0.257'
      : row.model.includes('(users)')
        ? 'popularity: 0.078 / 0.083'
        : '',
  }));
}

function print(rows: Row[]): void {
  const header = [
    'data',
    'model',
    'users',
    'Recall@10',
    'NDCG@10',
    'coverage',
    'seconds',
    'reference R/N',
  ];
  const table = rows.map((r) => [
    r.data,
    r.model,
    String(r.metrics.users),
    r.metrics.recall.toFixed(4),
    r.metrics.ndcg.toFixed(4),
    r.metrics.coverage.toFixed(4),
    r.seconds.toFixed(2),
    r.reference ?? '',
  ]);
  const widths = header.map((h, c) =>
    Math.max(h.length, ...table.map((row) => (row[c] as string).length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, c) => cell.padEnd(widths[c] as number)).join('  ');
  console.log(`\n${line(header)}`);
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
}

print([...planted(), ...lastfm()]);
