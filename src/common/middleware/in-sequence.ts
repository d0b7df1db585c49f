import type { NextFunction, Request, Response } from 'express';

/** A middleware as Express runs it. */
export type Middleware = (request: Request, response: Response, next: NextFunction) => unknown;

/**
 * Several middlewares as one, run in order as Express would run them one `app.use` each: the
 * next starts when the one before calls `next()`; an error passed to `next`, thrown, or a
 * rejected promise goes to Express's error handling at once, skipping the rest; a middleware
 * that answers (a 503 refusal, a CORS preflight) ends the sequence.
 * Why: Express walks one router layer per `app.use` on every request, and each layer it enters
 * allocates (the match, its params and keys, a callback); the app's cross-cutting middlewares
 * in one layer are entered once.
 */
export function inSequence(...middlewares: Middleware[]): Middleware {
  return (request, response, next) => {
    let index = 0;
    const step = (error?: unknown): void => {
      // `next('route')` from a middleware only moves on, as in Express; `next('router')` leaves it.
      if (error && error !== 'route') return next(error);
      const middleware = middlewares[index++];
      if (middleware === undefined) return next();
      try {
        const result = middleware(request, response, step as NextFunction);
        if (result instanceof Promise) result.catch((rejection: unknown) => next(rejection ?? new Error('Rejected promise')));
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}
