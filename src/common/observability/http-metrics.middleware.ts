import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Metrics } from './metrics.js';

/** Times every request; labels by route pattern (not raw path) so label values stay few. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const end = this.metrics.httpRequestDuration.startTimer();
    response.once('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path;
      end({ method: request.method, route: route ? `${request.baseUrl}${route}` : 'unmatched', status: String(response.statusCode) });
    });
    next();
  }
}
