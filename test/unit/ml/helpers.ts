import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Factors } from '../../../src/ml/factors.ts';
import { Random } from '../../../src/ml/random.ts';
import { CooBuilder } from '../../../src/sparse/coo.ts';
import { type Csr, csrFromCoo } from '../../../src/sparse/csr.ts';

/** A CSR from [row, column, value] triplets. */
export function csrOf(nRows: number, nCols: number, entries: [number, number, number][]): Csr {
  const coo = new CooBuilder();
  for (const [r, c, v] of entries) coo.push(r, c, v);
  return csrFromCoo(coo, nRows, nCols);
}

/** A random sparse matrix: each pair stored with probability `density`, value in [1, 5). */
export function randomCsr(nRows: number, nCols: number, density: number, seed: number): Csr {
  const random = new Random(seed);
  const coo = new CooBuilder();
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) {
      if (random.next() < density) coo.push(r, c, 1 + 4 * random.next());
    }
  }
  return csrFromCoo(coo, nRows, nCols);
}

/** Factors with values uniform in [−1, 1). */
export function uniformFactors(n: number, k: number, seed: number): Factors {
  const random = new Random(seed);
  const data = new Float32Array(n * k);
  for (let i = 0; i < data.length; i++) data[i] = 2 * random.next() - 1;
  return { n, k, data };
}

export function dot(a: Factors, ra: number, b: Factors, rb: number): number {
  let s = 0;
  for (let f = 0; f < a.k; f++)
    s += (a.data[ra * a.k + f] as number) * (b.data[rb * b.k + f] as number);
  return s;
}

export function copyFactors(f: Factors): Factors {
  return { n: f.n, k: f.k, data: f.data.slice() };
}

/** The columns stored in row r. */
export function rowColumns(csr: Csr, r: number): number[] {
  return Array.from(csr.colIdx.subarray(csr.rowPtr[r] as number, csr.rowPtr[r + 1] as number));
}

/** The committed WebAssembly kernel, compiled. */
export function loadKernel(): WebAssembly.Module {
  return new WebAssembly.Module(readFileSync(KERNEL_FILE));
}

export const KERNEL_FILE = fileURLToPath(
  new URL('../../../src/ml/score-kernel.wasm', import.meta.url),
);
