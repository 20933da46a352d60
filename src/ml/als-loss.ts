import type { Csr } from '../sparse/csr.ts';
import { gram } from './dense.ts';
import type { Factors } from './factors.ts';

/**
 * The implicit-feedback objective that ALS minimises:
 *
 *   Σ_{u,i} c_ui (p_ui − x_uᵀy_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²)
 *
 * over all user-item pairs, where an unobserved pair has c = 1 and p = 0. The dense part is
 * never enumerated: with G = YᵀY and H = XᵀX, Σ_{u,i} (x_uᵀy_i)² = Σ_ab G_ab H_ab, and each
 * observed pair then replaces its (x_uᵀy_i)² term by c (1 − x_uᵀy_i)². The regularisation is the
 * trace of the two Gram matrices. Cost: O((users + items) k² + nnz k).
 */
export function alsLoss(
  confidence: Csr,
  users: Factors,
  items: Factors,
  regularization: number,
): number {
  const { k } = users;
  const row = new Float64Array(k);
  const itemGram = new Float64Array(k * k);
  const userGram = new Float64Array(k * k);
  gram(items, itemGram, row);
  gram(users, userGram, row);

  let dense = 0;
  let norms = 0;
  for (let a = 0; a < k * k; a++) dense += (itemGram[a] as number) * (userGram[a] as number);
  for (let a = 0; a < k; a++)
    norms += (itemGram[a * k + a] as number) + (userGram[a * k + a] as number);

  const { rowPtr, colIdx, values } = confidence;
  const x = users.data;
  const y = items.data;
  let observed = 0;
  for (let u = 0; u < confidence.nRows; u++) {
    const xBase = u * k;
    for (let q = rowPtr[u] as number; q < (rowPtr[u + 1] as number); q++) {
      const yBase = (colIdx[q] as number) * k;
      let s = 0;
      for (let f = 0; f < k; f++) s += (x[xBase + f] as number) * (y[yBase + f] as number);
      observed += (values[q] as number) * (1 - s) * (1 - s) - s * s;
    }
  }
  return dense + observed + regularization * norms;
}
