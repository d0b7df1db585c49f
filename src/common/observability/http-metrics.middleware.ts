import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from './metrics.js';

/**
 * Times every request, as the app's first middleware: requests refused before they reach a
 * route (malformed JSON, a body over the limit, a path that is not valid URL encoding) are
 * counted too, which a Nest middleware, running after the body parser and the router's
 * decoding, never saw. Labels by route pattern, not raw path, so label values stay few; a
 * request that matched no route (or only Nest's catch-all not-found route) is `unmatched`.
 */
export function httpMetrics(metrics: Metrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    // Not the histogram's startTimer: its timer closure and merged label objects were garbage per request.
    const started = performance.now();
    response.once('finish', () => {
      const path = (request.route as { path?: unknown } | undefined)?.path;
      const route = typeof path === 'string' && !path.endsWith('*path') ? `${request.baseUrl}${path}` : 'unmatched';
      metrics.httpRequestDuration.observe({ method: request.method, route, status: String(response.statusCode) }, (performance.now() - started) / 1000);
    });
    next();
  };
}
