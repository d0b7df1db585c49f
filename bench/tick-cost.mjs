// Tick cost (issue #6, item 3): 10,000 active runs, 1% changing per tick, then 100% changing;
// then (issue #14) the same 1% tick with 100,000 armed rider alerts against none, side by side.
// Runs the built app (dist/) in this process against local PostgreSQL and Redis, with a
// generated status feed; counts SQL statements (TypeORM query runner) and Redis commands
// (INFO commandstats: server-wide, so run it on a quiet Redis).
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { BENCH_CLOCK_START, clockEnv } from './clock.mjs';
import { BENCH_DATABASE, BENCH_DATABASE_URL, BENCH_JWT_SECRET, POSTGRES_SERVER, REDIS_URL } from './processes.mjs';

async function prepareDatabase() {
  const admin = new pg.Client({ connectionString: `${POSTGRES_SERVER}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  await admin.end();
}

/**
 * ALERTS armed rider alerts, as many riders would have them: riders following every bench train,
 * each with a station (the train's second stop) and all four alerts on, armed on runs of the
 * bench feed that leave after the bench clock's day (runs that already left would send their
 * alarms at once, which is a burst, not a tick), spread evenly over those dates. About one alert
 * in a hundred is on a run the 1% tick changes.
 */
async function armAlerts(dataSource, total, runs) {
  const dates = [...new Set(runs.map((run) => run.serviceDate))].filter((date) => date > BENCH_CLOCK_START.slice(0, 10)).sort();
  const trains = new Set(runs.map((run) => run.trainId)).size;
  const users = Math.ceil(total / (trains * 4));
  await dataSource.query(
    `INSERT INTO users (email, password_hash, display_name) SELECT 'bench-rider-' || g || '@example.com', 'not-a-hash', 'Rider ' || g FROM generate_series(1, $1) AS g`,
    [users],
  );
  await dataSource.query(
    `INSERT INTO favorites (user_id, train_id, station_id, before_arrival_minutes, before_departure_minutes, platform_change, delay_at_station_minutes)
     SELECT u.id, s.train_id, s.station_id, 10, 10, true, 30
     FROM users u CROSS JOIN (SELECT DISTINCT ON (train_id) train_id, station_id FROM route_stops WHERE sequence = 2 ORDER BY train_id) AS s
     WHERE u.email LIKE 'bench-rider-%'`,
  );
  await dataSource.query(
    `INSERT INTO armed_alerts (user_id, train_id, kind, service_date, due_at)
     SELECT f.user_id, f.train_id, k.kind, d.date, d.date + interval '12 hours'
     FROM (SELECT f.user_id, f.train_id, row_number() OVER (PARTITION BY f.train_id ORDER BY f.user_id) AS n
           FROM favorites f JOIN users u ON u.id = f.user_id WHERE u.email LIKE 'bench-rider-%') AS f
     CROSS JOIN unnest(enum_range(NULL::alert_kind)) AS k(kind)
     CROSS JOIN LATERAL (SELECT ($2::date[])[1 + f.n % array_length($2::date[], 1)] AS date) AS d
     ORDER BY f.n, f.train_id, k.kind
     LIMIT $1`,
    [total, dates],
  );
  await dataSource.query('ANALYZE favorites, armed_alerts');
  const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM armed_alerts');
  return count;
}

const alertFigures = (sample) => ({
  ms: sample.ms,
  sql_statements: sample.sql_statements + sample.alert_sql_statements,
  alert_sql_statements: sample.alert_sql_statements,
  alerts_evaluated: sample.alerts_evaluated,
  alerts_sent: sample.alerts_sent,
  redis_round_trips: sample.redis_round_trips,
});

export async function tickCost() {
  const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
  // 100,000 for the 10,000 runs of the issue: ten per run.
  const ALERTS = Number(process.env.BENCH_ALERTS ?? RUNS * 10);
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
  const { RiderAlertsService } = await import('../dist/src/tracking/rider-alerts.service.js');
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
  // The statements of the rider-alert step of each tick, counted apart from the ingest's.
  const riderAlerts = app.get(RiderAlertsService);
  const evaluateAlerts = riderAlerts.evaluate.bind(riderAlerts);
  let alertStatements = 0;
  riderAlerts.evaluate = async (...args) => {
    const before = statements;
    try {
      return await evaluateAlerts(...args);
    } finally {
      alertStatements += statements - before;
    }
  };
  const commands = async () => {
    const stats = await redis.info('commandstats');
    const calls = (name) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    // Round trips: each MGET, and each MULTI…EXEC batch, is one.
    return { mget: calls('mget'), exec: calls('exec'), total: [...stats.matchAll(/calls=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0) };
  };
  const measure = async (changeEvery, delayStep = 1) => {
    feed.observations = runs.map((run, index) => (index % changeEvery === 0 ? { ...run, delayMinutes: run.delayMinutes + delayStep } : run));
    runs.splice(0, runs.length, ...feed.observations);
    statements = 0;
    alertStatements = 0;
    const before = await commands();
    const started = performance.now();
    const report = await tracker.tick();
    const ms = performance.now() - started;
    const after = await commands();
    return {
      ms: Math.round(ms),
      changed: report.changed,
      rows_written: report.written,
      // The ingest's statements (issue #6's count); the alert step's are counted apart.
      sql_statements: statements - alertStatements,
      alert_sql_statements: alertStatements,
      alerts_evaluated: report.alertsEvaluated,
      alerts_sent: report.alertsSent,
      redis_round_trips: after.mget - before.mget + (after.exec - before.exec),
    };
  };
  const medianOf = async (changeEvery, count, delayStep = 1) => {
    const samples = [];
    for (let i = 0; i < count; i++) samples.push(await measure(changeEvery, delayStep));
    samples.sort((a, b) => a.ms - b.ms);
    return samples[Math.floor(samples.length / 2)];
  };

  await measure(1); // first sight of every run: all written
  await measure(1); // warm: every run changes
  const allChanged = await measure(1);
  const median = await medianOf(100, 5);

  // Issue #14: the same tick with ALERTS armed rider alerts. Two ticks first, so that the alerts of
  // the changing runs hold due times computed from their states, as they would in steady state.
  // Delays growing (as the ticks above) move alarms later, which the index takes without a write;
  // delays coming down move them sooner, and every alarm of a changed run is written.
  const armed = await armAlerts(dataSource, ALERTS, runs);
  await measure(100, -1);
  await measure(100, -1);
  const alertsSooner = await medianOf(100, 5, -1);
  const alertsLater = await medianOf(100, 5, 1);
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
    alerts: {
      armed,
      none: { ms: median.ms, sql_statements: median.sql_statements + median.alert_sql_statements, alert_sql_statements: median.alert_sql_statements },
      delays_growing: alertFigures(alertsLater),
      delays_coming_down: alertFigures(alertsSooner),
      ms_ratio: Math.round((Math.max(alertsLater.ms, alertsSooner.ms) / median.ms) * 100) / 100,
    },
  };
}
