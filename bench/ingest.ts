/**
 * Ingest benchmark (issue 2): how fast the Worker takes events under `wrangler dev`, next to a
 * no-op route. The working tree (or --ref=<commit>) is bundled once and served by a `wrangler
 * dev` of our own on a free loopback port, with throwaway state and the rate limit lifted:
 *   no-op    GET /healthz: the floor every request of this Worker pays
 *   beacon   POST /v1/events, one event as text/plain (navigator.sendBeacon), over 10k users
 *            (mostly first contact), and over 100 returning users
 *   batch    POST /v1/events, 100 events as application/json, 10 users per batch
 * Flags: --duration=<s> (10), --warmup=<s> (2), --connections=<n> (32), --ref=<commit>. The
 * machine is shared and noisy: compare the ratios to the no-op route more than the rates.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flag } from './flags.ts';
import type { BenchOptions } from './run.ts';
import {
  killGroup,
  type Server,
  startServer,
  stopServer,
  workerdPeakRssMiB,
} from './wrangler-dev.ts';

/** The part of autocannon's API used here (the package ships no types). */
interface CannonRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  setupRequest?: (request: CannonRequest) => CannonRequest & { body: string };
  onResponse?: (status: number, body: string) => void;
}
interface CannonResult {
  connections: number;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  requests: { total: number; sent: number };
  latency: { p50: number; p99: number };
}
type CannonOptions = Pick<CannonResult, 'connections' | 'duration'> & { url: string };
type Cannon = (options: CannonOptions & { requests: CannonRequest[] }) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const [USERS, ITEMS] = [10_000, 5_000];
const [BATCH_EVENTS, BATCH_USERS] = [100, 10];
const RETURNING_USERS = 100;
const TYPES = ['view', 'view', 'view', 'click', 'click', 'like', 'purchase'] as const;

/** An event of user number `user`; `n` varies its type and item. */
function event(n: number, user: number): Record<string, unknown> {
  const type = TYPES[n % TYPES.length] ?? 'view';
  const fields: Record<string, unknown> = { type, userId: `u${user}`, itemId: `i${n % ITEMS}` };
  if (type === 'like') fields.targetUserId = `u${(user * 31 + 7) % USERS}`;
  if (type === 'purchase') fields.value = 10 + (n % 90);
  return fields;
}

/** A scenario gives the requests of one autocannon run, whose replies add up in a tally. */
type Tally = { accepted: number; rejected: number };
type Scenario = { name: string; requests: (tally: Tally) => CannonRequest[] };

/** POST /v1/events whose n-th request, over all runs of the scenario, carries `body(n)`. */
function postEvents(name: string, contentType: string, body: (n: number) => unknown): Scenario {
  let sent = 0;
  const requests = (tally: Tally): CannonRequest[] => [
    {
      method: 'POST',
      path: '/v1/events?key=dev-site-key',
      headers: { 'Content-Type': contentType },
      setupRequest: (request) => ({ ...request, body: JSON.stringify(body(sent++)) }),
      onResponse: (status, text) => {
        if (status !== 202) return; // autocannon counts it as non-2xx
        const reply = JSON.parse(text) as { accepted: number; rejected: unknown[] };
        tally.accepted += reply.accepted;
        tally.rejected += reply.rejected.length;
      },
    },
  ];
  return { name, requests };
}

const NOOP: Scenario = { name: 'no-op GET /healthz', requests: () => [{ path: '/healthz' }] };
const SCENARIOS: Scenario[] = [
  NOOP,
  // Over 10k users most beacons of a 10 s run reach a user's object for the first time, which
  // creates its SQLite database; a hundred returning users show the steady state beside it.
  postEvents('beacon, 1 event, new users', 'text/plain;charset=UTF-8', (n) => event(n, n % USERS)),
  postEvents('beacon, 1 event, 100 returning', 'text/plain;charset=UTF-8', (n) =>
    event(n, n % RETURNING_USERS),
  ),
  postEvents(`batch, ${BATCH_EVENTS} events`, 'application/json', (n) =>
    Array.from({ length: BATCH_EVENTS }, (_, i) =>
      event(n * BATCH_EVENTS + i, (n * BATCH_USERS + (i % BATCH_USERS)) % USERS),
    ),
  ),
];

