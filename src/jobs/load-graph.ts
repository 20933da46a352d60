import type { Config } from '../config.ts';
import { GraphBuilder, type SocialGraph } from '../graph/graph-builder.ts';
import { forEachDecayedRow } from './decay.ts';
import { forEachPage, type RowSelection } from './paging.ts';

/** Weight of a follow edge; engagement edges weigh their event weights, decayed. */
export const FOLLOW_EDGE_WEIGHT = 1;

/** The rows the graph is built from: current follows, and engagements within retention. */
export function socialRows(config: Config, now: number): [RowSelection, RowSelection] {
  return [
    { table: 'follows', where: 'following = 1' },
    { table: 'engagements', where: 'window_start >= ?', params: [now - config.retentionMs] },
  ];
}

/**
 * Streams the social edges out of D1 into a graph: u→v for every current follow, and for
 * likes, comments and shares of v's content, weighted by event weight with decay. Edges whose
 * decayed weight has vanished (below float32's range) are left out.
 */
export async function loadSocialGraph(
  db: D1Database,
  config: Config,
  now: number,
): Promise<{ graph: SocialGraph; rows: number }> {
  const builder = new GraphBuilder(64 * 1024);
  const [follows, engagements] = socialRows(config, now);

  let rows = await forEachPage(
    db,
    { ...follows, columns: ['user_id', 'target_id'], keyColumns: ['user_id', 'target_id'] },
    (page) => {
      for (const [from, to] of page as [string, string][])
        builder.addEdge(from, to, FOLLOW_EDGE_WEIGHT);
    },
  );

  rows += await forEachDecayedRow(
    db,
    engagements,
    ['user_id', 'target_id'],
    config,
    now,
    (from, to, weight) => {
      if (Math.fround(weight) > 0) builder.addEdge(from, to, weight);
    },
  );

  return { graph: builder.build(), rows };
}
