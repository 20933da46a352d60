import { Hono } from 'hono';
import { getConfig } from '../../config.ts';
import { INFLUENCERS_KEPT, type InfluenceValue } from '../../jobs/influence-part.ts';
import type { RankedList } from '../../jobs/recommend.ts';
import { readEntry, readPartValue } from '../../publish/snapshots.ts';
import { type AppEnv, requireSiteKey, requireUserToken } from '../auth.ts';
import { notFound } from '../errors.ts';
import { intQuery } from '../query.ts';

/** Reads of published snapshots, served from KV at the edge. */
export const reads = new Hono<AppEnv>();

const listItems = (list: RankedList, limit: number) =>
  list.slice(0, limit).map(([itemId, score]) => ({ itemId, score }));

reads.get('/users/:userId/recommendations', requireUserToken(), async (c) => {
  const config = getConfig(c.env);
  const userId = c.req.param('userId');
  const limit = intQuery(c.req.query('limit'), 'limit', 10, 1, config.topN);
  const cacheTtl = config.kvCacheTtlSeconds;

  const personal = await readEntry<RankedList>(c.env.SNAPSHOTS, 'recommendations', userId, {
    cacheTtl,
  });
  if (personal && personal.entry.length > 0) {
    return c.json({
      userId,
      items: listItems(personal.entry, limit),
      strategy: 'als',
      modelVersion: personal.pointer.version,
      generatedAt: personal.pointer.generatedAt,
    });
  }
  // A user the model has not seen gets what is popular now.
  const popular = await readPartValue<RankedList>(c.env.SNAPSHOTS, 'recommendations', 'popular', {
    cacheTtl,
  });
  return c.json({
    userId,
    items: popular ? listItems(popular.value, limit) : [],
    strategy: 'popular',
    modelVersion: popular?.pointer.version ?? null,
    generatedAt: popular?.pointer.generatedAt ?? null,
  });
});

reads.get('/items/:itemId/similar', requireSiteKey(), async (c) => {
  const config = getConfig(c.env);
  const itemId = c.req.param('itemId');
  const limit = intQuery(c.req.query('limit'), 'limit', 10, 1, config.topN);
  const found = await readEntry<RankedList>(c.env.SNAPSHOTS, 'similar', itemId, {
    cacheTtl: config.kvCacheTtlSeconds,
  });
  if (!found) throw notFound(`item ${itemId} is not in the current model`);
  return c.json({
    itemId,
    items: listItems(found.entry, limit),
    modelVersion: found.pointer.version,
  });
});

reads.get('/influencers', requireSiteKey(), async (c) => {
  const config = getConfig(c.env);
  const limit = intQuery(c.req.query('limit'), 'limit', 10, 1, INFLUENCERS_KEPT);
  const top = await readPartValue<[string, ...InfluenceValue][]>(
    c.env.SNAPSHOTS,
    'influence',
    'top',
    {
      cacheTtl: config.kvCacheTtlSeconds,
    },
  );
  if (!top) return c.json({ generatedAt: null, nodes: 0, edges: 0, items: [] });
  return c.json({
    generatedAt: top.pointer.generatedAt,
    nodes: top.pointer.meta?.nodes ?? 0,
    edges: top.pointer.meta?.edges ?? 0,
    items: top.value
      .slice(0, limit)
      .map(([userId, rank, pagerank, core]) => ({ userId, rank, pagerank, core })),
  });
});

reads.get('/users/:userId/influence', requireUserToken(), async (c) => {
  const userId = c.req.param('userId');
  const found = await readEntry<InfluenceValue>(c.env.SNAPSHOTS, 'influence', userId, {
    cacheTtl: getConfig(c.env).kvCacheTtlSeconds,
  });
  if (!found) throw notFound(`user ${userId} is not in the social graph`);
  const [rank, pagerank, core] = found.entry;
  return c.json({ userId, rank, pagerank, core });
});
