/**
 * `npm run bench -- recompute [--quick] [--scale=small,reference,large] [--factors=32,64]
 * [--active=0.1] [--all-users] [--cold-iterations=5] [--warm-iterations=3] [--kernel=plain,wasm]
 * [--json]`
 *
 * The recommendation half of the cron job on generated data at three scales: build the CSR,
 * popularity, confidence, a few warm-started ALS iterations, top-N for the active users and
 * similar items, each phase timed with its CPU time, memory growth and flop rate beside the
 * single-core rate of a plain float32 dot product measured in the same run.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { trainAls } from '../src/ml/als.ts';
import { logConfidence } from '../src/ml/confidence.ts';
import { choleskyInPlace, choleskySolveInPlace } from '../src/ml/dense.ts';
import { popularItems } from '../src/ml/popularity.ts';
import { Random } from '../src/ml/random.ts';
import { similarItems } from '../src/ml/similar.ts';
import { generateImplicit } from '../src/ml/synthetic.ts';
import { topN } from '../src/ml/topn.ts';
import { CooBuilder } from '../src/sparse/coo.ts';
import { type Csr, csrFromCoo, nnz } from '../src/sparse/csr.ts';
import type { BenchOptions } from './run.ts';

const SCALES = {
  small: { users: 10_000, items: 5_000, interactions: 200_000 },
  reference: { users: 50_000, items: 20_000, interactions: 1_000_000 },
  large: { users: 200_000, items: 50_000, interactions: 5_000_000 },
} as const;
type ScaleName = keyof typeof SCALES;

/** numpy/OpenBLAS top-N for all 50k users × 20k items at k = 32 (issue 3). */
const NUMPY_TOP_N_SECONDS = 17.5;
const NUMPY_TOP_N_FLOP = 2 * 50_000 * 20_000 * 32;
const LIST_LENGTH = 10;

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

interface Phase {
  seconds: number;
  cpuSeconds: number;
  /** Growth of JS heap + array buffers from a collected start to the end of the phase. */
  memoryMB: number;
  /** The same at the phase end, above the empty process: everything the job holds. */
  holdingMB: number;
}

type Measure = <T>(fn: () => T) => [T, Phase];

interface Row extends Partial<Phase> {
  scale: string;
  k: number | string;
  phase: string;
  flop?: number;
  note?: string;
}

