import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { API_PREFIX, configureApp, UNPREFIXED_ROUTES } from './app.setup.js';
import { HttpDrain } from './http-drain.js';
import type { Env } from './config/env.validation.js';

/** A stopping instance must be gone within this, as orchestrators kill after 10 s. */
const SHUTDOWN_DEADLINE_MS = 9000;
/** How long requests in flight at the signal may take to finish; the rest of the deadline is for the tick, sockets and pools. */
const REQUEST_DRAIN_MS = 6000;

async function bootstrap() {
  // forceCloseConnections: idle keep-alive connections do not hold the shutdown up.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true, forceCloseConnections: true });
  configureApp(app);
  // Socket.IO's long polls are held open on purpose; the gateway ends them at shutdown.
  const requests = new HttpDrain(app.getHttpServer(), { ignore: (request) => request.url?.startsWith('/socket.io/') ?? false });
  const config = app.get(ConfigService<Env, true>);
  await app.listen(config.get('PORT', { infer: true }), config.get('HOST', { infer: true }));
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  const database = config.get('DATABASE_URL', { infer: true }) ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL in ${config.get('DATA_DIR', { infer: true })}`;
  const metrics = config.get('METRICS_ENABLED', { infer: true });
  const token = config.get('METRICS_TOKEN', { infer: true }) !== undefined;
  const probes = UNPREFIXED_ROUTES.filter((route) => metrics || route !== 'metrics').map((route) => `/${route}`).join(', ');
  const docs = config.get('DOCS_ENABLED', { infer: true }) ? `, docs at ${url}/docs` : ' (docs off: DOCS_ENABLED)';
  Logger.log(
    `Listening on ${url} using ${database}; API at ${url}/${API_PREFIX}${docs}, probes ${metrics ? `and metrics${token ? ' (bearer token)' : ''} ` : ''}at ${probes}${metrics ? '' : ' (metrics off: METRICS_ENABLED)'}`,
    'Bootstrap',
  );
  if (metrics && !token && config.get('NODE_ENV', { infer: true }) === 'production') {
    Logger.warn('/metrics is open to anyone who can reach this port: set METRICS_TOKEN, or keep the port private', 'Bootstrap');
  }

  // Graceful shutdown: stop accepting, finish in-flight requests (then close their connections),
  // then app.close(): finish the running tick, release the tick lock, disconnect sockets with a
  // reason, close pools; exit 0, or 1 past the deadline.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    Logger.log(`${signal} received, shutting down (${requests.size} requests in flight)`, 'Bootstrap');
    setTimeout(() => {
      Logger.error('Shutdown took too long; exiting', undefined, 'Bootstrap');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    void (async () => {
      try {
        const { cut } = await requests.close(AbortSignal.timeout(REQUEST_DRAIN_MS));
        if (cut > 0) Logger.warn(`${cut} requests still running after ${REQUEST_DRAIN_MS} ms were cut`, 'Bootstrap');
        await app.close();
        process.exit(0);
      } catch (error) {
        Logger.error(`Shutdown failed: ${(error as Error).message}`, undefined, 'Bootstrap');
        process.exit(1);
      }
    })();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // A stray rejection (e.g. from a client library while Redis is away) is logged, not fatal.
  process.on('unhandledRejection', (reason) => Logger.error(`Unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`, undefined, 'Process'));
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
