import { MethodNotAllowedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { toProblem } from './problem-details.filter.js';

interface RouteLayer {
  route?: { methods: Record<string, boolean>; stack: Array<{ handle: unknown }> };
  match(path: string): unknown;
}

/** The order Allow lists methods in. */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * RFC 9110 §15.5.6: a request whose path is known but whose method is not supported there is 405
 * with an Allow header naming the methods that are, not 404 (`TRACE /api/v1/stations`,
 * `POST /health/live`). Installed just before the not-found handler, so it only sees requests no
 * route took; it reads the methods of every route whose path matches from the Express router
 * itself, so it knows every route (controllers, docs, probes) without a list of its own. HEAD
 * follows GET (Express answers it), and OPTIONS is answered by the CORS middleware, before this.
 */
export function answerUnsupportedMethodWith405(router: { stack: RouteLayer[] }, notFoundHandler: unknown) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const path = request.path;
    const methods = new Set<string>();
    for (const layer of router.stack) {
      // Nest mounts its not-found handler on the excluded paths (/health/live) for every method.
      if (!layer.route || layer.route.stack.every(({ handle }) => handle === notFoundHandler) || !layer.match(path)) continue;
      for (const [method, handled] of Object.entries(layer.route.methods)) if (handled) methods.add(method.toUpperCase());
      if (methods.has('GET')) methods.add('HEAD');
    }
    if (methods.size === 0 || methods.has(request.method)) return next();
    const allow = [...methods].sort((a, b) => rank(a) - rank(b)).join(', ');
    const instance = request.originalUrl.split('?')[0];
    response
      .status(405)
      .setHeader('Allow', allow)
      .type('application/problem+json')
      .json(toProblem(new MethodNotAllowedException(`${request.method} is not allowed on ${instance}; allowed: ${allow}`), instance));
  };
}

const rank = (method: string) => (METHOD_ORDER.includes(method) ? METHOD_ORDER.indexOf(method) : METHOD_ORDER.length);
