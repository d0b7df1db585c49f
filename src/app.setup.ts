import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter.js';
import { createLogger, PinoNestLogger, requestLogging } from './common/logging/logger.js';
import { RequestValidationException } from './common/errors/request-validation.exception.js';
import type { Env } from './config/env.validation.js';
import { setupOpenApi } from './openapi.js';
import { LiveIoAdapter } from './tracking/live-io.adapter.js';

export const API_PREFIX = 'api/v1';

/** Everything main.ts and the e2e tests share: the app as users reach it. */
export function configureApp(app: NestExpressApplication): INestApplication {
  const config = app.get(ConfigService<Env, true>);
  const logger = createLogger({
    level: config.get('LOG_LEVEL', { infer: true }),
    pretty: (config.get('LOG_FORMAT', { infer: true }) ?? (config.get('NODE_ENV', { infer: true }) === 'development' ? 'pretty' : 'json')) === 'pretty',
  });
  app.useLogger(new PinoNestLogger(logger));
  app.use(requestLogging(logger));
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', 'metrics'] });
  // Client IPs (rate limits, session records) come from X-Forwarded-For only behind known proxies.
  app.set('trust proxy', config.get('TRUST_PROXY_HOPS', { infer: true }));
  app.disable('x-powered-by');
  app.use(helmet({ contentSecurityPolicy: false }));
  app.enableCors({ origin: config.get('CORS_ORIGINS', { infer: true }), credentials: false });
  app.useBodyParser('json', { limit: config.get('BODY_LIMIT_BYTES', { infer: true }) });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => RequestValidationException.fromValidationErrors(errors),
    }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useWebSocketAdapter(
    new LiveIoAdapter(app, {
      allowedOrigins: config.get('CORS_ORIGINS', { infer: true }),
      redisUrl: config.get('REDIS_URL', { infer: true }),
      keyPrefix: config.get('REDIS_KEY_PREFIX', { infer: true }),
    }),
  );
  setupOpenApi(app);
  return app;
}
