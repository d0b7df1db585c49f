// Creates the bench database, and measures the tick (issue #6 item 3, issue #16 part 5): N runs
// (10,000, then 100,000), 1% of them changing per tick, then all of them. Runs the built app
// (dist/) in this process against local PostgreSQL and Redis, with a generated status feed, and
// counts, in this process, the SQL statements of the tick (TypeORM's query runner; the
// timetable's periodic catalog version check is not the tick's) and the cache's Redis
// round trips (each MGET, and each MULTI…EXEC batch, is one; node-redis reports them on
// diagnostics_channel, so other clients of a shared Redis do not count), and the longest
// event-loop block during each tick (perf_hooks.monitorEventLoopDelay, 10 ms resolution).
// The runs are runs that exist at the bench's simulated clock (bench/clock.mjs): the bench's
// trains on the service dates they run, today's first, then back a day at a time.
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import dc from 'node:diagnostics_channel';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { BENCH_CLOCK_START, clockEnv } from './clock.mjs';
import { ensureTrains } from './fixtures.mjs';
import { BENCH_DATABASE, BENCH_DATABASE_URL, BENCH_JWT_SECRET, POSTGRES_SERVER, REDIS_URL } from './processes.mjs';
import { median, medianWithSpread, progress as logProgress } from './stats.mjs';

const progress = (message) => logProgress('tick', message);

async function prepareDatabase() {
  const admin = new pg.Client({ connectionString: `${POSTGRES_SERVER}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  await admin.end();
}

// The cache's round trips, counted from before the app opens its connection.
let cacheRoundTrips = 0;
dc.subscribe('tracing:node-redis:command:start', (context) => {
  if (String(context.command).toUpperCase() === 'MGET') cacheRoundTrips++;
});
dc.subscribe('tracing:node-redis:batch:start', (context) => {
  if (context.batchMode === 'MULTI') cacheRoundTrips++;
});

/**
 * Creates, migrates and seeds the bench database with `trains` trains (bench/fixtures.mjs), then
 * measures a tick at each size. Returns the train numbers and a result per size.
 * @param {{ trains?: number, sizes?: Array<{ runs: number, changedSamples?: number, allChangedSamples?: number }> }} options
 */
export async function tickCost({ trains = 2000, sizes = [] } = {}) {
  await prepareDatabase();
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
  const { TimetableService } = await import('../dist/src/routes/timetable.service.js');
  const { stopsOn } = await import('../dist/src/routes/timetable.model.js');
  const { localDate, addDays } = await import('../dist/src/trains/service-time.js');
  const { DataSource } = await import('typeorm');

  const feed = { observations: [], async activeRuns() { return this.observations; } };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(TRAIN_STATUS_PROVIDER).useValue(feed).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  const results = [];
  let numbers;
  try {
    numbers = await ensureTrains(BENCH_DATABASE_URL, trains);
    const dataSource = app.get(DataSource);
    const timetable = app.get(TimetableService);
    // The copies are in the catalog from the next version check on.
    timetable.invalidate();
    while ((await timetable.all()).size < numbers.length) await new Promise((resolve) => setTimeout(resolve, 200));
    if (sizes.length === 0) return { numbers, results };

    // Count every SQL statement the app sends, but the timetable's catalog version check: a
    // single-row read every couple of seconds, whatever the tick does (a long tick sees one).
    let statements = 0;
    const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
    dataSource.createQueryRunner = (...args) => {
      const runner = createQueryRunner(...args);
      const query = runner.query.bind(runner);
      runner.query = (...queryArgs) => {
        if (!String(queryArgs[0]).includes('FROM catalog_version')) statements++;
        return query(...queryArgs);
      };
      return runner;
    };

    // Runs that exist at the bench's clock: each train on the dates it runs, from today back.
    const timetables = [...(await timetable.all()).values()];
    const today = localDate(new Date(BENCH_CLOCK_START), 'Asia/Kolkata');
    const runsOf = (count) => {
      const runs = [];
      for (let back = 0; runs.length < count; back++) {
        if (back > 3660) throw new Error(`only ${runs.length} runs in ten years of ${timetables.length} trains`);
        const date = addDays(today, -back);
        for (const entry of timetables) {
          if (runs.length === count) break;
          if (!stopsOn(entry, date)) continue;
          runs.push({ trainId: entry.train.id, trainNumber: entry.train.number, serviceDate: date, phase: 'RUNNING', delayMinutes: 0, lastStopSequence: 1, departedLastStop: true, platform: null, stopTimes: [] });
        }
      }
      return runs;
    };

    const tracker = app.get(TrackerService);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    for (const { runs: count, changedSamples = 5, allChangedSamples = 3 } of sizes) {
      const runs = runsOf(count);
      const measure = async (changeEvery) => {
        feed.observations = runs.map((run, index) => (index % changeEvery === 0 ? { ...run, delayMinutes: run.delayMinutes + 1 } : run));
        runs.splice(0, runs.length, ...feed.observations);
        statements = 0;
        const trips = cacheRoundTrips;
        await new Promise((resolve) => setTimeout(resolve, 20)); // the loop settles; only the tick is watched
        loop.reset();
        const started = performance.now();
        const report = await tracker.tick();
        const ms = performance.now() - started;
        await new Promise((resolve) => setTimeout(resolve, 20)); // the probe fires once more after a block
        if (!report.ran) throw new Error(`tick did not run: ${JSON.stringify(report)}`);
        return { ms, changed: report.changed, rows_written: report.written, sql_statements: statements, redis_round_trips: cacheRoundTrips - trips, max_block_ms: loop.max / 1e6 };
      };
      progress(`${count} runs: first sight`);
      await measure(1); // first sight of every run: all written
      await measure(1); // warm: every run changes
      const allChanged = [];
      for (let i = 0; i < allChangedSamples; i++) allChanged.push(await measure(1));
      progress(`${count} runs: all changing, ${Math.round(median(allChanged.map((s) => s.ms)))} ms`);
      const samples = [];
      for (let i = 0; i < changedSamples; i++) samples.push(await measure(100));
      samples.sort((a, b) => a.ms - b.ms);
      const middle = samples[Math.floor(samples.length / 2)];
      const all = [...samples, ...allChanged];
      results.push({
        runs: count,
        changed: middle.changed,
        rows_written: middle.rows_written,
        // Constant means the same in every sample: the largest is reported.
        sql_statements: Math.max(...samples.map((s) => s.sql_statements)),
        all_changed_sql_statements: Math.max(...allChanged.map((s) => s.sql_statements)),
        redis_round_trips: Math.max(...samples.map((s) => s.redis_round_trips)),
        all_changed_redis_round_trips: Math.max(...allChanged.map((s) => s.redis_round_trips)),
        ...medianWithSpread('ms', samples.map((s) => s.ms)),
        ...medianWithSpread('all_changed_ms', allChanged.map((s) => s.ms)),
        max_block_ms: Math.round(Math.max(...all.map((s) => s.max_block_ms))),
      });
    }
    loop.disable();
    return { numbers, results };
  } finally {
    await app.close();
    for (const key of Object.keys(process.env)) if (!(key in envBefore)) delete process.env[key];
    Object.assign(process.env, envBefore);
  }
}
