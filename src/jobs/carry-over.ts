import { bucketKey, type PartName, type PartPointer } from '../publish/snapshots.ts';
import type { RankedList } from './recommend.ts';

/**
 * Copies into `lists` the previous version's entries of ids that were not recomputed this run
 * and still `exist`, so a snapshot stays complete while only changed users are rescored.
 */
export async function carryOver(
  kv: KVNamespace,
  part: PartName,
  previous: PartPointer,
  lists: Map<string, RankedList>,
  exists: (id: string) => boolean,
): Promise<number> {
  let carried = 0;
  for (let b = 0; b < previous.buckets; b++) {
    const bucket = await kv.get<Record<string, RankedList>>(
      bucketKey(part, previous.version, b),
      'json',
    );
    if (!bucket) continue;
    for (const [id, list] of Object.entries(bucket)) {
      if (!lists.has(id) && exists(id)) {
        lists.set(id, list);
        carried++;
      }
    }
  }
  return carried;
}
