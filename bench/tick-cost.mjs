// Creates the bench database, and measures the tick (issue #6 item 3, issue #16 part 5): N runs
// (10,000, then 100,000), 1% of them changing per tick, then all of them; and (issue #14 part 3)
// the 1% tick of 10,000 runs with 100,000 armed rider alerts against the same tick with none.
// Runs the built app (dist/) in this process against local PostgreSQL and Redis, with a
// generated status feed, and counts, in this process, the SQL statements of the tick (TypeORM's
// query runner; the timetable's periodic catalog version check is not the tick's; the rider-alert
// step's statements are counted apart from the ingest's) and the cache's Redis round trips (MGETs
// and MULTI…EXEC batches sent while none is awaiting its reply; those sent together wait
// together. node-redis reports them on diagnostics_channel, so other clients of a shared Redis do
// not count), and the longest event-loop block during each tick
// (perf_hooks.monitorEventLoopDelay, 10 ms resolution).
// The runs are runs that exist at the bench's simulated clock (bench/clock.mjs): the bench's
// trains on the service dates they run, today's first, then back a day at a time (forward from
// tomorrow for the alerts, whose alarms would otherwise all be due at once).
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

// The cache's round trips, counted from before the app opens its connection: one starts when an
// MGET or a MULTI is sent while no other is awaiting its reply (those sent together, which the
// client writes together, wait together).
let cacheRoundTrips = 0;
let cacheInFlight = 0;
const started = (context) => {
  if (String(context.command).toUpperCase() !== 'MGET' && context.batchMode !== 'MULTI') return;
  if (cacheInFlight++ === 0) cacheRoundTrips++;
  context.counted = true;
};
const settled = (context) => {
  if (context.counted) cacheInFlight--;
};
for (const name of ['command', 'batch']) dc.tracingChannel(`node-redis:${name}`).subscribe({ start: started, asyncEnd: settled, error: settled, end() {}, asyncStart() {} });

/**
 * `total` armed rider alerts, as many riders would have them: riders following every bench train,
 * each with a station (the train's second stop) and all four alerts on, armed on the given runs,
 * spread evenly over their dates. About one alert in a hundred is on a run the 1% tick changes.
 */
