/**
 * `npm run bench -- graph [--json] [--nodes=100000] [--edges=1000000] [--seed=1]`: the influence
 * computation (load, CSR, PageRank, core numbers, ranking) on a generated power-law graph and
 * on the SNAP graphs in ../shared/data, beside graphology + graphology-metrics and, when
 * /usr/bin/python3 has scipy, the same power iteration on scipy.sparse (bench/pagerank_scipy.py).
 *
 * Every engine reads the same edge-list file. Memory is the growth of heapUsed + arrayBuffers
 * over a garbage-collected baseline, sampled at the end of every phase: the peak is the largest
 * sample, so a transient that is freed and collected inside one phase goes unseen. Node is
 * re-run with --expose-gc when it lacks it. Because those samples can miss transients, the whole
 * influence computation also runs alone in a fresh Node, whose peak resident set (maxRSS) sees
 * everything; its growth over the resident set at start is the "RSS +MB" column. Time per iteration is the median over several runs
 * of the power iteration, for scipy too; the other phases run once, cold.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DirectedGraph } from 'graphology';
import graphologyPagerank from 'graphology-metrics/centrality/pagerank.js';
import { coreNumbers } from '../src/graph/cores.ts';
import { forEachEdge } from '../src/graph/edge-list.ts';
import { GraphBuilder, undirectedSimple } from '../src/graph/graph-builder.ts';
import { InfluenceRanking, rankInfluence } from '../src/graph/influence.ts';
import { iteratePageRank, PAGERANK_DEFAULTS, transitionOf } from '../src/graph/pagerank.ts';
import { powerLawEdges } from '../src/graph/synthetic.ts';
import type { BenchOptions } from './run.ts';

const PYTHON = '/usr/bin/python3';
const SCIPY_SCRIPT = fileURLToPath(new URL('./pagerank_scipy.py', import.meta.url));
const DATA_DIR = fileURLToPath(new URL('../../shared/data/', import.meta.url));
const ITERATE_RUNS = 5;
const MB = 1024 * 1024;

interface Workload {
  graph: string;
  file: string;
  /** Each line stands for a follow both ways. */
  bothDirections: boolean;
}

type Ranks = Map<string, number>;

/** One engine on one graph, in seconds and MB; a phase the engine lacks is absent. */
interface Row {
  graph: string;
  engine: 'starling' | 'graphology' | 'scipy';
  nodes: number;
  edges: number;
  load: number;
  build?: number;
  prepare?: number;
  iterate: number;
  perIteration?: number;
  iterations?: number;
  cores?: number;
  rank?: number;
  /** Load through the last PageRank value: the span all three engines share. */
  pagerankTotal: number;
  peakMB?: number;
  retainedMB?: number;
  /** Peak resident set of a fresh process doing only the influence computation, over its start. */
  residentGrowthMB?: number;
  top10?: string;
  maxAbsDiff?: number;
  reference?: string;
}

