// Tick cost (issue #6, item 3): 10,000 active runs, 1% changing per tick, then 100% changing.
// Runs the built app (dist/) in this process against local PostgreSQL and Redis, with a
// generated status feed; counts SQL statements (TypeORM query runner) and Redis commands
// (INFO commandstats: server-wide, so run it on a quiet Redis).
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { clockEnv } from './clock.mjs';
import { BENCH_DATABASE, BENCH_DATABASE_URL, BENCH_JWT_SECRET, POSTGRES_SERVER, REDIS_URL } from './processes.mjs';

async function prepareDatabase() {
  const admin = new pg.Client({ connectionString: `${POSTGRES_SERVER}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  await admin.end();
}

export async function tickCost() {
  const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
  await prepareDatabase();
  // Only reads the server's command statistics; the app's keys have a prefix of their own.
  const redis = new Redis(REDIS_URL);
  // The app runs in this process, and ConfigModule writes the config it validated (derived
  // defaults too) into process.env; the processes the bench starts later inherit process.env, so
  // it is put back as it was once this section is done.
  const envBefore = { ...process.env };
  Object.assign(process.env, {
    ...clockEnv(),
    NODE_ENV: 'test',
    DATABASE_URL: BENCH_DATABASE_URL,
    REDIS_URL,
    REDIS_KEY_PREFIX: `bench-${randomUUID().slice(0, 6)}:`,
    DB_MIGRATE_ON_START: 'true',
    CATALOG_WHEN_EMPTY: 'demo',
    JWT_SECRET: BENCH_JWT_SECRET,
    TRACKING_ENABLED: 'false',
    LOG_LEVEL: 'error',
    LOG_FORMAT: 'json',
  });
  const { AppModule } = await import('../dist/src/app.module.js');
  const { TRAIN_STATUS_PROVIDER } = await import('../dist/src/tracking/train-status-provider.js');
  const { TrackerService } = await import('../dist/src/tracking/tracker.service.js');
  const { DataSource } = await import('typeorm');

  const feed = { observations: [], async activeRuns() { return this.observations; } };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(TRAIN_STATUS_PROVIDER).useValue(feed).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  const dataSource = app.get(DataSource);

  // Count every SQL statement the app sends.
  let statements = 0;
  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (...args) => {
    const runner = createQueryRunner(...args);
    const query = runner.query.bind(runner);
    runner.query = (...queryArgs) => {
      statements++;
      return query(...queryArgs);
    };
    return runner;
  };

  // 10,000 runs: every demo train on many service dates.
  const trains = await dataSource.query(`SELECT t.id, t.number, max(rs.sequence) AS stops FROM trains t JOIN route_stops rs ON rs.train_id = t.id GROUP BY t.id`);
  const runs = [];
  for (let i = 0; runs.length < RUNS; i++) {
    const train = trains[i % trains.length];
    const date = new Date(Date.UTC(2026, 0, 1) + Math.floor(i / trains.length) * 86_400_000).toISOString().slice(0, 10);
    runs.push({ trainId: train.id, trainNumber: train.number, serviceDate: date, phase: 'RUNNING', delayMinutes: 0, lastStopSequence: 1, departedLastStop: true, platform: null, stopUpdates: [], stopTimes: [] });
  }
  const tracker = app.get(TrackerService);
  const commands = async () => {
    const stats = await redis.info('commandstats');
    const calls = (name) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    // Round trips: each MGET, and each MULTI…EXEC batch, is one.
    return { mget: calls('mget'), exec: calls('exec'), total: [...stats.matchAll(/calls=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0) };
  };
  const measure = async (changeEvery) => {
    feed.observations = runs.map((run, index) => (index % changeEvery === 0 ? { ...run, delayMinutes: run.delayMinutes + 1 } : run));
    runs.splice(0, runs.length, ...feed.observations);
    statements = 0;
    const before = await commands();
    const started = performance.now();
    const report = await tracker.tick();
    const ms = performance.now() - started;
    const after = await commands();
    return { ms: Math.round(ms), changed: report.changed, rows_written: report.written, sql_statements: statements, redis_round_trips: after.mget - before.mget + (after.exec - before.exec) };
  };

  await measure(1); // first sight of every run: all written
  await measure(1); // warm: every run changes
  const allChanged = await measure(1);
  const samples = [];
  for (let i = 0; i < 5; i++) samples.push(await measure(100));
  samples.sort((a, b) => a.ms - b.ms);
  const median = samples[Math.floor(samples.length / 2)];
  await app.close();
  await redis.quit();
  for (const key of Object.keys(process.env)) if (!(key in envBefore)) delete process.env[key];
  Object.assign(process.env, envBefore);
  return {
    runs: RUNS,
    changed: median.changed,
    rows_written: median.rows_written,
    sql_statements: median.sql_statements,
    redis_round_trips: median.redis_round_trips,
    ms: median.ms,
    all_changed_ms: allChanged.ms,
  };
}