async function armAlerts(dataSource, total, runs) {
  const dates = [...new Set(runs.map((run) => run.serviceDate))].sort();
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
     WHERE u.email LIKE 'bench-rider-%' AND s.train_id = ANY($1::uuid[])`,
    [[...new Set(runs.map((run) => run.trainId))]],
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

/**
 * Creates, migrates and seeds the bench database with `trains` trains (bench/fixtures.mjs), then
 * measures a tick at each size, then, when `alerts` is given, the 1% tick of `alerts.runs` runs
 * with `alerts.armed` armed rider alerts against none. Returns the train numbers, a result per
 * size and the alerts' figures.
 * @param {{ trains?: number, sizes?: Array<{ runs: number, changedSamples?: number, allChangedSamples?: number }>, alerts?: { runs: number, armed: number, samples?: number } }} options
 */
export async function tickCost({ trains = 2000, sizes = [], alerts } = {}) {
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
  const { RiderAlertsService } = await import('../dist/src/tracking/rider-alerts.service.js');
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
  let alertFigures = null;
  try {
    numbers = await ensureTrains(BENCH_DATABASE_URL, trains);
    const dataSource = app.get(DataSource);
    const timetable = app.get(TimetableService);
    // The copies are in the catalog from the next version check on.
    timetable.invalidate();
    while ((await timetable.all()).size < numbers.length) await new Promise((resolve) => setTimeout(resolve, 200));
    if (sizes.length === 0 && !alerts) return { numbers, results, alerts: alertFigures };

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
      // A COPY is sent on the runner's connection itself (pg-copy-streams), not through query().
      const connect = runner.connect.bind(runner);
      runner.connect = async (...connectArgs) => {
        const client = await connect(...connectArgs);
        if (!client.countsCopies) {
          const send = client.query.bind(client);
          client.query = (...clientArgs) => {
            if (/^COPY /.test(clientArgs[0]?.text ?? '')) statements++;
            return send(...clientArgs);
          };
          client.countsCopies = true;
        }
        return client;
      };
      return runner;
    };

    // Runs that exist at the bench's clock: each train on the dates it runs, from today back
    // (or from tomorrow on, with `step` 1).
    const timetables = [...(await timetable.all()).values()];
    const today = localDate(new Date(BENCH_CLOCK_START), 'Asia/Kolkata');
    const runsOf = (count, step = -1) => {
      const runs = [];
      for (let days = step < 0 ? 0 : 1; runs.length < count; days++) {
        if (days > 3660) throw new Error(`only ${runs.length} runs in ten years of ${timetables.length} trains`);
        const date = addDays(today, step * days);
        for (const entry of timetables) {
          if (runs.length === count) break;
          if (!stopsOn(entry, date)) continue;
          runs.push({ trainId: entry.train.id, trainNumber: entry.train.number, serviceDate: date, phase: 'RUNNING', delayMinutes: 0, lastStopSequence: 1, departedLastStop: true, platform: null, stopUpdates: [], stopTimes: [] });
        }
      }
      return runs;
    };

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
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    /** One tick over `runs`, every `changeEvery`-th run's delay moved by `delayStep` minutes. */
    const measure = async (runs, changeEvery, delayStep = 1) => {
      feed.observations = runs.map((run, index) => (index % changeEvery === 0 ? { ...run, delayMinutes: run.delayMinutes + delayStep } : run));
      runs.splice(0, runs.length, ...feed.observations);
      statements = 0;
      alertStatements = 0;
      const trips = cacheRoundTrips;
      await new Promise((resolve) => setTimeout(resolve, 20)); // the loop settles; only the tick is watched
      loop.reset();
      const started = performance.now();
      const report = await tracker.tick();
      const ms = performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 20)); // the probe fires once more after a block
      if (!report.ran) throw new Error(`tick did not run: ${JSON.stringify(report)}`);
      return {
        ms,
        changed: report.changed,
        rows_written: report.written,
        // The ingest's statements (issue #6's count); the alert step's are counted apart.
        sql_statements: statements - alertStatements,
        alert_sql_statements: alertStatements,
        alerts_evaluated: report.alertsEvaluated,
        alerts_sent: report.alertsSent,
        redis_round_trips: cacheRoundTrips - trips,
        max_block_ms: loop.max / 1e6,
      };
    };
    const samplesOf = async (runs, count, changeEvery, delayStep = 1) => {
      const samples = [];
      for (let i = 0; i < count; i++) samples.push(await measure(runs, changeEvery, delayStep));
      return samples;
    };
    const middleOf = (samples) => [...samples].sort((a, b) => a.ms - b.ms)[Math.floor(samples.length / 2)];

    for (const { runs: count, changedSamples = 5, allChangedSamples = 3 } of sizes) {
      const runs = runsOf(count);
      progress(`${count} runs: first sight`);
      await measure(runs, 1); // first sight of every run: all written
      await measure(runs, 1); // warm: every run changes
      const allChanged = await samplesOf(runs, allChangedSamples, 1);
      progress(`${count} runs: all changing, ${Math.round(median(allChanged.map((s) => s.ms)))} ms`);
      const samples = await samplesOf(runs, changedSamples, 100);
      const middle = middleOf(samples);
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

    if (alerts) {
      // Issue #14: the 1% tick with `alerts.armed` armed alerts against the same tick with none, on
      // runs of their own (from tomorrow on, so that alarms wait for their due times).
      const { runs: count, armed: total, samples: sampleCount = 5 } = alerts;
      const runs = runsOf(count, 1);
      progress(`alerts: ${count} runs, none armed`);
      await measure(runs, 1);
      await measure(runs, 1);
      const none = await samplesOf(runs, sampleCount, 100);
      const armed = await armAlerts(dataSource, total, runs);
      progress(`alerts: ${armed} armed`);
      // Two ticks first, so that the alerts of the changing runs hold due times computed from their
      // states, as they would in steady state. Delays coming down move alarms sooner, and every
      // alarm of a changed run is written; delays growing move them later, which the index takes
      // without a write.
      await measure(runs, 100, -1);
      await measure(runs, 100, -1);
      const sooner = await samplesOf(runs, sampleCount, 100, -1);
      const later = await samplesOf(runs, sampleCount, 100, 1);
      const figures = (samples) => {
        const middle = middleOf(samples);
        return {
          ...medianWithSpread('ms', samples.map((s) => s.ms)),
          sql_statements: Math.max(...samples.map((s) => s.sql_statements + s.alert_sql_statements)),
          alert_sql_statements: Math.max(...samples.map((s) => s.alert_sql_statements)),
          alerts_evaluated: middle.alerts_evaluated,
          alerts_sent: middle.alerts_sent,
          redis_round_trips: Math.max(...samples.map((s) => s.redis_round_trips)),
        };
      };
      const noneFigures = figures(none);
      const soonerFigures = figures(sooner);
      const laterFigures = figures(later);
      alertFigures = {
        runs: count,
        armed,
        none: noneFigures,
        delays_growing: laterFigures,
        delays_coming_down: soonerFigures,
        // The slower of the two against none.
        ms_ratio: Math.round((Math.max(laterFigures.ms, soonerFigures.ms) / noneFigures.ms) * 100) / 100,
      };
    }
    loop.disable();
    return { numbers, results, alerts: alertFigures };
  } finally {
    await app.close();
    for (const key of Object.keys(process.env)) if (!(key in envBefore)) delete process.env[key];
    Object.assign(process.env, envBefore);
  }
}
