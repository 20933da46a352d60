/**
 * A `wrangler dev` of the benchmarks' own: the working tree (or a commit) bundled once and
 * served on a free loopback port with throwaway state, its output watched for errors, and the
 * workerd process that runs the Worker found for its memory and CPU figures.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readdir, readFile, symlink } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
const exec = promisify(execFile);
const ERROR_LINE = /\[ERROR\]|"level":"error"/; // wrangler's mark, the Worker's error logs

/** A running `wrangler dev`, leader of its own process group, and what it printed. */
export interface Server {
  child: ChildProcess;
  url: string;
  /** The DevTools port of the Worker's isolate. */
  inspectorPort: number;
  tail: string[];
  errors: Map<string, number>; // error lines of the Worker and the runtime, and their counts
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function wrangler(cwd: string, ...args: string[]): Promise<void> {
  const options = { cwd, env: ENV, maxBuffer: 1 << 24 };
  await exec(process.execPath, [WRANGLER, ...args], options).catch((error) => {
    const output = stripVTControlCharacters(String(error.stderr || error.stdout || error));
    throw new Error(`wrangler ${args.slice(0, 2).join(' ')} failed:\n${output}`);
  });
}

/**
 * Serves the working tree, or with `ref` that commit's files (git archive), as one bundle,
 * with Worker variables `vars`. `beforeStart(statePath)` runs once the D1 migrations are
 * applied and before the server opens the state (to seed it, say).
 */
export async function startServer(
  dir: string,
  options: {
    ref?: string;
    vars?: Record<string, string>;
    beforeStart?: (statePath: string) => Promise<void>;
  } = {},
): Promise<Server> {
  const { ref } = options;
  const cwd = ref ? join(dir, 'tree') : ROOT;
  if (ref) {
    await exec('git', ['-C', ROOT, 'archive', '--prefix=tree/', '-o', `${cwd}.tar`, ref]);
    await exec('tar', ['-xf', `${cwd}.tar`, '-C', dir]);
    await symlink(join(ROOT, 'node_modules'), join(cwd, 'node_modules'));
  }
  // One bundle, made now: `wrangler dev` on the sources would reload on others' saves mid-run.
  await wrangler(cwd, 'deploy', '--dry-run', '--outdir', join(dir, 'bundle'));
  const persist = ['--persist-to', join(dir, 'state')];
  await wrangler(cwd, 'd1', 'migrations', 'apply', 'starling', '--local', ...persist);
  await options.beforeStart?.(join(dir, 'state'));

  const [port, inspectorPort] = [await freePort(), await freePort()];
  // At info level wrangler's Node process would log every request, on the same two cores.
  const args = [
    ...['dev', join(dir, 'bundle/index.js'), '--no-bundle', '--config', 'wrangler.toml'],
    ...['--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort)],
    ...[...persist, '--log-level', 'warn', '--show-interactive-dev-session=false'],
    ...Object.entries(options.vars ?? {}).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
  ];
  const child = spawn(process.execPath, [WRANGLER, ...args], { cwd, env: ENV, detached: true });
  const url = `http://127.0.0.1:${port}`;
  const server: Server = { child, url, inspectorPort, tail: [], errors: new Map() };
  for (const input of [child.stdout, child.stderr]) {
    createInterface({ input }).on('line', (raw) => {
      const line = stripVTControlCharacters(raw).trim();
      server.tail = [...server.tail.slice(-39), line];
      if (ERROR_LINE.test(line)) server.errors.set(line, (server.errors.get(line) ?? 0) + 1);
    });
  }

  for (const deadline = Date.now() + 90_000; Date.now() < deadline && child.exitCode === null; ) {
    const reply = await fetch(`${server.url}/healthz`).catch(() => null); // null: not listening yet
    if (reply?.ok) return server;
    await sleep(250);
  }
  killGroup(child, 'SIGKILL');
  throw new Error(`wrangler dev never answered /healthz:\n${server.tail.join('\n')}`);
}

/** Signals wrangler and its workerd and esbuild children; false once none is left. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  try {
    return process.kill(-(child.pid ?? 0), signal);
  } catch {
    return false; // ESRCH: the group is gone
  }
}

/** SIGTERM to the group, then SIGKILL to whatever still runs 5 s later. */
export async function stopServer(server: Server): Promise<void> {
  killGroup(server.child, 'SIGTERM');
  for (let i = 0; i < 50 && killGroup(server.child, 0); i++) await sleep(100);
  killGroup(server.child, 'SIGKILL');
}

/** The pid of the workerd running the Worker, not of the proxy on our port; null if unseen. */
async function workerdPid(server: Server): Promise<string | null> {
  for (const pid of await readdir('/proc').catch(() => [])) {
    const read = (file: string) => readFile(`/proc/${pid}/${file}`, 'utf8').catch(() => '');
    const [stat, cmdline] = [await read('stat'), await read('cmdline')];
    const group = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2];
    if (group !== String(server.child.pid) || !cmdline.includes('workerd')) continue;
    if (cmdline.includes(`entry=${new URL(server.url).host}`)) continue;
    return pid;
  }
  return null;
}

/** Peak RSS (VmHWM) of the workerd running the Worker, in MiB; null where /proc is unreadable. */
export async function workerdPeakRssMiB(server: Server): Promise<number | null> {
  const pid = await workerdPid(server);
  const status = pid ? await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '') : '';
  const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kib ? Math.round(Number(kib) / 1024) : null;
}

/** CPU seconds (user + system) the Worker's workerd has used so far; null if unreadable. */
export async function workerdCpuSeconds(server: Server): Promise<number | null> {
  const pid = await workerdPid(server);
  const stat = pid ? await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '') : '';
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
  return Number.isFinite(ticks) && stat ? ticks / 100 : null;
}