function used(): number {
  // external counts array buffers and WebAssembly memories alike.
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

export async function run(options: BenchOptions): Promise<void> {
  const flags = parseFlags(options.args);
  collect();
  const empty = used();
  const dotGflops = dotProductRate();

  const measure: Measure = (fn) => {
    collect();
    const before = used();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const value = fn();
    const seconds = (performance.now() - started) / 1000;
    const spent = process.cpuUsage(cpu);
    const after = used();
    const phase = {
      seconds,
      cpuSeconds: (spent.user + spent.system) / 1e6,
      memoryMB: (after - before) / 2 ** 20,
      holdingMB: (after - empty) / 2 ** 20,
    };
    return [value, phase];
  };
  const print = table(options.json, dotGflops);
  print({
    scale: '-',
    k: '-',
    phase: 'plain-JS float32 dot product, one core',
    flop: dotGflops * 1e9,
    seconds: 1,
    cpuSeconds: 1,
    note: 'the ×dot column divides by this rate',
  });
  for (const k of [32, 64]) {
    const [micro, note] = exactSolveMicro(k);
    print({ scale: '-', k, phase: 'exact k×k solve: hand Cholesky', ...micro.hand, note });
    print({ scale: '-', k, phase: 'exact k×k solve: ml-matrix', ...micro.mlMatrix });
  }

  for (const name of flags.scales) {
    const scale = SCALES[name];
    for (const k of flags.factors) {
      // Built afresh for each k, so the job's input is the only copy: popularity reads the
      // weights and the confidence transform then overwrites them, as in the job.
      const [confidence, generated, built] = buildInput(name, measure);
      print({ scale: name, k, phase: 'generate events (not in job)', ...generated });
      print({ scale: name, k, phase: `csrFromCoo, ${nnz(confidence)} pairs`, ...built });
      const common: Phase[] = [built];
      const [, popular] = measure(() => popularItems(confidence, 100));
      print({ scale: name, k, phase: 'popularity top 100', ...popular });
      common.push(popular);
      const [, conf] = measure(() => logConfidence(confidence, 1));
      print({ scale: name, k, phase: 'confidence 1 + ln(1 + w)', ...conf });
      common.push(conf);

      const als = { factors: k, regularization: 10, seed: 3 };
      const perIteration = alsFlop(confidence, k, 3);
      const [previous, cold] = measure(() =>
        trainAls(confidence, { ...als, iterations: flags.coldIterations }),
      );
      print({
        scale: name,
        k,
        phase: `ALS cold, ${flags.coldIterations} it (not in job)`,
        ...cold,
        flop: perIteration * flags.coldIterations,
        note: `${(cold.seconds / flags.coldIterations).toFixed(2)} s/iteration`,
      });
      // The previous snapshot's factors, continued in place as the job would.
      const init = { users: previous.users, items: previous.items };
      const [model, warm] = measure(() =>
        trainAls(confidence, { ...als, iterations: flags.warmIterations }, init),
      );
      print({
        scale: name,
        k,
        phase: `ALS warm start, ${flags.warmIterations} it`,
        ...warm,
        flop: perIteration * flags.warmIterations,
        note: `${(warm.seconds / flags.warmIterations).toFixed(2)} s/iteration`,
      });
      common.push(warm);

      const active = sampleUsers(scale.users, flags.active, 5);
      const activeFlop = 2 * active.length * scale.items * k;
      for (const kernelName of flags.kernels) {
        const scoring = kernelName === 'wasm' ? { kernel: loadKernel() } : {};
        const tag = `${kernelName} kernel`;
        const [, ranked] = measure(() =>
          topN(model.users, model.items, confidence, active, LIST_LENGTH, scoring),
        );
        print({
          scale: name,
          k,
          phase: `top-${LIST_LENGTH}, ${active.length} active users (${flags.active * 100}%), ${tag}`,
          ...ranked,
          flop: activeFlop,
          note: `all users ≈ ${(ranked.seconds / flags.active).toFixed(1)} s; ${numpyRatio(ranked.seconds, activeFlop / flags.active)}`,
        });

        const [, similar] = measure(() =>
          similarItems(model.items, LIST_LENGTH, undefined, scoring),
        );
        print({
          scale: name,
          k,
          phase: `similar items, all ${scale.items}, ${tag}`,
          ...similar,
          flop: scale.items * scale.items * k,
        });
        const job = [...common, ranked, similar];
        print({
          scale: name,
          k,
          phase: `JOB TOTAL, ${tag}`,
          note: 'csrFromCoo + popularity + confidence + warm ALS + top-N active + similar',
          seconds: sum(job, 'seconds'),
          cpuSeconds: sum(job, 'cpuSeconds'),
          memoryMB: Math.max(...job.map((p) => p.memoryMB)),
          holdingMB: Math.max(...job.map((p) => p.holdingMB)),
        });

        if (flags.allUsers || name !== 'large') {
          const everyone = Int32Array.from({ length: scale.users }, (_, u) => u);
          const allFlop = 2 * scale.users * scale.items * k;
          const [, all] = measure(() =>
            topN(model.users, model.items, confidence, everyone, LIST_LENGTH, scoring),
          );
          print({
            scale: name,
            k,
            phase: `top-${LIST_LENGTH}, all ${scale.users} users, ${tag} (not in job)`,
            ...all,
            flop: allFlop,
            note: numpyRatio(all.seconds, allFlop),
          });
        }
      }
      if (name !== 'large') {
        const [, exact] = measure(() =>
          trainAls(confidence, { ...als, iterations: 1, solver: 'exact' }, init),
        );
        print({
          scale: name,
          k,
          phase: 'ALS exact solves, 1 it (not in job)',
          ...exact,
          note: `${((exact.seconds * flags.coldIterations) / cold.seconds).toFixed(1)}× a CG iteration`,
        });
      }
    }
  }
  if (!options.json) {
    console.log(
      '\nmemory MB: growth of JS heap + external memory (array buffers, Wasm memory) over the phase, from a collected start to ' +
        'the phase end; held MB: the same above the empty process, inputs included.\n' +
        `process peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB.`,
    );
  }
}

interface Flags {
  scales: ScaleName[];
  factors: number[];
  active: number;
  allUsers: boolean;
  coldIterations: number;
  warmIterations: number;
  kernels: ('plain' | 'wasm')[];
}

function parseFlags(args: string[]): Flags {
  const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const scales = (value('scale') ?? value('scales') ?? 'small,reference,large').split(',');
  for (const s of scales) {
    if (!(s in SCALES)) throw new RangeError(`unknown scale ${s}; known: ${Object.keys(SCALES)}`);
  }
  const active = Number(value('active') ?? 0.1);
  if (!(active > 0 && active <= 1))
    throw new RangeError(`--active must be in (0, 1], got ${active}`);
  const kernels = (value('kernel') ?? 'plain,wasm').split(',');
  for (const kernel of kernels) {
    if (kernel !== 'plain' && kernel !== 'wasm') {
      throw new RangeError(`unknown kernel ${kernel}; known: plain, wasm`);
    }
  }
  return {
    scales: args.includes('--quick') ? ['small'] : (scales as ScaleName[]),
    factors: (value('factors') ?? '32,64').split(',').map(Number),
    active,
    allUsers: args.includes('--all-users'),
    coldIterations: Number(value('cold-iterations') ?? 5),
    warmIterations: Number(value('warm-iterations') ?? 3),
    kernels: kernels as Flags['kernels'],
  };
}

/** Flops of one CG iteration (both half-steps): Gram, then per row 1 + steps products. */
function alsFlop(confidence: Csr, k: number, steps: number): number {
  const rows = confidence.nRows + confidence.nCols;
  return rows * k * k + rows * (1 + steps) * 2 * k * k + 2 * nnz(confidence) * (1 + steps) * 4 * k;
}

function loadKernel(): WebAssembly.Module {
  return new WebAssembly.Module(
    readFileSync(new URL('../src/ml/score-kernel.wasm', import.meta.url)),
  );
}

function numpyRatio(seconds: number, flop: number): string {
  const numpy = (NUMPY_TOP_N_SECONDS * flop) / NUMPY_TOP_N_FLOP;
  return `numpy all-users equivalent ${numpy.toFixed(1)} s, ratio ${(seconds / numpy).toFixed(2)}`;
}

/**
 * The job's input: generated events as triplets in random order, then compressed into a CSR.
 * The generator's own matrix and the triplets are dropped on return, so what later phases hold
 * is only what the job would hold.
 */
function buildInput(name: ScaleName, measure: Measure): [Csr, Phase, Phase] {
  const scale = SCALES[name];
  const [coo, generated] = measure(() =>
    shuffledCoo(generateImplicit({ ...scale, seed: 1 }).interactions),
  );
  const [weights, built] = measure(() => csrFromCoo(coo, scale.users, scale.items));
  return [weights, generated, built];
}

/** The entries of a CSR as triplets in a random order, as pages of a log would arrive. */
function shuffledCoo(csr: Csr): CooBuilder {
  const total = nnz(csr);
  const order = Int32Array.from({ length: total }, (_, i) => i);
  const random = new Random(17);
  for (let i = total - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  const rowOf = new Int32Array(total);
  for (let r = 0; r < csr.nRows; r++) rowOf.fill(r, csr.rowPtr[r], csr.rowPtr[r + 1]);
  const coo = new CooBuilder(total);
  for (const q of order)
    coo.push(rowOf[q] as number, csr.colIdx[q] as number, csr.values[q] as number);
  return coo;
}

function sampleUsers(users: number, fraction: number, seed: number): Int32Array {
  const random = new Random(seed);
  const picked: number[] = [];
  for (let u = 0; u < users; u++) if (random.next() < fraction) picked.push(u);
  return Int32Array.from(picked);
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const spent = process.cpuUsage(start);
  return (spent.user + spent.system) / 1e6;
}

function sum(phases: Phase[], key: 'seconds' | 'cpuSeconds'): number {
  return phases.reduce((total, p) => total + p[key], 0);
}

/** GFLOP/s of a plain loop over two float32 arrays of 1024, best of five runs. */
function dotProductRate(): number {
  const a = new Float32Array(1024).map((_, i) => Math.sin(i));
  const b = new Float32Array(1024).map((_, i) => Math.cos(i));
  let best = 0;
  let sink = 0;
  for (let run = 0; run < 5; run++) {
    const started = process.cpuUsage();
    for (let rep = 0; rep < 20_000; rep++) {
      let s = 0;
      for (let f = 0; f < 1024; f++) s += (a[f] as number) * (b[f] as number);
      sink += s;
    }
    best = Math.max(best, (2 * 1024 * 20_000) / cpuSecondsSince(started) / 1e9);
  }
  return sink === Number.POSITIVE_INFINITY ? 0 : best;
}

/** Microseconds per exact k × k solve, hand-written Cholesky against ml-matrix. */
function exactSolveMicro(k: number): [{ hand: Partial<Phase>; mlMatrix: Partial<Phase> }, string] {
  const random = new Random(k);
  const base = new Float64Array(k * k);
  // A Gram matrix of 3k random rows plus the identity: positive definite, like an ALS row's.
  for (let r = 0; r < 3 * k; r++) {
    const v = Float64Array.from({ length: k }, () => random.next() - 0.5);
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++)
        base[a * k + b] = (base[a * k + b] as number) + (v[a] as number) * (v[b] as number);
    }
  }
  for (let a = 0; a < k; a++) base[a * k + a] = (base[a * k + a] as number) + 1;
  const rhs = Float64Array.from({ length: k }, (_, i) => Math.sin(i));
  const solves = 4000;
  const matrix = new Float64Array(k * k);
  const x = new Float64Array(k);

  const time = (solve: () => void) => {
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 3; run++) {
      const started = process.cpuUsage();
      for (let s = 0; s < solves; s++) solve();
      best = Math.min(best, cpuSecondsSince(started));
    }
    return best;
  };
  const hand = time(() => {
    matrix.set(base);
    x.set(rhs);
    choleskyInPlace(matrix, k);
    choleskySolveInPlace(matrix, k, x);
  });
  const library = time(() => {
    const decomposition = new CholeskyDecomposition(Matrix.from1DArray(k, k, base));
    decomposition.solve(Matrix.columnVector(Array.from(rhs)));
  });
  const flop = solves * (k ** 3 / 3 + 2 * k * k);
  const row = (seconds: number) => ({ seconds, cpuSeconds: seconds, flop });
  return [
    { hand: row(hand), mlMatrix: row(library) },
    `${((hand / solves) * 1e6).toFixed(1)} µs vs ${((library / solves) * 1e6).toFixed(1)} µs ` +
      `per solve: ml-matrix ${(library / hand).toFixed(1)}× slower`,
  ];
}

