/**
 * A growable list of (row, column, value) triplets on typed arrays: the form in which sparse
 * data arrives, page by page, before it is compressed into rows.
 *
 * Growth doubles the buffers, so appending n triplets costs O(n) amortised and never holds
 * the triplets as objects.
 */
export class CooBuilder {
  rows: Int32Array;
  cols: Int32Array;
  values: Float32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity);
    this.rows = new Int32Array(capacity);
    this.cols = new Int32Array(capacity);
    this.values = new Float32Array(capacity);
  }

  push(row: number, col: number, value: number): void {
    if (this.length === this.rows.length) this.#grow();
    this.rows[this.length] = row;
    this.cols[this.length] = col;
    this.values[this.length] = value;
    this.length++;
  }

  #grow(): void {
    const capacity = this.rows.length * 2;
    const rows = new Int32Array(capacity);
    const cols = new Int32Array(capacity);
    const values = new Float32Array(capacity);
    rows.set(this.rows);
    cols.set(this.cols);
    values.set(this.values);
    this.rows = rows;
    this.cols = cols;
    this.values = values;
  }
}
