import { describe, expect, it } from '@jest/globals';
import type { NextFunction, Request, Response } from 'express';
import { inSequence, type Middleware } from './in-sequence.js';

const request = {} as Request;
const response = {} as Response;

/** Runs `middleware` and gives what it passed to Express's `next` (after `settle`, for promises). */
async function outcome(middleware: Middleware): Promise<{ called: number; error: unknown }> {
  const result = { called: 0, error: undefined as unknown };
  middleware(request, response, ((error?: unknown) => {
    result.called += 1;
    result.error = error;
  }) as NextFunction);
  await new Promise((resolve) => setImmediate(resolve));
  return result;
}

describe('inSequence', () => {
  it('runs the middlewares in order, each when the one before calls next, then calls next once', async () => {
    const order: string[] = [];
    const step = (name: string): Middleware => (_request, _response, next) => {
      order.push(name);
      next();
    };
    expect(await outcome(inSequence(step('a'), step('b'), step('c')))).toEqual({ called: 1, error: undefined });
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('ends the sequence when a middleware answers without calling next', async () => {
    const later: string[] = [];
    const answers: Middleware = () => undefined;
    expect(await outcome(inSequence(answers, () => later.push('ran')))).toEqual({ called: 0, error: undefined });
    expect(later).toEqual([]);
  });

  it('hands an error passed to next, thrown, or a rejected promise to Express at once, skipping the rest', async () => {
    const failure = new Error('refused');
    const later: string[] = [];
    const rest: Middleware = (_request, _response, next) => {
      later.push('ran');
      next();
    };
    expect(await outcome(inSequence((_request, _response, next) => next(failure), rest))).toEqual({ called: 1, error: failure });
    expect(
      await outcome(
        inSequence(() => {
          throw failure;
        }, rest),
      ),
    ).toEqual({ called: 1, error: failure });
    expect(await outcome(inSequence(() => Promise.reject(failure), rest))).toEqual({ called: 1, error: failure });
    expect(later).toEqual([]);
  });

  it("moves on after next('route'), as Express does for a middleware", async () => {
    const later: string[] = [];
    const rest: Middleware = (_request, _response, next) => {
      later.push('ran');
      next();
    };
    expect(await outcome(inSequence((_request, _response, next) => next('route'), rest))).toEqual({ called: 1, error: undefined });
    expect(later).toEqual(['ran']);
  });
});
