/**
 * The dense kernel of scoring: a block of dot products between rows of two factor matrices.
 *
 * out[r * outStride + c] = a_(aRow + r) · b_(bRow + c) for r < aCount, c < bCount, where a_i
 * and b_j are rows of k float32 values (row-major, as in Factors). Callers keep the `a` rows in
 * L1 (a packed block of a few dozen users) and sweep `b` in chunks that fit L1 too.
 *
 * Rows are taken four by four against columns four by four: sixteen accumulators stay in
 * registers and each loaded value serves four products, where a plain dot product loads two
 * values per product. Every pair is summed in the same order (f = 0 .. k − 1, in float64,
 * rounded once to float32) whichever path computes it, so a · b and b · a come out identical.
 */
export function scoreBlock(
  a: Float32Array,
  aRow: number,
  aCount: number,
  b: Float32Array,
  bRow: number,
  bCount: number,
  k: number,
  out: Float32Array,
  outStride: number,
): void {
  const aQuads = aCount & ~3;
  const bQuads = bCount & ~3;

  for (let r = 0; r < aQuads; r += 4) {
    const a0 = (aRow + r) * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    const o0 = r * outStride;
    const o1 = o0 + outStride;
    const o2 = o1 + outStride;
    const o3 = o2 + outStride;

    for (let c = 0; c < bQuads; c += 4) {
      const b0 = (bRow + c) * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      let s20 = 0;
      let s21 = 0;
      let s22 = 0;
      let s23 = 0;
      let s30 = 0;
      let s31 = 0;
      let s32 = 0;
      let s33 = 0;
      for (let f = 0; f < k; f++) {
        const x0 = a[a0 + f] as number;
        const x1 = a[a1 + f] as number;
        const x2 = a[a2 + f] as number;
        const x3 = a[a3 + f] as number;
        const y0 = b[b0 + f] as number;
        const y1 = b[b1 + f] as number;
        const y2 = b[b2 + f] as number;
        const y3 = b[b3 + f] as number;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
        s20 += x2 * y0;
        s21 += x2 * y1;
        s22 += x2 * y2;
        s23 += x2 * y3;
        s30 += x3 * y0;
        s31 += x3 * y1;
        s32 += x3 * y2;
        s33 += x3 * y3;
      }
      out[o0 + c] = s00;
      out[o0 + c + 1] = s01;
      out[o0 + c + 2] = s02;
      out[o0 + c + 3] = s03;
      out[o1 + c] = s10;
      out[o1 + c + 1] = s11;
      out[o1 + c + 2] = s12;
      out[o1 + c + 3] = s13;
      out[o2 + c] = s20;
      out[o2 + c + 1] = s21;
      out[o2 + c + 2] = s22;
      out[o2 + c + 3] = s23;
      out[o3 + c] = s30;
      out[o3 + c + 1] = s31;
      out[o3 + c + 2] = s32;
      out[o3 + c + 3] = s33;
    }
  }

  // The ragged edges: leftover columns of the full row quads, then leftover rows entirely.
  for (let r = 0; r < aCount; r++) {
    const from = r < aQuads ? bQuads : 0;
    const aBase = (aRow + r) * k;
    const o = r * outStride;
    for (let c = from; c < bCount; c++) {
      const bBase = (bRow + c) * k;
      let s = 0;
      for (let f = 0; f < k; f++) s += (a[aBase + f] as number) * (b[bBase + f] as number);
      out[o + c] = s;
    }
  }
}
