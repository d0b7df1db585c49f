import { describe, expect, it } from '@jest/globals';
import { RequestValidationException } from '../errors/request-validation.exception.js';
import { assertNestingDepth, MAX_INPUT_DEPTH } from './nesting.js';

const arrays = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);
const errorsOf = (value: unknown, name = 'body') => {
  try {
    assertNestingDepth(value, name);
    return null;
  } catch (error) {
    if (error instanceof RequestValidationException) return error.errors;
    throw error;
  }
};

describe('assertNestingDepth', () => {
  it('accepts a value nested exactly MAX_INPUT_DEPTH levels, and refuses one more', () => {
    expect(errorsOf(arrays(MAX_INPUT_DEPTH))).toBeNull();
    expect(errorsOf(arrays(MAX_INPUT_DEPTH + 1))).toEqual([{ field: 'body', messages: [`body must not be nested more than ${MAX_INPUT_DEPTH} levels deep`] }]);
  });

  it('names the top-level property the nest is under', () => {
    expect(errorsOf({ ok: 'x', stops: [{ arrival: arrays(MAX_INPUT_DEPTH) }] })).toEqual([{ field: 'stops', messages: [expect.stringMatching(/^stops must not be nested/)] }]);
  });

  it('walks 100,000 levels without overflowing the stack itself', () => {
    expect(errorsOf(arrays(100_000), 'payload')?.[0].field).toBe('payload');
  });

  it('takes strings, numbers, null, binary values and the holes of a sparse array as leaves', () => {
    const sparse: unknown[] = [];
    sparse[4_294_967_294] = 'x';
    expect(errorsOf({ a: 'text', b: 1, c: null, d: Buffer.alloc(64), e: sparse })).toBeNull();
    expect(errorsOf('plain')).toBeNull();
  });
});
