import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bucketCount,
  bucketOf,
  carryOrder,
  groupByBucket,
  IDS_PER_BUCKET,
  MAX_BUCKETS,
  sourceBuckets,
} from '../../../src/publish/buckets.ts';

const id = fc.stringMatching(/^[A-Za-z0-9._:@-]{1,40}$/);
const powerOfTwo = fc.integer({ min: 0, max: 7 }).map((e) => 2 ** e);

describe('bucket counts', () => {
  it('are powers of two near n / IDS_PER_BUCKET, from 1 to MAX_BUCKETS', () => {
    expect(bucketCount(0)).toBe(1);
    expect(bucketCount(IDS_PER_BUCKET)).toBe(1);
    expect(bucketCount(IDS_PER_BUCKET + 1)).toBe(2);
    expect(bucketCount(50_000)).toBe(64);
    expect(bucketCount(10_000_000)).toBe(MAX_BUCKETS);
  });
});

describe('bucketOf', () => {
  it('is FNV-1a 32 of the id, reduced', () => {
    // FNV-1a("a") = 0xe40c292c, a published test vector of the hash.
    expect(bucketOf('a', 2 ** 31)).toBe(0xe40c292c % 2 ** 31);
    expect(bucketOf('', 7)).toBe(0x811c9dc5 % 7);
  });

  it('finds every id of a bucket in the source buckets of another layout', () => {
    fc.assert(
      fc.property(id, powerOfTwo, powerOfTwo, (value, to, from) => {
        const sources = sourceBuckets(bucketOf(value, to), to, from);
        expect(sources).toContain(bucketOf(value, from));
        for (const s of sources) expect(s).toBeLessThan(from);
      }),
    );
  });
});

describe('carryOrder', () => {
  it('visits every new bucket once, each old bucket in one consecutive run', () => {
    fc.assert(
      fc.property(powerOfTwo, powerOfTwo, (to, from) => {
        const order = carryOrder(to, from);
        expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: to }, (_, b) => b));
        const sources = order.flatMap((b) => sourceBuckets(b, to, from));
        // Old buckets read in turn: a source never comes back once another was read.
        const runs = sources.filter((s, i) => i === 0 || s !== sources[i - 1]);
        expect(new Set(runs).size).toBe(runs.length);
      }),
    );
  });
});

describe('groupByBucket', () => {
  it('puts each member once, in its own bucket, in increasing order', () => {
    fc.assert(
      fc.property(fc.array(id, { maxLength: 200 }), powerOfTwo, (ids, buckets) => {
        const { order, start } = groupByBucket(ids.length, (m) => ids[m] as string, buckets);
        expect(start[0]).toBe(0);
        expect(start[buckets]).toBe(ids.length);
        expect([...order].sort((a, b) => a - b)).toEqual(ids.map((_, m) => m));
        for (let b = 0; b < buckets; b++) {
          const members = [...order.subarray(start[b], start[b + 1])];
          for (const m of members) expect(bucketOf(ids[m] as string, buckets)).toBe(b);
          expect(members).toEqual([...members].sort((x, y) => x - y));
        }
      }),
    );
  });
});
