import { describe, expect, it } from '@jest/globals';
import { BoundedMemo } from './bounded-memo.js';

describe('BoundedMemo', () => {
  it('works a value out once per key and gives the same value after', () => {
    const memo = new BoundedMemo<string, { n: number }>(10);
    let calls = 0;
    const first = memo.get('a', () => ({ n: ++calls }));
    expect(memo.get('a', () => ({ n: ++calls }))).toBe(first);
    expect(calls).toBe(1);
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const memo = new BoundedMemo<string, string>(2);
    const worked: string[] = [];
    const get = (key: string) => memo.get(key, () => (worked.push(key), key.toUpperCase()));
    get('a');
    get('b');
    get('a'); // a is now the most recently used
    get('c'); // drops b
    expect(memo.size).toBe(2);
    get('a');
    get('b');
    expect(worked).toEqual(['a', 'b', 'c', 'b']);
  });

  it('remembers undefined and null values too', () => {
    const memo = new BoundedMemo<string, undefined | null>(2);
    let calls = 0;
    memo.get('x', () => void calls++);
    memo.get('x', () => void calls++);
    expect(memo.get('y', () => (calls++, null))).toBeNull();
    expect(memo.get('y', () => (calls++, undefined))).toBeNull();
    expect(calls).toBe(2);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new BoundedMemo(0)).toThrow(RangeError);
    expect(() => new BoundedMemo(1.5)).toThrow(RangeError);
  });
});
