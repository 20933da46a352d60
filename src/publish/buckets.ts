/**
 * Many users (or items) share one KV value: ids are hashed into buckets, so a snapshot of a
 * hundred thousand users is a few hundred writes, not a hundred thousand.
 */
export const IDS_PER_BUCKET = 1_000;
export const MAX_BUCKETS = 512;

/** Bucket count for `n` ids: about IDS_PER_BUCKET per bucket, at least 1. */
export function bucketCount(n: number): number {
  return Math.max(1, Math.min(MAX_BUCKETS, Math.ceil(n / IDS_PER_BUCKET)));
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
