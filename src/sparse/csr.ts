import type { CooBuilder } from './coo.ts';

/**
 * Compressed sparse rows.
 *
 * Layout: the entries of row r are at positions rowPtr[r] .. rowPtr[r + 1] - 1 of `colIdx`
 * and `values`, sorted by column. rowPtr has nRows + 1 entries. Duplicate (row, column) pairs
 * of the input are summed into one entry, so a CSR never holds the same pair twice.
 */
export interface Csr {
  readonly nRows: number;
  readonly nCols: number;
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  readonly values: Float32Array;
}

/** Number of stored entries of a CSR. */
export function nnz(csr: Csr): number {
  return csr.rowPtr[csr.nRows] ?? 0;
}

/**
 * Builds a CSR from triplets in O(n + nnz): a counting pass, a scatter pass, then a sort and
 * merge of duplicates inside each row (rows are short, so the per-row sort is cheap).
 */
export function csrFromCoo(coo: CooBuilder, nRows: number, nCols: number): Csr {
  const { rows, cols, values, length } = coo;
  const rowPtr = new Int32Array(nRows + 1);

  for (let i = 0; i < length; i++) {
    const r = rows[i] as number;
    if (r < 0 || r >= nRows) throw new RangeError(`row ${r} outside 0..${nRows - 1}`);
    const c = cols[i] as number;
    if (c < 0 || c >= nCols) throw new RangeError(`column ${c} outside 0..${nCols - 1}`);
    rowPtr[r + 1] = (rowPtr[r + 1] as number) + 1;
  }
  for (let r = 0; r < nRows; r++) rowPtr[r + 1] = (rowPtr[r + 1] as number) + (rowPtr[r] as number);

  // Scatter into place; `next` is each row's write cursor.
  const next = rowPtr.slice(0, nRows);
  const scatteredCols = new Int32Array(length);
  const scatteredValues = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const r = rows[i] as number;
    const at = next[r] as number;
    scatteredCols[at] = cols[i] as number;
    scatteredValues[at] = values[i] as number;
    next[r] = at + 1;
  }

  return sortAndMergeRows(nRows, nCols, rowPtr, scatteredCols, scatteredValues);
}

/** The transpose, in O(n + nnz); columns of the result stay sorted because rows are visited in order. */
export function transpose(csr: Csr): Csr {
  const { nRows, nCols, rowPtr, colIdx, values } = csr;
  const total = nnz(csr);
  const tPtr = new Int32Array(nCols + 1);
  for (let i = 0; i < total; i++) {
    const c = colIdx[i] as number;
    tPtr[c + 1] = (tPtr[c + 1] as number) + 1;
  }
  for (let c = 0; c < nCols; c++) tPtr[c + 1] = (tPtr[c + 1] as number) + (tPtr[c] as number);

  const next = tPtr.slice(0, nCols);
  const tCols = new Int32Array(total);
  const tValues = new Float32Array(total);
  for (let r = 0; r < nRows; r++) {
    for (let p = rowPtr[r] as number; p < (rowPtr[r + 1] as number); p++) {
      const c = colIdx[p] as number;
      const at = next[c] as number;
      tCols[at] = r;
      tValues[at] = values[p] as number;
      next[c] = at + 1;
    }
  }
  return { nRows: nCols, nCols: nRows, rowPtr: tPtr, colIdx: tCols, values: tValues };
}

function sortAndMergeRows(
  nRows: number,
  nCols: number,
  rowPtr: Int32Array,
  cols: Int32Array,
  values: Float32Array,
): Csr {
  const outPtr = new Int32Array(nRows + 1);
  let write = 0;
  // Scratch for one row's order; grown only when a longer row appears.
  let order = new Int32Array(64);

  for (let r = 0; r < nRows; r++) {
    const start = rowPtr[r] as number;
    const end = rowPtr[r + 1] as number;
    const len = end - start;
    if (order.length < len) order = new Int32Array(len * 2);
    for (let i = 0; i < len; i++) order[i] = start + i;
    const view = order.subarray(0, len);
    view.sort((a, b) => (cols[a] as number) - (cols[b] as number));

    // Copy in column order, summing runs of the same column. Writing never overtakes reading
    // because write <= start for every row.
    let lastCol = -1;
    const rowCols = cols.slice(start, end);
    const rowValues = values.slice(start, end);
    for (let i = 0; i < len; i++) {
      const src = (view[i] as number) - start;
      const c = rowCols[src] as number;
      if (c === lastCol) {
        values[write - 1] = (values[write - 1] as number) + (rowValues[src] as number);
      } else {
        cols[write] = c;
        values[write] = rowValues[src] as number;
        write++;
        lastCol = c;
      }
    }
    outPtr[r + 1] = write;
  }

  return {
    nRows,
    nCols,
    rowPtr: outPtr,
    colIdx: cols.slice(0, write),
    values: values.slice(0, write),
  };
}
