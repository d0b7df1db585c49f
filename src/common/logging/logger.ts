import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type Logger } from 'pino';

export interface LoggingOptions {
  level: string;
  pretty: boolean;
}

/** Structured JSON logs (one line per event); human-readable colours in development. */
export function createLogger({ level, pretty }: LoggingOptions): Logger {
  return pino({
    level,
    // Credentials never reach the logs, wherever they appear.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refreshToken', '*.accessToken', '*.token'], censor: '[redacted]' },
    transport: pretty ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } : undefined,
  });
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const isUnlogged = (url: string) => url === '/metrics' || url.startsWith('/health/');

/**
 * Logs each request once when its response ends (level by status), with a request id
 * (X-Request-Id from the client or proxy, else a new one) echoed back and kept on `request.id`.
 * Hand-written rather than pino-http: that builds two child loggers per request, serializing
 * the request even when the line is not logged, which cost about 15% of the live status
 * endpoint's throughput (bench/status-endpoint.mjs).
 */
export function requestLogging(logger: Logger) {
  return (request: IncomingMessage & { id?: string; originalUrl?: string }, response: ServerResponse, next: () => void): void => {
    const incoming = request.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    request.id = id;
    response.setHeader('X-Request-Id', id);
    const url = request.originalUrl ?? request.url ?? '';
    if (!isUnlogged(url)) {
      const started = performance.now();
      // Node emits 'close' on every response once, after 'finish' or when the connection is gone.
      response.once('close', () => {
        const status = response.statusCode;
        const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
        if (!logger.isLevelEnabled(level)) return;
        const aborted = !response.writableFinished;
        logger[level](
          { req: { id, method: request.method, url: url.split('?')[0] }, res: { statusCode: status }, responseTime: Math.round(performance.now() - started), ...(aborted && { aborted }) },
          aborted ? 'request aborted' : 'request completed',
        );
      });
    }
    next();
  };
}

/** Nest's own log lines (bootstrap, errors) through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    // Nest's RoutesResolver heads each controller's routes with the controller path plus the
    // global prefix, even when its routes are excluded from the prefix ("HealthController
    // {/api/v1/health}:" for /health/live and /health/ready). The "Mapped {path, method} route"
    // lines that follow give every route's real path, so the header is dropped, not repeated wrong.
    if (context === 'RoutesResolver') return;
    this.logger.info({ context }, String(message));
  }

  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }

  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
