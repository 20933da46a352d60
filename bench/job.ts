/**
 * `npm run bench -- job [--scale=small|reference] [--active=0.1]`
 *
 * The recompute job itself, in workerd under a `wrangler dev` of its own, on a local D1 log
 * seeded at the chosen scale: generated interactions with planted tastes, one row per pair and
 * a mix of event types over the last 30 days, and a power-law follow graph. The job runs twice
 * through POST /v1/admin/recompute: cold (no previous version), then warm (the previous
 * factors, and a share `active` of the users changed since). Reported: the job's own phase
 * timings and the CPU seconds workerd spent on the run, and workerd's peak resident memory.
 *
 * That last figure is a loose upper bound of the isolate's: the process also holds the local
 * D1, KV and Queue, and an isolate without a memory limit collects garbage lazily. Locally
 * the isolate's own heap cannot be read reliably (its DevTools port answers only between
 * tasks, and a forced collection waits for the job to end), so the memory figures of the job's
 * algorithms are those of `npm run bench -- recompute` and `-- graph`, measured in Node.
 *
 * The log is written into the local D1 database file before the server opens it: the setup is
 * not what is measured, and a million rows through the Queue would take far longer.
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_ADMIN_TOKEN } from '../src/config.ts';
import { powerLawEdges } from '../src/graph/synthetic.ts';
import type { RecomputeSummary } from '../src/jobs/summary.ts';
import { Random } from '../src/ml/random.ts';
import { generateImplicit } from '../src/ml/synthetic.ts';
import { flag } from './flags.ts';
import type { BenchOptions } from './run.ts';
import {
  type Server,
  startServer,
  stopServer,
  workerdCpuSeconds,
  workerdPeakRssMiB,
} from './wrangler-dev.ts';

const SCALES = {
  small: { users: 10_000, items: 5_000, interactions: 200_000, nodes: 20_000, edges: 200_000 },
  reference: {
    users: 50_000,
    items: 20_000,
    interactions: 1_000_000,
    nodes: 100_000,
    edges: 1_000_000,
  },
} as const;
const TYPES = ['view', 'view', 'view', 'click', 'click', 'like', 'share', 'purchase'];
const DAY = 86_400_000;

interface Seeded {
  pairs: number;
  follows: number;
  active: number;
}

/** Fills the local D1 file under `state` with the generated log; returns what it wrote. */
async function seed(state: string, scale: keyof typeof SCALES, active: number): Promise<Seeded> {
  const { DatabaseSync } = await import('node:sqlite');
  const file = findDatabase(state);
  const db = new DatabaseSync(file);
  const size = SCALES[scale];
  const now = Date.now();
  const random = new Random(7);

  const { interactions: csr } = generateImplicit({ ...size, seed: 1 });
  const insertPair = db.prepare(
    'INSERT INTO interactions (user_id, item_id, window_start, type, count) VALUES (?, ?, ?, ?, ?)',
  );
  const insertFollow = db.prepare(
    'INSERT OR IGNORE INTO follows (user_id, target_id, following, at) VALUES (?, ?, 1, ?)',
  );
  const insertBatch = db.prepare(
    'INSERT INTO applied_batches (batch_id, applied_at) VALUES (?, ?)',
  );
  const windowAt = () => Math.floor((now - random.next() * 30 * DAY) / 5000) * 5000;

  db.exec('BEGIN');
  for (let u = 0; u < csr.nRows; u++) {
    for (let q = csr.rowPtr[u] as number; q < (csr.rowPtr[u + 1] as number); q++) {
      const type = TYPES[random.nextInt(TYPES.length)] as string;
      insertPair.run(`u${u}`, `i${csr.colIdx[q]}`, windowAt(), type, csr.values[q] as number);
    }
  }
  const edges = powerLawEdges({ nodes: size.nodes, edges: size.edges, seed: 2 });
  for (let e = 0; e < edges.src.length; e++) {
    insertFollow.run(`u${edges.src[e]}`, `u${edges.dst[e]}`, windowAt());
  }
  // Applied "in the future": the warm run counts these users as changed since the cold one.
  let marked = 0;
  for (let u = 0; u < size.users; u++) {
    if (random.next() < active) {
      insertBatch.run(`u${u}#1#1`, now + 3_600_000);
      marked++;
    }
  }
  db.exec('COMMIT');
  db.close();
  return { pairs: csr.rowPtr[csr.nRows] ?? 0, follows: edges.src.length, active: marked };
}

