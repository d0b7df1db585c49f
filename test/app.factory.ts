import { afterAll, beforeAll } from '@jest/globals';
import type { INestApplication, LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { databaseUrl, prepareDatabase, TEST_DATABASE, TEST_SERVER_URL } from './test-database.js';

export const TEST_JWT_SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

/** Environment of an app under test: a test database, migrated and seeded once per run. */
export const testEnv = (database = TEST_DATABASE): Record<string, string> => ({
  NODE_ENV: 'test',
  DATABASE_URL: databaseUrl(database),
  DB_POOL_SIZE: '4',
  DB_MIGRATE_ON_START: 'false',
  CATALOG_WHEN_EMPTY: 'none',
  JWT_SECRET: TEST_JWT_SECRET,
  REDIS_URL: 'redis://127.0.0.1:6379',
  // Each test file has its own Redis keys, so files running in parallel never share counters.
  // (ConfigModule reads the environment once per file, when AppModule is first imported.)
  REDIS_KEY_PREFIX: `test:${randomUUID().slice(0, 8)}:`,
  AUTH_RATE_LIMIT_PER_IP: '10000',
  AUTH_RATE_LIMIT_PER_ACCOUNT: '10000',
  SOCKET_RATE_LIMIT_PER_CONNECTION: '10000',
  SOCKET_RATE_LIMIT_PER_IP: '1000000',
  // Tests tick on demand instead of waiting for the clock.
  TRACKING_ENABLED: 'false',
  // No refusal for event-loop lag: on a busy test machine the loop falls behind and any request
  // could get 503 OVERLOADED (test/load-shedding.e2e-spec.ts sets its own bounds).
  OVERLOAD_MAX_LAG_MS: '0',
  LOG_LEVEL: 'error',
  LOG_FORMAT: 'json',
});

/**
 * Environment of an app on the embedded database (`npm start` on a fresh machine): no
 * DATABASE_URL, Redis or JWT_SECRET (unset, not just empty), PGlite and the generated signing key
 * under `dataDir`, and the default catalog for an empty database (the Indian timetable).
 */
export const embeddedEnv = (dataDir: string): Record<string, string | undefined> => ({
  NODE_ENV: 'development',
  DATABASE_URL: undefined,
  REDIS_URL: undefined,
  JWT_SECRET: undefined,
  DATA_DIR: dataDir,
  DB_MIGRATE_ON_START: undefined,
  CATALOG_WHEN_EMPTY: undefined,
  TRACKING_ENABLED: 'false',
  // As in testEnv: a busy test machine's lag would refuse requests (the embedded database runs in-process).
  OVERLOAD_MAX_LAG_MS: '0',
  LOG_LEVEL: 'error',
  LOG_FORMAT: 'json',
});

/**
 * Boots the real AppModule, configured as main.ts configures it. The module is imported after
 * the environment is set because ConfigModule validates the environment when it is imported.
 */
export interface TestAppOptions {
  /** Replaces providers (e.g. the clock, or the status feed) before the app is built. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Listens on a free port, for Socket.IO clients. */
  listen?: boolean;
  /** Replaces the app's logger before it starts, to read what it logs (e.g. the startup lines). */
  logger?: LoggerService;
}

export async function createTestApp(env: Record<string, string | undefined> = testEnv(), options: TestAppOptions = {}): Promise<INestApplication> {
  const database = env.DATABASE_URL?.startsWith(TEST_SERVER_URL) ? env.DATABASE_URL.split('/').pop()! : undefined;
  if (database?.startsWith(TEST_DATABASE)) await prepareDatabase(database);
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const { AppModule } = await import('../src/app.module.js');
  const { configureApp } = await import('../src/app.setup.js');
  const builder = Test.createTestingModule({ imports: [AppModule] });
  const moduleRef = await (options.override ? options.override(builder) : builder).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error', 'warn'] });
  configureApp(app);
  if (options.logger) app.useLogger(options.logger);
  if (options.listen) await app.listen(0, '127.0.0.1');
  else await app.init();
  return app;
}

export interface TestApi {
  app: INestApplication;
  http: ReturnType<typeof request>;
  /** Base URL when the app listens (options.listen). */
  url: string;
}

/** Boots one app for the enclosing describe block (closed after it) and gives its HTTP client. */
export function useTestApp(env?: Record<string, string | undefined>, options: TestAppOptions = {}): TestApi {
  const api = {} as TestApi;
  beforeAll(async () => {
    api.app = await createTestApp(env, options);
    api.http = request(api.app.getHttpServer());
    const address = api.app.getHttpServer().address();
    api.url = address && typeof address === 'object' ? `http://127.0.0.1:${address.port}` : '';
  }, 60_000);
  afterAll(async () => {
    await api.app?.close();
  });
  return api;
}
