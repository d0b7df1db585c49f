import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { answerUnsupportedMethodWith405 } from './common/errors/method-not-allowed.js';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter.js';
import { inSequence } from './common/middleware/in-sequence.js';
import { createLogger, PinoNestLogger, requestLogging } from './common/logging/logger.js';
import { httpMetrics } from './common/observability/http-metrics.middleware.js';
import { Metrics } from './common/observability/metrics.js';
import { EventLoopLagGauge, loadShedding } from './common/overload/load-shedding.js';
import { RequestValidationPipe } from './common/validation/request-validation.pipe.js';
import type { Env } from './config/env.validation.js';
import { setupOpenApi } from './openapi.js';
import { LiveIoAdapter } from './tracking/live-io.adapter.js';
import { serveWebClient } from './web-client/web-client.js';

export const API_PREFIX = 'api/v1';
/** Probes and metrics stay at the root, where orchestrators and Prometheus look for them. */
export const UNPREFIXED_ROUTES = ['health/live', 'health/ready', 'metrics'];

/** Everything main.ts and the e2e tests share: the app as users reach it. */
export function configureApp(app: NestExpressApplication): INestApplication {
  const config = app.get(ConfigService<Env, true>);
  const logger = createLogger({
    level: config.get('LOG_LEVEL', { infer: true }),
    pretty: (config.get('LOG_FORMAT', { infer: true }) ?? (config.get('NODE_ENV', { infer: true }) === 'development' ? 'pretty' : 'json')) === 'pretty',
  });
  app.useLogger(new PinoNestLogger(logger));
  const metrics = app.get(Metrics);
  const maxLagMs = config.get('OVERLOAD_MAX_LAG_MS', { infer: true });
  const lagGauge = new EventLoopLagGauge();
  app.getHttpServer().once('close', () => lagGauge.stop());
  // The cross-cutting middlewares run in one router layer (see inSequence), in this order:
  app.use(
    inSequence(
      // first, so that requests refused by the body parser or the router's URL decoding are timed too;
      httpMetrics(metrics),
      // then, before anything spends CPU on a request, the refusal of work past the instance's bound;
      loadShedding({
        maxInFlight: config.get('OVERLOAD_MAX_IN_FLIGHT', { infer: true }),
        maxLagMs: maxLagMs === 0 ? Infinity : maxLagMs,
        exempt: ['/health/live'],
        gauge: lagGauge,
        onShed: (reason) => metrics.requestsShed.inc({ reason }),
      }),
      requestLogging(logger),
      helmet({ contentSecurityPolicy: false }),
    ),
  );
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_ROUTES });
  answerEveryUnknownPathWithProblem(app);
  // Client IPs (rate limits, session records) come from X-Forwarded-For only behind known proxies.
  app.set('trust proxy', config.get('TRUST_PROXY_HOPS', { infer: true }));
  app.disable('x-powered-by');
  app.enableCors({ origin: config.get('CORS_ORIGINS', { infer: true }), credentials: false });
  app.useBodyParser('json', { limit: config.get('BODY_LIMIT_BYTES', { infer: true }) });
  app.useGlobalPipes(new RequestValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useWebSocketAdapter(
    new LiveIoAdapter(app, {
      allowedOrigins: config.get('CORS_ORIGINS', { infer: true }),
      redisUrl: config.get('REDIS_URL', { infer: true }),
      keyPrefix: config.get('REDIS_KEY_PREFIX', { infer: true }),
    }),
  );
  if (config.get('DOCS_ENABLED', { infer: true })) setupOpenApi(app);
  serveWebClient(app);
  return app;
}

/**
 * With a global prefix, Nest mounts its not-found handler (a NotFoundException through the
 * exception filters) only under the prefix and on the excluded routes, so any other unknown path
 * (`/`, `/favicon.ico`, `/docs/nope`) fell through to Express's HTML "Cannot GET" page. Mount the
 * same handler at the root as well. Nest installs it after every route, Swagger's and static
 * assets included, so it only answers requests nothing else matched: the problem+json 404
 * (`NOT_FOUND`) of an unknown /api/v1 route, everywhere. Before it, a known path asked with a
 * method it does not support is answered 405 with Allow.
 */
function answerEveryUnknownPathWithProblem(app: NestExpressApplication): void {
  const adapter = app.getHttpAdapter() as ExpressAdapter;
  const setNotFoundHandler = adapter.setNotFoundHandler.bind(adapter);
  adapter.setNotFoundHandler = (...args: Parameters<ExpressAdapter['setNotFoundHandler']>) => {
    // A known path with another method is 405, not 404 (see method-not-allowed.ts).
    adapter.use(answerUnsupportedMethodWith405(adapter.getInstance<{ router: Parameters<typeof answerUnsupportedMethodWith405>[0] }>().router, args[0]));
    setNotFoundHandler(...args);
    adapter.use(args[0]);
  };
}