export async function run(options: BenchOptions): Promise<void> {
  if (typeof globalThis.gc !== 'function') {
    const flags = [...(options.json ? ['--json'] : []), ...options.args];
    const self = fileURLToPath(import.meta.url);
    spawnSync(process.execPath, ['--expose-gc', self, ...flags], { stdio: 'inherit' });
    return;
  }
  const flag = (name: string, fallback: number) =>
    Number(options.args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
  const say = (line: string) => (options.json ? console.error(line) : console.log(line));
  const scipy = spawnSync(PYTHON, ['-c', 'import scipy'], { stdio: 'ignore' }).status === 0;
  if (!scipy) say(`scipy: skipped, \`${PYTHON} -c "import scipy"\` fails there`);

  const workDir = mkdtempSync(join(tmpdir(), 'starling-graph-'));
  try {
    const workloads: [Workload, Ranks | null][] = [[generate(workDir, flag, say), null]];
    for (const [folder, name, bothDirections] of [
      ['wiki-vote', 'wiki-Vote.txt', false],
      ['ego-facebook', 'facebook_combined.txt', true],
    ] as const) {
      const file = join(DATA_DIR, folder, name);
      if (!existsSync(file)) {
        say(`${folder}: skipped, ${file} is absent`);
        continue;
      }
      const json = JSON.parse(readFileSync(join(DATA_DIR, folder, 'reference.json'), 'utf8'));
      const networkx: Ranks = new Map(Object.entries(json.pagerank.values));
      workloads.push([{ graph: folder, file, bothDirections }, networkx]);
    }

    const rows: Row[] = [];
    for (const [workload, networkx] of workloads) {
      const fromScipy = scipy ? measureScipy(workload, workDir) : null;
      const reference = networkx ?? fromScipy?.ranks ?? null;
      const name = networkx ? 'networkx' : 'scipy';
      const measured: [Row, Ranks][] = [measureStarling(workload), measureGraphology(workload)];
      if (fromScipy) measured.push([fromScipy.row, fromScipy.ranks]);
      for (const [row, ranks] of measured) {
        const full = reference ? { ...row, ...agreement(ranks, reference), reference: name } : row;
        rows.push(full);
        if (options.json) console.log(JSON.stringify({ bench: 'graph', ...full }));
      }
    }
    if (!options.json) printTable(rows);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Writes the seeded power-law graph as an edge list, the form every engine reads. */
function generate(
  workDir: string,
  flag: (n: string, d: number) => number,
  say: (l: string) => void,
) {
  const nodes = flag('nodes', 100_000);
  const edges = flag('edges', 1_000_000);
  const seed = flag('seed', 1);
  const started = performance.now();
  const { src, dst } = powerLawEdges({ nodes, edges, seed });
  const lines: string[] = [];
  for (let e = 0; e < edges; e++) lines.push(`${src[e]} ${dst[e]}\n`);
  const file = join(workDir, 'power-law.txt');
  writeFileSync(file, lines.join(''));
  say(`generated ${nodes} nodes, ${edges} edges, seed ${seed}, in ${secs(started).toFixed(1)} s`);
  return { graph: `power-law ${nodes}/${edges}`, file, bothDirections: false };
}

function measureStarling(w: Workload): [Row, Ranks] {
  const memory = new MemoryWatch();
  let t = performance.now();
  const builder = new GraphBuilder();
  forEachEdge(readFileSync(w.file, 'utf8'), (src, dst, weight) => {
    builder.addEdge(src, dst, weight);
    if (w.bothDirections) builder.addEdge(dst, src, weight);
  });
  const load = memory.lap(t);

  t = performance.now();
  const graph = builder.build();
  const build = memory.lap(t);

  t = performance.now();
  const transition = transitionOf(graph.out);
  const prepare = memory.lap(t);

  t = performance.now();
  const { ranks, iterations } = iteratePageRank(transition);
  const iterate = memory.lap(t);
  const runs = [iterate];
  while (runs.length < ITERATE_RUNS) {
    const again = performance.now();
    iteratePageRank(transition);
    runs.push(secs(again));
  }

  t = performance.now();
  const core = coreNumbers(undirectedSimple(graph.out));
  const cores = memory.lap(t);

  t = performance.now();
  const ranking = new InfluenceRanking(graph, { pagerank: ranks, core, iterations });
  ranking.top(10);
  const rank = memory.lap(t);

  const row: Row = {
    ...{ graph: w.graph, engine: 'starling', nodes: ranking.nodes, edges: ranking.edges },
    residentGrowthMB: measureResident(w),
    ...{ load, build, prepare, iterate, perIteration: median(runs) / iterations, iterations },
    ...{ cores, rank, pagerankTotal: load + build + prepare + iterate },
    ...{ peakMB: memory.peakMB(), retainedMB: memory.retainedMB() },
  };
  return [row, new Map(graph.ids.ids().map((id, node) => [id, ranks[node] as number]))];
}

/** Runs {@link residentProbe} in a fresh Node and returns its peak RSS growth in MB. */
function measureResident(w: Workload): number {
  const args = [fileURLToPath(import.meta.url), '--resident', w.file, String(w.bothDirections)];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`resident probe failed: ${child.stderr}`);
  return JSON.parse(child.stdout).growthMB;
}

/** Load, CSR, PageRank, cores and ranking, nothing else; prints the peak RSS growth. */
function residentProbe(file: string, bothDirections: boolean): void {
  const start = process.memoryUsage().rss;
  const builder = new GraphBuilder();
  forEachEdge(readFileSync(file, 'utf8'), (src, dst, weight) => {
    builder.addEdge(src, dst, weight);
    if (bothDirections) builder.addEdge(dst, src, weight);
  });
  const ranking = rankInfluence(builder.build());
  ranking.top(10);
  // maxRSS is in kilobytes.
  const growthMB = (process.resourceUsage().maxRSS * 1024 - start) / MB;
  console.log(JSON.stringify({ nodes: ranking.nodes, growthMB }));
}

function measureGraphology(w: Workload): [Row, Ranks] {
  const memory = new MemoryWatch();
  let t = performance.now();
  const graph = new DirectedGraph();
  forEachEdge(readFileSync(w.file, 'utf8'), (src, dst) => {
    graph.mergeEdge(src, dst);
    if (w.bothDirections) graph.mergeEdge(dst, src);
  });
  const load = memory.lap(t);

  // Same damping, tolerance test and cap as ours, so both do the same number of steps.
  t = performance.now();
  const ranks = graphologyPagerank(graph, {
    getEdgeWeight: null,
    alpha: PAGERANK_DEFAULTS.damping,
    tolerance: PAGERANK_DEFAULTS.tolerance,
    maxIterations: PAGERANK_DEFAULTS.maxIterations,
  });
  const iterate = memory.lap(t);

  const row: Row = {
    ...{ graph: w.graph, engine: 'graphology', nodes: graph.order, edges: graph.size },
    ...{ load, iterate, pagerankTotal: load + iterate },
    ...{ peakMB: memory.peakMB(), retainedMB: memory.retainedMB() },
  };
  return [row, new Map(Object.entries(ranks))];
}

/** Runs the scipy script on the same file; ranks come back as int64 ids then float64 values. */
function measureScipy(w: Workload, workDir: string): { row: Row; ranks: Ranks } {
  const ranksFile = join(workDir, 'scipy-ranks.bin');
  const args = [SCIPY_SCRIPT, w.file, ranksFile, '--repeat', String(ITERATE_RUNS)];
  args.push('--tolerance', String(PAGERANK_DEFAULTS.tolerance));
  if (w.bothDirections) args.push('--both-directions');
  const child = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 16 * MB });
  if (child.status !== 0) throw new Error(`${SCIPY_SCRIPT} failed: ${child.stderr}`);
  const out = JSON.parse(child.stdout);

  const bytes = new Uint8Array(readFileSync(ranksFile));
  const ids = new BigInt64Array(bytes.buffer, 0, out.nodes);
  const values = new Float64Array(bytes.buffer, 8 * out.nodes, out.nodes);
  const ranks: Ranks = new Map();
  for (let i = 0; i < out.nodes; i++) ranks.set(String(ids[i]), values[i] as number);

  const row: Row = {
    ...{ graph: w.graph, engine: 'scipy', nodes: out.nodes, edges: out.edges },
    ...{ load: out.loadSeconds, build: out.buildSeconds, iterate: out.iterateSeconds },
    ...{ perIteration: out.iterateMedianSeconds / out.iterations, iterations: out.iterations },
    pagerankTotal: out.loadSeconds + out.buildSeconds + out.iterateSeconds,
  };
  return { row, ranks };
}

