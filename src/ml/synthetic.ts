import { CooBuilder } from '../sparse/coo.ts';
import { type Csr, csrFromCoo } from '../sparse/csr.ts';
import { Random } from './random.ts';

export interface SyntheticOptions {
  users: number;
  items: number;
  /** Events drawn; repeated (user, item) pairs add up, so the CSR holds somewhat fewer pairs. */
  interactions: number;
  /** Taste communities: each user belongs to one, each item to one. Default 10. */
  communities?: number;
  /** Zipf exponent of item popularity, within a community and overall. Default 0.8. */
  popularitySkew?: number;
  /** Share of events on an item drawn from overall popularity, ignoring taste. Default 0.2. */
  noise?: number;
  seed?: number;
}

export interface SyntheticData {
  /** users × items, value = number of events on the pair. */
  interactions: Csr;
  /** The planted community of each user and of each item. */
  userCommunity: Int32Array;
  itemCommunity: Int32Array;
}

/**
 * Implicit feedback with planted structure, reproducible from the seed.
 *
 * Every event picks a user uniformly. With probability `noise` it picks an item by overall
 * popularity; otherwise an item of the user's own community, by popularity within it. Item i
 * belongs to community i mod communities and its popularity falls with its index as a Zipf law,
 * so each community has a head and a tail, and the most popular items overall are spread over
 * all communities. A model that finds the communities beats a popularity list by far; one that
 * only finds popularity does not.
 */
export function generateImplicit(options: SyntheticOptions): SyntheticData {
  const { users, items, interactions } = options;
  const communities = options.communities ?? 10;
  const skew = options.popularitySkew ?? 0.8;
  const noise = options.noise ?? 0.2;
  for (const [name, value] of [
    ['users', users],
    ['items', items],
    ['communities', communities],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
  }
  if (!Number.isInteger(interactions) || interactions < 0) {
    throw new RangeError(`interactions must be a non-negative integer, got ${interactions}`);
  }
  if (communities > items) {
    throw new RangeError(`communities (${communities}) cannot exceed items (${items})`);
  }
  if (!(noise >= 0 && noise <= 1)) throw new RangeError(`noise must be in [0, 1], got ${noise}`);
  if (!(skew >= 0) || !Number.isFinite(skew)) {
    throw new RangeError(`popularitySkew must be a finite number ≥ 0, got ${skew}`);
  }

  const random = new Random(options.seed ?? 1);
  const userCommunity = new Int32Array(users);
  for (let u = 0; u < users; u++) userCommunity[u] = random.nextInt(communities);
  const itemCommunity = new Int32Array(items);
  for (let i = 0; i < items; i++) itemCommunity[i] = i % communities;

  const overall = zipfCumulative(items, skew);
  const withinCommunity = zipfCumulative(Math.ceil(items / communities), skew);
  const coo = new CooBuilder(interactions);

  for (let e = 0; e < interactions; e++) {
    const user = random.nextInt(users);
    let item: number;
    if (random.next() < noise) {
      item = sampleIndex(overall, random.next());
    } else {
      // Ranks past the end of a short community are drawn again; only the last rank can be.
      const community = userCommunity[user] as number;
      do {
        item = community + communities * sampleIndex(withinCommunity, random.next());
      } while (item >= items);
    }
    coo.push(user, item, 1);
  }

  return { interactions: csrFromCoo(coo, users, items), userCommunity, itemCommunity };
}

/** Normalised cumulative weights of ranks 0 .. n − 1 under weight (rank + 1)^−skew. */
function zipfCumulative(n: number, skew: number): Float64Array {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) {
    total += (r + 1) ** -skew;
    cumulative[r] = total;
  }
  for (let r = 0; r < n; r++) cumulative[r] = (cumulative[r] as number) / total;
  return cumulative;
}

/** The first index whose cumulative weight exceeds u, by bisection. */
function sampleIndex(cumulative: Float64Array, u: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((cumulative[mid] as number) > u) high = mid;
    else low = mid + 1;
  }
  return low;
}
