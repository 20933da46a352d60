import { bucketOf, sourceBuckets } from '../publish/buckets.ts';
import { bucketKey, type PartName, type PartPointer } from '../publish/snapshots.ts';

/** Whether the previous version's buckets can be carried bucket by bucket (powers of two). */
export function canCarryFrom(previous: PartPointer): boolean {
  const b = previous.buckets;
  return Number.isInteger(b) && b > 0 && (b & (b - 1)) === 0;
}

/**
 * The previous version's entries that belong in bucket `bucket` of a `buckets`-bucket layout
 * and that `keep` accepts (ids not recomputed this run that still exist). Reads only the
 * previous buckets that can hold such ids; a missing one (expired, say) carries nothing.
 */
export async function carriedEntries<T>(
  kv: KVNamespace,
  part: PartName,
  previous: PartPointer,
  bucket: number,
  buckets: number,
  keep: (id: string) => boolean,
): Promise<[string, T][]> {
  const carried: [string, T][] = [];
  for (const source of sourceBuckets(bucket, buckets, previous.buckets)) {
    const key = bucketKey(part, previous.version, source);
    const entries = await kv.get<Record<string, T>>(key, 'json');
    if (!entries) continue;
    for (const [id, entry] of Object.entries(entries)) {
      if (bucketOf(id, buckets) === bucket && keep(id)) carried.push([id, entry]);
    }
  }
  return carried;
}
