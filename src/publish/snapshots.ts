import { bucketOf } from './buckets.ts';

/**
 * Versioned snapshots in Workers KV.
 *
 * A part of a snapshot (recommendations, similar items, influence) is written as bucket values
 * under its own version, and only then named by the pointer `snapshot/current`. A reader reads
 * the pointer, then a bucket of the version it names, so it sees one complete version or the
 * one before; a job that fails before writing the pointer leaves the previous version serving.
 * Bucket values expire after BUCKET_TTL_SECONDS, long after the pointer has moved on, so old
 * versions clean themselves up without a list-and-delete pass.
 */
export const POINTER_KEY = 'snapshot/current';
export const BUCKET_TTL_SECONDS = 30 * 86_400;

export type PartName = 'recommendations' | 'similar' | 'influence';

export interface PartPointer {
  version: string;
  generatedAt: number;
  buckets: number;
  /** Free-form facts of the part, e.g. graph size, published with it. */
  meta?: Record<string, number | string>;
}

export interface SnapshotPointer {
  parts: Partial<Record<PartName, PartPointer>>;
  /** The parts as they were before the last publication, the readers' fallback. */
  previous: Partial<Record<PartName, PartPointer>>;
}

export function bucketKey(part: PartName, version: string, bucket: number | string): string {
  return `${part}/${version}/${bucket}`;
}

/** A JSON value from KV; `cacheTtl` lets the edge cache it (KV's minimum is 30 s). */
export function getJson<T>(kv: KVNamespace, key: string, cacheTtl?: number): Promise<T | null> {
  return cacheTtl ? kv.get<T>(key, { type: 'json', cacheTtl }) : kv.get<T>(key, 'json');
}

export function readPointer(kv: KVNamespace, cacheTtl?: number): Promise<SnapshotPointer | null> {
  return getJson<SnapshotPointer>(kv, POINTER_KEY, cacheTtl);
}

/**
 * The value under `keyOf(version)` of the newest version of a part that has one: the current
 * version, else the previous one (a bucket of the current version missing, say).
 */
async function readNewest<T>(
  kv: KVNamespace,
  part: PartName,
  keyOf: (version: PartPointer) => string,
  cacheTtl: number | undefined,
): Promise<{ value: T; pointer: PartPointer } | undefined> {
  const pointer = await readPointer(kv, cacheTtl);
  if (!pointer) return undefined;
  for (const candidate of [pointer.parts[part], pointer.previous[part]]) {
    if (!candidate) continue;
    const value = await getJson<T>(kv, keyOf(candidate), cacheTtl);
    if (value !== null) return { value, pointer: candidate };
  }
  return undefined;
}

/**
 * The entry for `id` in a part, from the newest version whose bucket for it exists.
 * `undefined` when that bucket does not hold the id, or no version has the bucket.
 */
export async function readEntry<T>(
  kv: KVNamespace,
  part: PartName,
  id: string,
  options: { cacheTtl?: number } = {},
): Promise<{ entry: T; pointer: PartPointer } | undefined> {
  const found = await readNewest<Record<string, T>>(
    kv,
    part,
    (v) => bucketKey(part, v.version, bucketOf(id, v.buckets)),
    options.cacheTtl,
  );
  const entry = found?.value[id];
  return found && entry !== undefined ? { entry, pointer: found.pointer } : undefined;
}

/** A named value of a part's version (a top list, a fallback list), current or previous. */
export function readPartValue<T>(
  kv: KVNamespace,
  part: PartName,
  name: string,
  options: { cacheTtl?: number } = {},
): Promise<{ value: T; pointer: PartPointer } | undefined> {
  return readNewest<T>(kv, part, (v) => bucketKey(part, v.version, name), options.cacheTtl);
}

/** Writes values with at most `concurrency` puts in flight. */
export async function putAll(
  kv: KVNamespace,
  entries: Iterable<[key: string, value: string | ArrayBuffer]>,
  concurrency = 16,
): Promise<number> {
  const queue = [...entries];
  let written = 0;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      await kv.put(next[0], next[1], { expirationTtl: BUCKET_TTL_SECONDS });
      written++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return written;
}

/**
 * Names the given parts as current, keeping the parts not given. The parts they replace
 * become the previous ones.
 */
export async function publishPointer(
  kv: KVNamespace,
  parts: Partial<Record<PartName, PartPointer>>,
): Promise<SnapshotPointer> {
  const current = (await readPointer(kv)) ?? { parts: {}, previous: {} };
  const next: SnapshotPointer = { parts: { ...current.parts }, previous: { ...current.previous } };
  for (const [name, part] of Object.entries(parts) as [PartName, PartPointer][]) {
    if (current.parts[name]) next.previous[name] = current.parts[name];
    next.parts[name] = part;
  }
  await kv.put(POINTER_KEY, JSON.stringify(next));
  return next;
}

/**
 * Writes the buckets of one part version, building each value only when it is about to be
 * written: the job holds a few buckets' JSON at a time, never the whole part. `build(b)` gives
 * the entries of bucket b; buckets are built in `order` (default 0, 1, ...), with at most
 * `concurrency` writes in flight.
 */
export async function writeBuckets<T>(
  kv: KVNamespace,
  part: PartName,
  version: string,
  buckets: number,
  build: (bucket: number) => Promise<Record<string, T>> | Record<string, T>,
  options: { order?: readonly number[]; concurrency?: number } = {},
): Promise<void> {
  const order = options.order ?? Array.from({ length: buckets }, (_, b) => b);
  const concurrency = options.concurrency ?? 8;
  const inFlight = new Set<Promise<void>>();
  try {
    for (const b of order) {
      const value = JSON.stringify(await build(b));
      const write: Promise<void> = kv
        .put(bucketKey(part, version, b), value, { expirationTtl: BUCKET_TTL_SECONDS })
        .finally(() => inFlight.delete(write));
      inFlight.add(write);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } catch (error) {
    // Let the other writes settle, so none of them rejects with nobody listening.
    await Promise.allSettled(inFlight);
    throw error;
  }
}