/** The SQLite file of the local D1 database, once `d1 migrations apply` made it. */
function findDatabase(state: string): string {
  const dir = join(state, 'v3/d1/miniflare-D1DatabaseObject');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files}`);
  return join(dir, files[0] as string);
}

async function recompute(server: Server): Promise<{ summary: RecomputeSummary; cpu: number }> {
  const before = (await workerdCpuSeconds(server)) ?? Number.NaN;
  const res = await fetch(`${server.url}/v1/admin/recompute`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${DEV_ADMIN_TOKEN}` },
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`recompute answered ${res.status}: ${body}`);
  const after = (await workerdCpuSeconds(server)) ?? Number.NaN;
  return { summary: JSON.parse(body) as RecomputeSummary, cpu: after - before };
}

export async function run(options: BenchOptions): Promise<void> {
  const scale = (flag(options.args, 'scale') ?? 'reference') as keyof typeof SCALES;
  if (!(scale in SCALES)) throw new RangeError(`unknown scale ${scale}; known: small, reference`);
  const active = Number(flag(options.args, 'active') ?? 0.1);
  if (!(active >= 0 && active <= 1)) throw new RangeError(`--active must be in [0, 1]`);

  const dir = await mkdtemp(join(tmpdir(), 'starling-job-'));
  let server: Server | undefined;
  let seeded: Seeded | undefined;
  try {
    const started = performance.now();
    server = await startServer(dir, {
      beforeStart: async (state) => {
        seeded = await seed(state, scale, active);
      },
    });
    const setupSeconds = (performance.now() - started) / 1000;
    const idleRss = await workerdPeakRssMiB(server);
    if (!options.json) {
      console.log(
        `${scale}: ${seeded?.pairs} user-item rows, ${seeded?.follows} follows, ` +
          `${seeded?.active} users active for the warm run; seeded and served in ` +
          `${setupSeconds.toFixed(0)} s; workerd peak RSS before the job ${idleRss} MiB`,
      );
    }

    for (const label of ['cold', 'warm']) {
      const { summary, cpu } = await recompute(server);
      const rss = await workerdPeakRssMiB(server);
      const row = {
        benchmark: 'job',
        scale,
        run: label,
        users: summary.users,
        items: summary.items,
        interactions: summary.interactions,
        scoredUsers: summary.scoredUsers,
        nodes: summary.nodes,
        edges: summary.edges,
        failures: summary.failures,
        timingsMs: summary.timingsMs,
        workerdCpuSeconds: cpu,
        workerdPeakRssMiB: rss,
      };
      if (options.json) {
        console.log(JSON.stringify(row));
        continue;
      }
      const phases = Object.entries(summary.timingsMs)
        .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)}`)
        .join(', ');
      console.log(
        `\n${label}: ${summary.users} users × ${summary.items} items, ${summary.interactions} ` +
          `pairs, ${summary.scoredUsers} scored; ${summary.nodes} nodes, ${summary.edges} edges` +
          `\n  phases (s): ${phases}` +
          `\n  workerd CPU ${cpu.toFixed(1)} s; workerd peak RSS ${rss} MiB` +
          (summary.failures.length > 0 ? `\n  FAILURES ${JSON.stringify(summary.failures)}` : ''),
      );
    }
  } finally {
    if (server) await stopServer(server);
    await rm(dir, { recursive: true, force: true });
  }
}
