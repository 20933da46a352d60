/**
 * Many users (or items) share one KV value: ids are hashed into buckets, so a snapshot of a
 * hundred thousand users is about a hundred writes, not a hundred thousand.
 *
 * Bucket counts are powers of two. The hash is then reduced by its low bits, and a bucket of
 * one count maps onto a known set of buckets of any other count: the job can carry entries
 * from the previous version bucket by bucket, without holding the whole previous version.
 */
export const IDS_PER_BUCKET = 1_000;
/**
 * At most this many buckets per part, so that a run stays well inside the 1 000 KV operations
 * a Worker invocation may make (three parts written, one part's previous buckets read). Past
 * 128 000 ids, buckets grow beyond IDS_PER_BUCKET instead.
 */
export const MAX_BUCKETS = 128;

/** Bucket count for `n` ids: the power of two nearest above n / IDS_PER_BUCKET, at least 1. */
export function bucketCount(n: number): number {
  const wanted = Math.ceil(n / IDS_PER_BUCKET);
  let count = 1;
  while (count < wanted && count < MAX_BUCKETS) count *= 2;
  return count;
}

/** FNV-1a (32 bit) of the id, reduced to a bucket: stable across runs and runtimes. */
export function bucketOf(id: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % buckets;
}

/**
 * The buckets of a `from`-bucket layout that can hold ids of bucket `bucket` in a `to`-bucket
 * layout, both counts powers of two: one bucket when `from` ≤ `to`, `from / to` otherwise.
 */
export function sourceBuckets(bucket: number, to: number, from: number): number[] {
  if (from <= to) return [bucket % from];
  return Array.from({ length: from / to }, (_, j) => bucket + j * to);
}

/**
 * The order to build a `to`-bucket layout in, when it draws on a `from`-bucket one, so that
 * each old bucket is needed by consecutive new buckets only: with more buckets than before,
 * the new buckets that draw on one old bucket (b, b + from, b + 2·from, ...) come together,
 * and the old bucket is read once. With as many or fewer, each new bucket has old ones of its
 * own, and the order is 0, 1, ...
 */
export function carryOrder(to: number, from: number): number[] {
  if (from >= to) return Array.from({ length: to }, (_, b) => b);
  const order: number[] = [];
  for (let source = 0; source < from; source++) {
    for (let b = source; b < to; b += from) order.push(b);
  }
  return order;
}

/**
 * Members 0..n-1 grouped by the bucket of their id (a counting sort): bucket b's members are
 * `order[start[b]]` up to, not including, `order[start[b + 1]]`, in increasing order.
 */
export function groupByBucket(
  n: number,
  idOf: (member: number) => string,
  buckets: number,
): { order: Int32Array; start: Int32Array } {
  const bucketOfMember = new Int32Array(n);
  const start = new Int32Array(buckets + 1);
  for (let m = 0; m < n; m++) {
    const b = bucketOf(idOf(m), buckets);
    bucketOfMember[m] = b;
    start[b + 1] = (start[b + 1] as number) + 1;
  }
  for (let b = 0; b < buckets; b++) start[b + 1] = (start[b + 1] as number) + (start[b] as number);
  const next = start.slice(0, buckets);
  const order = new Int32Array(n);
  for (let m = 0; m < n; m++) {
    const b = bucketOfMember[m] as number;
    order[next[b] as number] = m;
    next[b] = (next[b] as number) + 1;
  }
  return { order, start };
}