/** Top-10 overlap and largest difference against the reference ranks. */
function agreement(ranks: Ranks, reference: Ranks): Pick<Row, 'top10' | 'maxAbsDiff'> {
  let maxAbsDiff = 0;
  for (const [id, value] of reference) {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs((ranks.get(id) ?? Number.NaN) - value));
  }
  const top = (of: Ranks) => [...of].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const ours = new Set(top(ranks).map(([id]) => id));
  const shared = top(reference).filter(([id]) => ours.has(id)).length;
  return { top10: `${shared}/10`, maxAbsDiff };
}

/** Peak and retained growth of heapUsed + arrayBuffers over a collected baseline. */
class MemoryWatch {
  readonly #base: number;
  #peak: number;

  constructor() {
    globalThis.gc?.();
    this.#base = used();
    this.#peak = this.#base;
  }

  /** Seconds since `start`; samples memory at the end of the phase. */
  lap(start: number): number {
    const seconds = secs(start);
    this.#peak = Math.max(this.#peak, used());
    return seconds;
  }

  peakMB(): number {
    return (this.#peak - this.#base) / MB;
  }

  /** What survives a collection while the caller still holds its results. */
  retainedMB(): number {
    globalThis.gc?.();
    return (used() - this.#base) / MB;
  }
}

function used(): number {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

function secs(start: number): number {
  return (performance.now() - start) / 1000;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1] as number;
}

const COLUMNS: [string, (r: Row) => string][] = [
  ['graph', (r) => r.graph],
  ['engine', (r) => r.engine],
  ['nodes', (r) => String(r.nodes)],
  ['edges', (r) => String(r.edges)],
  ['load s', (r) => fixed(r.load, 3)],
  ['build s', (r) => fixed(r.build, 3)],
  ['prep s', (r) => fixed(r.prepare, 3)],
  ['iterate s', (r) => fixed(r.iterate, 3)],
  ['ms/iter', (r) => fixed(r.perIteration && r.perIteration * 1000, 2)],
  ['iters', (r) => fixed(r.iterations, 0)],
  ['cores s', (r) => fixed(r.cores, 3)],
  ['rank s', (r) => fixed(r.rank, 3)],
  ['PR total s', (r) => fixed(r.pagerankTotal, 3)],
  ['peak MB', (r) => fixed(r.peakMB, 1)],
  ['kept MB', (r) => fixed(r.retainedMB, 1)],
  ['RSS +MB', (r) => fixed(r.residentGrowthMB, 1)],
  ['top-10', (r) => r.top10 ?? '—'],
  ['max |Δ|', (r) => (r.maxAbsDiff === undefined ? '—' : r.maxAbsDiff.toExponential(1))],
  ['vs', (r) => r.reference ?? '—'],
];

function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? '—' : value.toFixed(digits);
}

function printTable(rows: Row[]): void {
  const cells = rows.map((row) => COLUMNS.map(([, cell]) => cell(row)));
  const widths = COLUMNS.map(([h], c) =>
    Math.max(h.length, ...cells.map((r) => r[c]?.length ?? 0)),
  );
  const line = (texts: string[]) => texts.map((s, c) => s.padStart(widths[c] ?? 0)).join('  ');
  console.log(line(COLUMNS.map(([header]) => header)));
  for (const texts of cells) console.log(line(texts));

  console.log('');
  for (const graph of new Set(rows.map((r) => r.graph))) {
    const of = (engine: Row['engine']) =>
      rows.find((r) => r.graph === graph && r.engine === engine);
    const [ours, graphology, scipy] = [of('starling'), of('graphology'), of('scipy')];
    if (!ours) continue;
    const notes = [
      `influence peak ${fixed(ours.peakMB, 1)} MB sampled, ${fixed(ours.residentGrowthMB, 1)} MB RSS (goal ≤ 128)`,
    ];
    if (graphology) {
      const ratio = graphology.pagerankTotal / ours.pagerankTotal;
      notes.push(`PageRank end to end graphology/starling ${ratio.toFixed(1)}× (goal ≥ 10)`);
    }
    if (scipy?.perIteration && ours.perIteration) {
      const ratio = ours.perIteration / scipy.perIteration;
      notes.push(`per iteration starling/scipy ${ratio.toFixed(2)}× (goal ≤ 1.2)`);
    }
    console.log(`${graph}: ${notes.join('; ')}`);
  }
  console.log('graphology-metrics 2.4.2 has no k-core function, so graphology has no cores time.');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--resident') residentProbe(argv[1] as string, argv[2] === 'true');
  else await run({ json: argv.includes('--json'), args: argv.filter((a) => a !== '--json') });
}
