import { describe, expect, it } from 'vitest';
import { topN } from '../../../src/ml/topn.ts';
import type { Csr } from '../../../src/sparse/csr.ts';
import { csrOf, dot, loadKernel, randomCsr, rowColumns, uniformFactors } from './helpers.ts';

describe('topN', () => {
  // Sizes that are not multiples of the 4 × 4 kernel, the 64-user block or the item chunk (96
  // items at k = 42: four chunks, the last of 13); k = 42 also needs padding in the Wasm kernel.
  const users = uniformFactors(150, 42, 1);
  const items = uniformFactors(301, 42, 2);
  // Each user has seen a random 5% of the items plus their three best, so a seen item that
  // slipped through the mask would rank near the top.
  const seen = withBestSeen(randomCsr(150, 301, 0.05, 3));

  function withBestSeen(random: Csr): Csr {
    const entries: [number, number, number][] = [];
    for (let u = 0; u < 150; u++) {
      for (const i of rowColumns(random, u)) entries.push([u, i, 1]);
      const best = Array.from({ length: 301 }, (_, i) => i)
        .sort((a, b) => dot(users, u, items, b) - dot(users, u, items, a))
        .slice(0, 3);
      for (const i of best) entries.push([u, i, 1]);
    }
    return csrOf(150, 301, entries);
  }

  it('matches a brute-force ranking exactly and never lists a seen item', () => {
    const rows = Int32Array.from({ length: 150 }, (_, u) => (u * 37) % 150);
    const n = 12;
    const result = topN(users, items, seen, rows, n);
    expect(result.items).toHaveLength(150 * n);

    for (let r = 0; r < rows.length; r++) {
      const user = rows[r] as number;
      const excluded = new Set(rowColumns(seen, user));
      const ranked = bruteForce(user, n);
      const listed = Array.from(result.items.subarray(r * n, r * n + n));
      for (const item of listed) expect(excluded.has(item)).toBe(false);
      expect(listed).toEqual(ranked.map((e) => e.item));
      expect(Array.from(result.scores.subarray(r * n, r * n + n))).toEqual(
        ranked.map((e) => e.score),
      );
    }
  });

  it('with the Wasm kernel, lists a correct top-n up to float32 rounding', () => {
    const rows = Int32Array.from({ length: 150 }, (_, u) => 149 - u);
    const n = 12;
    const result = topN(users, items, seen, rows, n, { kernel: loadKernel() });
    // Summing in float32 lanes moves a score by a few units in the last place of float32.
    const tolerance = 16 * 2 ** -23 * items.k;
    for (let r = 0; r < rows.length; r++) {
      const user = rows[r] as number;
      const excluded = new Set(rowColumns(seen, user));
      const ranked = bruteForce(user, n);
      for (let slot = 0; slot < n; slot++) {
        const item = result.items[r * n + slot] as number;
        expect(excluded.has(item)).toBe(false);
        const exact = dot(users, user, items, item);
        // The item at each rank scores as the true item at that rank, and as reported.
        expect(Math.abs(exact - (ranked[slot]?.score as number))).toBeLessThan(tolerance);
        expect(Math.abs(exact - (result.scores[r * n + slot] as number))).toBeLessThan(tolerance);
      }
    }
  });

  /** The n best unseen items of a user by float32-rounded exact score, ties to the lower index. */
  function bruteForce(user: number, n: number): { item: number; score: number }[] {
    const excluded = new Set(rowColumns(seen, user));
    return Array.from({ length: 301 }, (_, i) => i)
      .filter((i) => !excluded.has(i))
      .map((i) => ({ item: i, score: Math.fround(dot(users, user, items, i)) }))
      .sort((a, b) => b.score - a.score || a.item - b.item)
      .slice(0, n);
  }

  it('pads with −1 when the user has seen nearly every item', () => {
    const entries: [number, number, number][] = [];
    for (let i = 0; i < 301; i++) if (i !== 5 && i !== 200) entries.push([0, i, 1]);
    const almostAll = csrOf(150, 301, entries);
    const result = topN(users, items, almostAll, Int32Array.of(0), 4);
    expect(Array.from(result.items.subarray(0, 2)).sort((a, b) => a - b)).toEqual([5, 200]);
    expect(Array.from(result.items.subarray(2))).toEqual([-1, -1]);
    expect(Number.isNaN(result.scores[3])).toBe(true);
  });

  it('breaks ties towards the lower item index', () => {
    const one = { n: 1, k: 1, data: Float32Array.of(1) };
    const tied = { n: 6, k: 1, data: Float32Array.of(2, 5, 5, 1, 5, 5) };
    const none = csrOf(1, 6, [[0, 2, 1]]);
    const result = topN(one, tied, none, Int32Array.of(0), 3);
    expect(Array.from(result.items)).toEqual([1, 4, 5]);
  });

  it('returns empty lists for n = 0 and refuses a user outside the matrix', () => {
    expect(topN(users, items, seen, Int32Array.of(0, 1), 0).items).toHaveLength(0);
    expect(() => topN(users, items, seen, Int32Array.of(150), 3)).toThrow(RangeError);
    expect(() => topN(users, uniformFactors(301, 41, 1), seen, Int32Array.of(0), 3)).toThrow(
      RangeError,
    );
  });
});
