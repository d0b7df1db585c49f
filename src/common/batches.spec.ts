import { describe, expect, it } from '@jest/globals';
import { batchesOf } from './batches.js';

describe('batchesOf', () => {
  it('cuts items into consecutive batches of the size, the last one shorter', () => {
    expect([...batchesOf([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...batchesOf([1, 2, 3, 4], 2)]).toEqual([[1, 2], [3, 4]]);
  });

  it('gives no batch for no items, and one for fewer items than the size', () => {
    expect([...batchesOf([], 3)]).toEqual([]);
    expect([...batchesOf(['a'], 3)]).toEqual([['a']]);
  });

  it('refuses a size that would never end or cut nothing', () => {
    expect(() => [...batchesOf([1], 0)]).toThrow(RangeError);
    expect(() => [...batchesOf([1], 1.5)]).toThrow(RangeError);
  });
});