/** One line of the report; ratios are to the no-op route's requests/s. */
function measurement(scenario: Scenario, result: CannonResult, tally: Tally, noopRate: number) {
  const requestsPerS = result.requests.total / result.duration;
  const eventsPerS = tally.accepted / result.duration; // as the 202 replies count them
  return {
    scenario: scenario.name,
    connections: result.connections,
    durationS: result.duration,
    requests: result.requests.total,
    unfinished: result.requests.sent - result.requests.total, // no reply when the run ended
    requestsPerS,
    eventsPerS,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requestRatio: requestsPerS / noopRate,
    eventRatio: eventsPerS / noopRate,
    non2xx: result.non2xx,
    socketErrors: result.errors + result.timeouts,
    rejectedEvents: tally.rejected, // refused inside 202 replies
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]),
    ),
    workerdPeakRssMiB: null as number | null, // VmHWM so far, null where /proc is unreadable
  };
}
type Measurement = ReturnType<typeof measurement>;

export async function run(options: BenchOptions): Promise<void> {
  const duration = Number(flag(options.args, 'duration') ?? 10);
  const warmup = Number(flag(options.args, 'warmup') ?? 2);
  const connections = Number(flag(options.args, 'connections') ?? 32);
  if (!(duration > 0 && warmup >= 0 && Number.isInteger(connections) && connections > 0)) {
    throw new RangeError('--duration and --connections must be positive, --warmup at least 0');
  }

  const dir = await mkdtemp(join(tmpdir(), 'starling-ingest-'));
  let server: Server | undefined;
  const onSignal = () => {
    if (server) killGroup(server.child, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 }); // exit skips the finally below
    process.exit(130);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);

  const rows: Measurement[] = [];
  try {
    server = await startServer(dir, {
      ref: flag(options.args, 'ref'),
      vars: { RATE_LIMIT_PER_SECOND: '1000000', RATE_LIMIT_BURST: '10000000' },
    });
    let noopRate = Number.NaN;
    for (const scenario of SCENARIOS) {
      if (!options.json) console.error(`${scenario.name}: ${warmup} s warm-up, ${duration} s`);
      const tally = { accepted: 0, rejected: 0 };
      const { url } = server;
      const shoot = (seconds: number, into: Tally) =>
        autocannon({ url, connections, duration: seconds, requests: scenario.requests(into) });
      if (warmup > 0) await shoot(warmup, { ...tally });
      const result = await shoot(duration, tally);

      if (scenario === NOOP) noopRate = result.requests.total / result.duration;
      const row = measurement(scenario, result, tally, noopRate);
      row.workerdPeakRssMiB = await workerdPeakRssMiB(server);
      rows.push(row);
      if (options.json) console.log(JSON.stringify(row));
    }
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    if (server) await stopServer(server);
    await rm(dir, { recursive: true, force: true });
  }

  if (!options.json) {
    const times = (v: number) => (v > 0 ? `${v.toFixed(2)}x` : '-');
    console.table(
      rows.map((m) => ({
        scenario: m.scenario,
        'req/s': Math.round(m.requestsPerS),
        'events/s': Math.round(m.eventsPerS),
        'p50 ms': m.p50Ms,
        'p99 ms': m.p99Ms,
        'req/s ÷ no-op': times(m.requestRatio),
        'events/s ÷ no-op req/s': times(m.eventRatio),
        'non-2xx / socket errors': `${m.non2xx} / ${m.socketErrors}`,
        'rejected events': m.rejectedEvents,
      })),
    );
    const peak = rows.at(-1)?.workerdPeakRssMiB;
    const rss = peak == null ? 'not reported (/proc unreadable)' : `${peak} MiB`;
    console.log(`peak RSS (VmHWM) of the workerd process running the Worker: ${rss}`);
  }

  const failed = rows.filter((m) => !m.requests || m.non2xx + m.socketErrors + m.rejectedEvents);
  const logged = [...(server?.errors ?? [])].sort((a, b) => b[1] - a[1]);
  if (failed.length + logged.length > 0) {
    process.exitCode = 1; // and the report goes to stderr, so readers of --json see it too
    console.error('\n!!! THE INGEST BENCHMARK SAW ERRORS: the rates above include failed work');
    for (const m of failed) console.error(`!!! ${JSON.stringify(m)}`);
    for (const [line, count] of logged.slice(0, 8)) console.error(`!!! ${count}x ${line}`);
  }
}
