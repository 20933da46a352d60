import type { Factors } from '../ml/factors.ts';
import type { PreviousModel } from './recommend.ts';

/**
 * The trained factors, kept in KV for the next run's warm start: ids as JSON, factors as raw
 * float32 bytes (row-major, as in memory). A KV value holds at most 25 MiB, so factors above
 * that are not kept and the next run starts cold; the job says so in its summary.
 */
export const MAX_VALUE_BYTES = 25 * 1024 * 1024;
const KEY = (version: string, part: string) => `model/${version}/${part}`;
const TTL_SECONDS = 30 * 86_400;

export async function saveModel(
  kv: KVNamespace,
  version: string,
  model: PreviousModel,
): Promise<boolean> {
  const userBytes = model.users.data.byteLength;
  const itemBytes = model.items.data.byteLength;
  if (userBytes > MAX_VALUE_BYTES || itemBytes > MAX_VALUE_BYTES) return false;
  const options = { expirationTtl: TTL_SECONDS };
  await Promise.all([
    kv.put(KEY(version, 'user-ids'), JSON.stringify(model.userIds), options),
    kv.put(KEY(version, 'item-ids'), JSON.stringify(model.itemIds), options),
    kv.put(KEY(version, 'users'), copyBytes(model.users.data), options),
    kv.put(KEY(version, 'items'), copyBytes(model.items.data), options),
  ]);
  return true;
}

export async function loadModel(kv: KVNamespace, version: string): Promise<PreviousModel | null> {
  const [userIds, itemIds, users, items] = await Promise.all([
    kv.get<string[]>(KEY(version, 'user-ids'), 'json'),
    kv.get<string[]>(KEY(version, 'item-ids'), 'json'),
    kv.get(KEY(version, 'users'), 'arrayBuffer'),
    kv.get(KEY(version, 'items'), 'arrayBuffer'),
  ]);
  if (!userIds || !itemIds || !users || !items) return null;
  const userFactors = toFactors(users, userIds.length);
  const itemFactors = toFactors(items, itemIds.length);
  if (!userFactors || !itemFactors || userFactors.k !== itemFactors.k) return null;
  return { userIds, itemIds, users: userFactors, items: itemFactors };
}

/**
 * Unlinks a user from a kept model: their id becomes '' (never a valid id), so the next warm
 * start treats their factor row as nobody's. Returns whether the model named them.
 */
export async function forgetUser(kv: KVNamespace, version: string, userId: string) {
  const userIds = await kv.get<string[]>(KEY(version, 'user-ids'), 'json');
  const row = userIds?.indexOf(userId) ?? -1;
  if (!userIds || row < 0) return false;
  userIds[row] = '';
  await kv.put(KEY(version, 'user-ids'), JSON.stringify(userIds), { expirationTtl: TTL_SECONDS });
  return true;
}

function toFactors(bytes: ArrayBuffer, n: number): Factors | null {
  const data = new Float32Array(bytes);
  if (n === 0 || data.length % n !== 0) return null;
  return { n, k: data.length / n, data };
}

function copyBytes(data: Float32Array): ArrayBuffer {
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}