/** Prints rows as they come: a fixed-width table, or one JSON object per measurement. */
function table(json: boolean, dotGflops: number): (row: Row) => void {
  const columns: [string, number, (r: Row) => string][] = [
    ['scale', 9, (r) => r.scale],
    ['k', 3, (r) => String(r.k)],
    ['phase', 62, (r) => r.phase],
    ['wall s', 8, (r) => fixed(r.seconds, 2)],
    ['CPU s', 8, (r) => fixed(r.cpuSeconds, 2)],
    ['mem MB', 7, (r) => fixed(r.memoryMB, 1)],
    ['held MB', 7, (r) => fixed(r.holdingMB, 1)],
    ['GFLOP/s', 7, (r) => fixed(rate(r), 2)],
    [
      '×dot',
      5,
      (r) => fixed(rate(r) === undefined ? undefined : (rate(r) as number) / dotGflops, 2),
    ],
    ['note', 0, (r) => r.note ?? ''],
  ];
  if (!json) {
    console.log(columns.map(([h, w]) => h.padEnd(w)).join(' '));
    console.log(columns.map(([h, w]) => '-'.repeat(Math.max(w, h.length))).join(' '));
  }
  return (row) => {
    if (json) {
      console.log(JSON.stringify({ benchmark: 'recompute', ...row, gflops: rate(row), dotGflops }));
      return;
    }
    console.log(columns.map(([, w, cell]) => cell(row).padEnd(w)).join(' '));
  };
}

/**
 * GFLOP/s over the phase's CPU time: the phases run on one thread, and on a shared machine the
 * wall clock also counts the time the thread waited for a core.
 */
function rate(row: Row): number | undefined {
  const seconds = row.cpuSeconds ?? row.seconds;
  return row.flop && seconds ? row.flop / seconds / 1e9 : undefined;
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? '' : value.toFixed(digits);
}
