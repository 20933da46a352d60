/**
 * `npm run bench [-- name ...] [-- --json]`: runs the named benchmarks (all when none is
 * named) one after another in this process's Node. Each benchmark module exports
 * `run(options)` and prints its own table; with --json it prints one JSON object per
 * measurement instead.
 */
export interface BenchOptions {
  json: boolean;
  /** Extra arguments after the names, for a benchmark's own flags. */
  args: string[];
}

const benchmarks: Record<string, () => Promise<{ run(o: BenchOptions): Promise<void> }>> = {
  ingest: () => import('./ingest.ts'),
  graph: () => import('./graph.ts'),
  recompute: () => import('./recompute.ts'),
  job: () => import('./job.ts'),
};

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const names = argv.filter((a) => !a.startsWith('--') && a in benchmarks);
const args = argv.filter((a) => a !== '--json' && !(a in benchmarks));
const unknown = argv.filter((a) => !a.startsWith('--') && !(a in benchmarks));
if (unknown.length > 0 && names.length === 0) {
  console.error(
    `unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`,
  );
  process.exit(2);
}

for (const name of names.length > 0 ? names : Object.keys(benchmarks)) {
  const load = benchmarks[name];
  if (!load) continue;
  if (!json) console.log(`\n== ${name}`);
  const bench = await load();
  await bench.run({ json, args });
}
