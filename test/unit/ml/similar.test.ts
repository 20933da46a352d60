import { describe, expect, it } from 'vitest';
import { similarItems } from '../../../src/ml/similar.ts';
import { loadKernel, uniformFactors } from './helpers.ts';

function cosine(data: Float32Array, k: number, a: number, b: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let f = 0; f < k; f++) {
    const x = data[a * k + f] as number;
    const y = data[b * k + f] as number;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

describe('similarItems', () => {
  // k = 42: tiles of 96 items, so 333 items make four tile rows, the last one ragged.
  const k = 42;
  const items = uniformFactors(333, k, 4);
  items.data.fill(0, 10 * k, 11 * k); // item 10 has no signal
  const n = 333 - 1; // every other item, so both directions of every pair are listed

  for (const kernel of ['plain', 'wasm'] as const) {
    it(`scores every pair the same in both directions, never the item itself (${kernel})`, () => {
      const result = similarItems(
        items,
        n,
        undefined,
        kernel === 'wasm' ? { kernel: loadKernel() } : {},
      );
      const score = new Float64Array(333 * 333).fill(Number.NaN);
      let selfListed = 0;
      for (let a = 0; a < 333; a++) {
        for (let slot = 0; slot < n; slot++) {
          const b = result.items[a * n + slot] as number;
          if (b === a) selfListed++;
          score[a * 333 + b] = result.scores[a * n + slot] as number;
        }
      }
      expect(selfListed).toBe(0);
      const asymmetric: [number, number][] = [];
      for (let a = 0; a < 333; a++) {
        for (let b = a + 1; b < 333; b++) {
          // Object.is also catches a pair missing from either list (NaN on one side only).
          if (!Object.is(score[a * 333 + b], score[b * 333 + a])) asymmetric.push([a, b]);
          if (Number.isNaN(score[a * 333 + b])) asymmetric.push([a, b]);
        }
      }
      expect(asymmetric).toEqual([]);
    });
  }

  it('agrees between all items and a subset under the Wasm kernel, and with the plain one', () => {
    const top = 5;
    const options = { kernel: loadKernel() };
    const all = similarItems(items, top, undefined, options);
    const plain = similarItems(items, top);
    const rows = Int32Array.of(332, 10, 0, 77);
    const some = similarItems(items, top, rows, options);
    for (let r = 0; r < rows.length; r++) {
      const a = rows[r] as number;
      expect(some.items.subarray(r * top, r * top + top)).toEqual(
        all.items.subarray(a * top, a * top + top),
      );
      expect(some.scores.subarray(r * top, r * top + top)).toEqual(
        all.scores.subarray(a * top, a * top + top),
      );
    }
    for (let slot = 0; slot < all.scores.length; slot++) {
      expect(Math.abs((all.scores[slot] as number) - (plain.scores[slot] as number))).toBeLessThan(
        1e-5,
      );
    }
  });

  it('ranks by cosine, and agrees between all items and a chosen subset', () => {
    const top = 7;
    const all = similarItems(items, top);
    const rows = Int32Array.of(300, 10, 0, 299);
    const some = similarItems(items, top, rows);
    for (let r = 0; r < rows.length; r++) {
      const a = rows[r] as number;
      expect(Array.from(some.items.subarray(r * top, r * top + top))).toEqual(
        Array.from(all.items.subarray(a * top, a * top + top)),
      );
      expect(Array.from(some.scores.subarray(r * top, r * top + top))).toEqual(
        Array.from(all.scores.subarray(a * top, a * top + top)),
      );
    }
    for (const a of [0, 123, 332]) {
      const expected = Array.from({ length: 333 }, (_, b) => b)
        .filter((b) => b !== a)
        .sort((x, y) => cosine(items.data, k, a, y) - cosine(items.data, k, a, x) || x - y)
        .slice(0, top);
      expect(Array.from(all.items.subarray(a * top, a * top + top))).toEqual(expected);
      for (let slot = 0; slot < top; slot++) {
        const b = expected[slot] as number;
        expect(all.scores[a * top + slot]).toBeCloseTo(cosine(items.data, k, a, b), 6);
      }
    }
    // The zero item is similar to nothing: score 0 against everyone, so it lists items 0..6.
    expect(Array.from(all.scores.subarray(10 * top, 11 * top))).toEqual(new Array(top).fill(0));
  });

  it('refuses an item outside the matrix', () => {
    expect(() => similarItems(items, 3, Int32Array.of(333))).toThrow(RangeError);
  });
});
