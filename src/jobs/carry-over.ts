import { bucketOf, sourceBuckets } from '../publish/buckets.ts';
import { bucketKey, type PartName, type PartPointer } from '../publish/snapshots.ts';

/** Whether the previous version's buckets can be carried bucket by bucket (powers of two). */
export function canCarryFrom(previous: PartPointer): boolean {
  const b = previous.buckets;
  return Number.isInteger(b) && b > 0 && (b & (b - 1)) === 0;
}

/**
 * Entries of a previous part version, read bucket by bucket: the last bucket read is kept, so
 * building new buckets in `carryOrder` (publish/buckets.ts) reads each previous bucket once.
 */
export class PreviousBuckets<T> {
  readonly #kv: KVNamespace;
  readonly #part: PartName;
  readonly #previous: PartPointer;
  #lastSource = -1;
  #lastEntries: Record<string, T> | null = null;

  constructor(kv: KVNamespace, part: PartName, previous: PartPointer) {
    this.#kv = kv;
    this.#part = part;
    this.#previous = previous;
  }

  /**
   * The entries that belong in bucket `bucket` of a `buckets`-bucket layout and that `keep`
   * accepts (ids not recomputed this run that still exist). A missing previous bucket
   * (expired, say) carries nothing.
   */
  async carried(
    bucket: number,
    buckets: number,
    keep: (id: string) => boolean,
  ): Promise<[string, T][]> {
    const carried: [string, T][] = [];
    for (const source of sourceBuckets(bucket, buckets, this.#previous.buckets)) {
      const entries = await this.#read(source);
      if (!entries) continue;
      for (const [id, entry] of Object.entries(entries)) {
        if (bucketOf(id, buckets) === bucket && keep(id)) carried.push([id, entry]);
      }
    }
    return carried;
  }

  async #read(source: number): Promise<Record<string, T> | null> {
    if (source !== this.#lastSource) {
      const key = bucketKey(this.#part, this.#previous.version, source);
      this.#lastEntries = await this.#kv.get<Record<string, T>>(key, 'json');
      this.#lastSource = source;
    }
    return this.#lastEntries;
  }
}
