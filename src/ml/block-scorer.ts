/**
 * Blocks of dot products for top-N and similar items, computed by the plain-TS kernel or by the
 * WebAssembly SIMD kernel of score-kernel.wasm.
 *
 * A scorer holds a column side (all item rows) and a packed row side (a few dozen users or
 * items); each `score` call fills `block` with the rows against a run of columns, row r and
 * column c at block[r * stride + c].
 */
import type { Factors } from './factors.ts';
import { scoreBlock } from './score-block.ts';

export interface BlockScorer {
  readonly block: Float32Array;
  readonly stride: number;
  /**
   * When the kernel provides it, the largest score of each row of the last block, padding
   * columns included (so it never understates): a row whose maximum is below its threshold
   * need not be scanned.
   */
  readonly rowMax: Float32Array | undefined;
  /** Makes every row of `factors` the column side. */
  setColumns(factors: Factors): void;
  /** Packs `count` rows of `factors`: rows[first + r] when `rows` is given, else first + r. */
  setRows(factors: Factors, rows: Int32Array | undefined, first: number, count: number): void;
  /** Scores the packed rows against columns start .. start + width − 1. */
  score(start: number, width: number): void;
}

/**
 * A scorer for k factors, up to `maxRows` packed rows and `maxWidth` columns per call. With the
 * compiled score-kernel.wasm it runs in WebAssembly (scores summed in float32 lanes), otherwise
 * in plain TypeScript (summed in float64); the two agree to float32 rounding.
 */
export function createBlockScorer(
  k: number,
  maxRows: number,
  maxWidth: number,
  kernel?: WebAssembly.Module,
): BlockScorer {
  return kernel
    ? new WasmScorer(kernel, k, maxRows, maxWidth)
    : new PlainScorer(k, maxRows, maxWidth);
}

class PlainScorer implements BlockScorer {
  readonly block: Float32Array;
  readonly rowMax = undefined;
  stride = 0;
  readonly #k: number;
  readonly #packed: Float32Array;
  #rowCount = 0;
  #columns: Float32Array = new Float32Array(0);

  constructor(k: number, maxRows: number, maxWidth: number) {
    this.#k = k;
    this.#packed = new Float32Array(maxRows * k);
    this.block = new Float32Array(maxRows * maxWidth);
  }

  setColumns(factors: Factors): void {
    this.#columns = factors.data;
  }

  setRows(factors: Factors, rows: Int32Array | undefined, first: number, count: number): void {
    const k = this.#k;
    for (let r = 0; r < count; r++) {
      const row = rows ? (rows[first + r] as number) : first + r;
      this.#packed.set(factors.data.subarray(row * k, row * k + k), r * k);
    }
    this.#rowCount = count;
  }

  score(start: number, width: number): void {
    const k = this.#k;
    scoreBlock(this.#packed, 0, this.#rowCount, this.#columns, start, width, k, this.block, width);
    this.stride = width;
  }
}

const PAGE = 65536;

/** The kernel's export: pointers in bytes, counts already rounded to its tile. */
type KernelScore = (
  rows: number,
  columns: number,
  out: number,
  rowMax: number,
  rowCount: number,
  columnCount: number,
  kp: number,
) => void;

/**
 * Memory layout (bytes, float32 values): the column side, each row padded to kp = k rounded up
 * to 4 factors, with zero rows up to a multiple of 4; then the packed rows, maxRows rounded up to
 * even, of kp each; then the output block of that many rows × maxWidth rounded up to 4; then
 * the row maxima. The kernel takes rows in pairs and columns in fours; what it computes for
 * padding is never read. setColumns lays the memory out, so it comes before setRows.
 */
class WasmScorer implements BlockScorer {
  block: Float32Array;
  rowMax: Float32Array;
  stride = 0;
  readonly #k: number;
  readonly #kp: number;
  readonly #maxRows: number;
  readonly #maxWidth: number;
  readonly #memory: WebAssembly.Memory;
  readonly #score: KernelScore;
  #values: Float32Array;
  #rowsAt = 0;
  #outAt = 0;
  #maxAt = 0;
  #rowCount = 0;

  constructor(kernel: WebAssembly.Module, k: number, maxRows: number, maxWidth: number) {
    this.#k = k;
    this.#kp = (k + 3) & ~3;
    this.#maxRows = (maxRows + 1) & ~1;
    this.#maxWidth = (maxWidth + 3) & ~3;
    this.#memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(kernel, { env: { memory: this.#memory } });
    const score = instance.exports.score;
    if (typeof score !== 'function') {
      throw new TypeError('the kernel module does not export a function `score`');
    }
    this.#score = score as KernelScore;
    this.#values = new Float32Array(this.#memory.buffer);
    this.block = this.#values;
    this.rowMax = this.#values;
  }

  setColumns(factors: Factors): void {
    const k = this.#k;
    const kp = this.#kp;
    const columnFloats = ((factors.n + 3) & ~3) * kp;
    this.#rowsAt = columnFloats;
    this.#outAt = columnFloats + this.#maxRows * kp;
    this.#maxAt = this.#outAt + this.#maxRows * this.#maxWidth;
    const total = this.#maxAt + this.#maxRows;
    const needed = Math.ceil((total * 4) / PAGE) - this.#memory.buffer.byteLength / PAGE;
    if (needed > 0) this.#memory.grow(needed);
    // Growing detaches the old buffer, so views are taken afresh.
    this.#values = new Float32Array(this.#memory.buffer);
    this.#values.fill(0, 0, this.#outAt);
    if (kp === k) {
      this.#values.set(factors.data);
    } else {
      for (let r = 0; r < factors.n; r++) {
        this.#values.set(factors.data.subarray(r * k, r * k + k), r * kp);
      }
    }
    this.block = this.#values.subarray(this.#outAt, this.#maxAt);
    this.rowMax = this.#values.subarray(this.#maxAt, total);
  }

  setRows(factors: Factors, rows: Int32Array | undefined, first: number, count: number): void {
    const k = this.#k;
    const kp = this.#kp;
    const values = this.#values;
    for (let r = 0; r < count; r++) {
      const row = rows ? (rows[first + r] as number) : first + r;
      values.set(factors.data.subarray(row * k, row * k + k), this.#rowsAt + r * kp);
    }
    this.#rowCount = count;
  }

  score(start: number, width: number): void {
    const kp = this.#kp;
    const columns = (width + 3) & ~3;
    const rows = (this.#rowCount + 1) & ~1;
    // The kernel takes byte addresses; a float32 is 4 bytes.
    this.#score(
      this.#rowsAt * 4,
      start * kp * 4,
      this.#outAt * 4,
      this.#maxAt * 4,
      rows,
      columns,
      kp,
    );
    this.stride = columns;
  }
}
