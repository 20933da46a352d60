import { describe, expect, it } from 'vitest';
import { CooBuilder } from '../../src/sparse/coo.ts';
import { csrFromCoo, transpose } from '../../src/sparse/csr.ts';

describe('csrFromCoo', () => {
  it('sorts columns within rows and sums duplicate pairs', () => {
    const coo = new CooBuilder(2);
    coo.push(1, 2, 1);
    coo.push(0, 1, 2);
    coo.push(1, 0, 3);
    coo.push(1, 2, 4);
    const csr = csrFromCoo(coo, 3, 3);
    expect(Array.from(csr.rowPtr)).toEqual([0, 1, 3, 3]);
    expect(Array.from(csr.colIdx)).toEqual([1, 0, 2]);
    expect(Array.from(csr.values)).toEqual([2, 3, 5]);
  });

  it('refuses an index outside the declared shape', () => {
    const coo = new CooBuilder();
    coo.push(0, 5, 1);
    expect(() => csrFromCoo(coo, 1, 5)).toThrow(RangeError);
  });

  it('transposes back to the original', () => {
    const coo = new CooBuilder();
    coo.push(0, 2, 1);
    coo.push(2, 0, 7);
    coo.push(1, 1, 3);
    const csr = csrFromCoo(coo, 3, 4);
    const twice = transpose(transpose(csr));
    expect(twice).toEqual(csr);
    expect(transpose(csr).nRows).toBe(4);
  });
});
