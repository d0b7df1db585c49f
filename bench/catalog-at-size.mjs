// The catalog at real size (issue #12 part 6), in one run on the full Indian catalog:
// - read endpoints (station search, nearby, board, trains-between, train route) against the live
//   status endpoint of the same instance, autocannon at 50 connections, interleaved;
// - the longest event-loop block inside the instance during a timetable reload and a tick
//   (bench/catalog-instance.mjs);
// - RSS of the idle instance with the catalog loaded;
// - import speed and peak RSS of a generated feed of 600,000 stop_times (bench/generate-feed.mjs).
// Uses databases of its own (train_tracker_bench_india, train_tracker_bench_import, plus BENCH_DB_SUFFIX).
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startChild } from './children.mjs';
import { importFeed, importSpeed, recreateDatabase } from './import-speed.mjs';
import { BENCH_DB_SUFFIX, POSTGRES_SERVER, productionEnv } from './processes.mjs';
import { median, medianWithSpread, sleep } from './stats.mjs';

const INDIA_DATABASE = `train_tracker_bench_india${BENCH_DB_SUFFIX}`;
const INDIA_FEED = fileURLToPath(new URL('../catalog/india/gtfs.zip', import.meta.url));
const INSTANCE_SCRIPT = fileURLToPath(new URL('./catalog-instance.mjs', import.meta.url));

const load = (url, seconds) =>
  new Promise((resolve, reject) => autocannon({ url, connections: 50, duration: seconds, pipelining: 1 }, (error, result) => (error ? reject(error) : resolve(result))));

/**
 * @param {{ seconds?: number, repetitions?: number, warmupSeconds?: number, reloads?: number, importStopTimes?: number }} options
 */
export async function catalogAtSize({ seconds = 10, repetitions = 2, warmupSeconds = 1, reloads = 3, importStopTimes = 600_000 } = {}) {
  const result = /** @type {Record<string, any>} */ ({});

  // The Indian catalog, through the same import path as `npm run import:gtfs`.
  await recreateDatabase(INDIA_DATABASE);
  const india = await importFeed(INDIA_FEED, INDIA_DATABASE);
  result.india_import_s = Math.round(india.seconds * 10) / 10;

  const instance = await startChild(INSTANCE_SCRIPT, {
    env: {
      ...productionEnv(`bench-size-${randomUUID().slice(0, 6)}:`),
      DATABASE_URL: `${POSTGRES_SERVER}/${INDIA_DATABASE}`,
      PORT: '0',
      DB_MIGRATE_ON_START: 'false',
      SEED_DEMO_DATA_WHEN_EMPTY: 'false',
      TRACKING_ENABLED: 'false',
    },
    timeoutMs: 120_000,
  });
  try {
    const base = `http://127.0.0.1:${instance.ready.port}/api/v1`;
    const idle = await instance.call('stats', { gc: true });
    result.trains = idle.trains;
    result.idle_rss_mb = Math.round(idle.rss / 2 ** 20);

    const reloadRuns = [];
    for (let i = 0; i < reloads; i++) reloadRuns.push(await instance.call('reload'));
    Object.assign(result, medianWithSpread('reload_ms', reloadRuns.map((run) => run.ms)));
    result.reload_max_block_ms = Math.max(...reloadRuns.map((run) => run.max_block_ms));
    result.reload_longest_gc_ms = Math.max(...reloadRuns.map((run) => run.longest_gc_ms));

    // The first tick creates the runs of every train under way; the second is a steady one.
    const ticks = [await instance.call('tick', {}, 300_000), await instance.call('tick', {}, 300_000)];
    result.tick_observed_runs = ticks[0].report?.observed ?? null;
    result.first_tick_ms = ticks[0].ms;
    result.tick_ms = ticks[1].ms;
    result.tick_max_block_ms = Math.max(...ticks.map((tick) => tick.max_block_ms));
    result.tick_longest_gc_ms = Math.max(...ticks.map((tick) => tick.longest_gc_ms));
    result.tick_report = ticks[1].report;

    // A train with a cached run for the status endpoint: 12951 when under way, else the first that is.
    const { items } = await (await fetch(`${base}/trains?limit=100`)).json();
    let train;
    for (const number of ['12951', ...items.map((item) => item.number)]) {
      const response = await fetch(`${base}/trains/${number}/status`);
      if (response.ok && (await response.json()).version > 0) {
        train = number;
        break;
      }
    }
    if (!train) throw new Error('no train with a cached status after two ticks');
    result.status_train = train;

    const targets = {
      status: `${base}/trains/${train}/status`,
      station_search: `${base}/stations?q=mumbai`,
      nearby: `${base}/stations/nearby?lat=28.6429&lon=77.2191&radiusKm=10`,
      board: `${base}/stations/NDLS/board?hours=2`,
      trains_between: `${base}/trains/between?from=NDLS&to=HWH`,
      train_route: `${base}/trains/12951/route`,
    };
    for (const [name, url] of Object.entries(targets)) {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${name}: ${url} answered ${response.status}`);
    }
    if (warmupSeconds > 0) for (const url of Object.values(targets)) await load(url, warmupSeconds); // warm-up
    const runs = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
    // Interleaved, so drift on a shared machine hits all alike.
    for (let i = 0; i < repetitions; i++) for (const [name, url] of Object.entries(targets)) runs[name].push(await load(url, seconds));
    result.endpoints = Object.fromEntries(
      Object.entries(runs).map(([name, results]) => [
        name,
        {
          ...medianWithSpread('rps', results.map((r) => r.requests.average)),
          p50_ms: median(results.map((r) => r.latency.p50)),
          p99_ms: median(results.map((r) => r.latency.p99)),
          errors: results.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
        },
      ]),
    );
    const statusRps = result.endpoints.status.rps;
    for (const [name, figures] of Object.entries(result.endpoints)) if (name !== 'status') figures.vs_status = Math.round((figures.rps / statusRps) * 100) / 100;
    const after = await instance.call('stats', { gc: true });
    result.rss_after_load_mb = Math.round(after.rss / 2 ** 20);
  } finally {
    await instance.stop();
  }

  // Import speed: a generated feed into an empty database (bench/import-speed.mjs).
  result.import = await importSpeed({ stopTimes: importStopTimes });
  return result;
}

// Standalone: node bench/catalog-at-size.mjs [--quick]
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const result = await catalogAtSize(quick ? { seconds: 2, repetitions: 1, warmupSeconds: 0, reloads: 1, importStopTimes: 100_000 } : {});
  console.log(JSON.stringify(result, null, 2));
  await sleep(0);
  process.exit(0);
}
