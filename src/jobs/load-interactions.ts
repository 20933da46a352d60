import type { Config } from '../config.ts';
import { CooBuilder } from '../sparse/coo.ts';
import { type Csr, csrFromCoo } from '../sparse/csr.ts';
import { IdIndex } from '../sparse/id-index.ts';
import { forEachDecayedRow } from './decay.ts';
import { forEachPage, type RowSelection } from './paging.ts';

export interface InteractionMatrix {
  users: IdIndex;
  items: IdIndex;
  /**
   * Users × items decayed preference weights; every pair with any event other than an
   * impression has an entry (weight 0 when its types weigh nothing), so it counts as seen.
   */
  weights: Csr;
  /** Log rows read. */
  rows: number;
}

/** The log rows the model learns from: every event type but impressions, within retention. */
export function interactionRows(config: Config, now: number): RowSelection {
  return {
    table: 'interactions',
    where: "type <> 'impression' AND window_start >= ?",
    params: [now - config.retentionMs],
  };
}

/**
 * Streams the interaction log out of D1 into compressed sparse rows. Ids become dense indices
 * on arrival and rows become typed-array triplets, so the log is never held as objects.
 */
export async function loadInteractions(
  db: D1Database,
  config: Config,
  now: number,
): Promise<InteractionMatrix> {
  const users = new IdIndex();
  const items = new IdIndex();
  const coo = new CooBuilder(64 * 1024);

  const rows = await forEachDecayedRow(
    db,
    interactionRows(config, now),
    ['user_id', 'item_id'],
    config,
    now,
    (userId, itemId, weight) => coo.push(users.intern(userId), items.intern(itemId), weight),
  );

  return { users, items, weights: csrFromCoo(coo, users.size, items.size), rows };
}

/** Users whose log changed since `since` (epoch ms): batches applied after it name them. */
export async function usersChangedSince(db: D1Database, since: number): Promise<Set<string>> {
  const changed = new Set<string>();
  await forEachPage(
    db,
    {
      table: 'applied_batches',
      columns: ['batch_id'],
      keyColumns: ['batch_id'],
      where: 'applied_at >= ?',
      params: [since],
    },
    (page) => {
      for (const [batchId] of page as [string][])
        changed.add(batchId.slice(0, batchId.indexOf('#')));
    },
  );
  return changed;
}
