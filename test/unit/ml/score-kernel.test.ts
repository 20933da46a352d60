import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBlockScorer } from '../../../src/ml/block-scorer.ts';
import { scoreKernelWasm } from '../../../src/ml/score-kernel-wasm.ts';
import { KERNEL_FILE, loadKernel, uniformFactors } from './helpers.ts';

describe('score-kernel.wasm', () => {
  it('is the module that score-kernel-wasm.ts assembles', () => {
    const assembled = scoreKernelWasm();
    // STARLING_WRITE_WASM=1 npx vitest run --project unit test/unit/ml/score-kernel.test.ts
    if (process.env.STARLING_WRITE_WASM === '1') writeFileSync(KERNEL_FILE, assembled);
    expect(new Uint8Array(readFileSync(KERNEL_FILE))).toEqual(assembled);
  });

  it('scores blocks like the plain kernel, for ragged sizes and k not a multiple of 4', () => {
    const kernel = loadKernel();
    for (const [k, rowCount, columns] of [
      [5, 7, 41],
      [8, 64, 130],
      [1, 3, 9],
    ] as const) {
      const rows = uniformFactors(rowCount + 2, k, k);
      const items = uniformFactors(columns, k, k + 1);
      const plain = createBlockScorer(k, 64, 32);
      const simd = createBlockScorer(k, 64, 32, kernel);
      plain.setColumns(items);
      simd.setColumns(items);
      const picked = Int32Array.from({ length: rowCount }, (_, r) => rowCount + 1 - r);
      plain.setRows(rows, picked, 0, rowCount);
      simd.setRows(rows, picked, 0, rowCount);
      for (let start = 0; start < columns; start += 32) {
        const width = Math.min(32, columns - start);
        plain.score(start, width);
        simd.score(start, width);
        for (let r = 0; r < rowCount; r++) {
          const row = simd.block.subarray(r * simd.stride, (r + 1) * simd.stride);
          expect(simd.rowMax?.[r]).toBe(Math.max(...row));
          for (let c = 0; c < width; c++) {
            const expected = plain.block[r * plain.stride + c] as number;
            const actual = simd.block[r * simd.stride + c] as number;
            expect(Math.abs(actual - expected)).toBeLessThan(k * 1e-6);
          }
        }
      }
    }
  });

  it('refuses a module without the kernel', () => {
    const empty = new WebAssembly.Module(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
    expect(() => createBlockScorer(4, 8, 8, empty)).toThrow(TypeError);
  });
});
