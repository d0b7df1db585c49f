// npm run bench: runs the benchmarks, prints a table per section and writes bench/results.json.
// Tick cost (issue #6 item 3; with 100,000 armed rider alerts against none, issue #14 part 3),
// the status endpoint against bare node:http (item 1), fan-out
// against a bare Socket.IO server (item 2), push vs polling (item 4) and scale-out over two
// instances with the Redis adapter (item 5). `-- --quick` runs everything smaller (< 2 min).
// Every app it starts runs on one simulated clock from BENCH_CLOCK_START (bench/clock.mjs), so
// the results do not depend on the hour the bench is run at.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { catalogAtSize } from './catalog-at-size.mjs';
import { BENCH_CLOCK_START, checkBenchClock } from './clock.mjs';
import { fanout } from './fanout.mjs';
import { ensureTrains } from './fixtures.mjs';
import { BENCH_DATABASE_URL } from './processes.mjs';
import { pushVsPoll } from './push-vs-poll.mjs';
import { statusEndpoint } from './status-endpoint.mjs';
import { tickCost } from './tick-cost.mjs';

const quick = process.argv.includes('--quick');
if (quick) process.env.BENCH_RUNS ??= '2000';
// Well over what the bench takes (about 2.5 min quick, 9 full), so a slow machine stays covered.
checkBenchClock(quick ? 15 : 30);
console.log(`Simulated clock: from ${BENCH_CLOCK_START}, at real speed`);
const started = performance.now();

const results = /** @type {Record<string, any>} */ ({
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, quick },
  clock_start: BENCH_CLOCK_START,
  tick: await tickCost(), // also creates, migrates and seeds the bench database
});
results.status = await statusEndpoint(quick ? { seconds: 3, repetitions: 1, warmupSeconds: 1 } : {});
console.table({ status: results.status });
const { alerts: _alerts, ...tickFigures } = results.tick;
console.table({ tick: tickFigures });
const al = results.tick.alerts;
console.log(`Rider alerts: the same tick (${results.tick.runs} runs, 1% changing) with ${al.armed} armed alerts against none`);
console.table({ 'no alerts': al.none, [`${al.armed} alerts, delays growing`]: al.delays_growing, [`${al.armed} alerts, delays coming down`]: al.delays_coming_down });

// 500 trains for the Socket.IO benchmarks (instances start after this: they load the timetable).
const numbers = await ensureTrains(BENCH_DATABASE_URL, 500);

const live = await fanout({ numbers, clients: 5000, ticks: quick ? 3 : 10, graceMs: quick ? 1000 : 2000 });
Object.assign(results, live);
const f = results.fanout;
console.log(`Fan-out: ${f.clients} clients on ${f.trains} trains, ${f.ticks} ticks, ${f.published} status events → ${f.events} deliveries`);
console.table({
  ours: { p50_ms: f.p50_ms, p99_ms: f.p99_ms, max_ms: f.max_ms, lost: f.lost, rss_per_conn_kb: f.rss_per_conn_kb },
  bare: { p50_ms: f.bare_p50_ms, p99_ms: f.bare_p99_ms, max_ms: f.bare_max_ms, lost: f.bare_lost, rss_per_conn_kb: f.bare_rss_per_conn_kb },
});
const s = results.scale;
console.log(`Scale-out: ticks on instance A, half the clients on instance B (Redis adapter), ${s.events} deliveries`);
console.table({
  '1 instance': { p99_ms: s.one_instance_p99_ms, lost: s.one_instance_lost },
  '2 instances': { p50_ms: s.p50_ms, p99_ms: s.p99_ms, max_ms: s.max_ms, lost: s.lost },
});

const { result: pvp, redisByCommand } = await pushVsPoll({ numbers, clients: 2000, seconds: quick ? 10 : 60 });
results.push_vs_poll = pvp;
console.log(`Push vs poll: ${pvp.clients} clients, ${pvp.seconds} s each, ${pvp.poll_requests} polls (${pvp.poll_errors} errors), ${pvp.push_events} pushes (${pvp.push_lost} lost)`);
console.table({
  poll: { cpu_s: pvp.poll_cpu_s, db_queries: pvp.poll_db_queries, pg_queries: pvp.poll_pg_queries, redis_commands: pvp.poll_redis_commands, p99_ms: pvp.poll_p99_ms },
  push: { cpu_s: pvp.push_cpu_s, db_queries: pvp.push_db_queries, pg_queries: pvp.push_pg_queries, redis_commands: pvp.push_redis_commands, p99_ms: pvp.push_p99_ms },
  'no clients (ticks only)': { cpu_s: pvp.idle_cpu_s, db_queries: pvp.idle_db_queries },
  'poll / push': { cpu_s: pvp.cpu_ratio, db_queries: pvp.db_ratio },
  'poll, minus ticks only': { cpu_s: pvp.poll_client_cpu_s, db_queries: pvp.poll_client_db_queries },
  'push, minus ticks only': { cpu_s: pvp.push_client_cpu_s, db_queries: pvp.push_client_db_queries },
});
console.log('Redis commands by name:', JSON.stringify(redisByCommand));

// Issue #12 part 6: the full Indian catalog (its own databases), then a generated 600k-stop_times
// feed imported (100k with --quick, to stay within its time).
const size = (results.catalog_at_size = await catalogAtSize(quick ? { seconds: 2, repetitions: 1, warmupSeconds: 0, reloads: 1, importStopTimes: 100_000 } : {}));
console.log(`Catalog at size: ${size.trains} trains (imported in ${size.india_import_s} s), status endpoint on train ${size.status_train}, 50 connections`);
console.table(size.endpoints);
console.table({
  'timetable reload': { ms: size.reload_ms, max_block_ms: size.reload_max_block_ms, longest_gc_ms: size.reload_longest_gc_ms },
  [`tick (${size.tick_observed_runs} runs)`]: { ms: size.tick_ms, max_block_ms: size.tick_max_block_ms, longest_gc_ms: size.tick_longest_gc_ms },
});
console.table({ import: size.import, idle: { rss_mb: size.idle_rss_mb, rss_after_load_mb: size.rss_after_load_mb } });

// The targets, against this run's numbers.
const target = (value, goal, met) => ({ value, target: goal, met });
const st = results.status;
const t = results.tick;
console.table({
  'status req/s, ours / bare': target(st.ratio, '≥ 0.5', st.ratio >= 0.5),
  'status p99 (ms)': target(st.ours_p99_ms, '< 20', st.ours_p99_ms < 20),
  'tick rows written = changed': target(t.rows_written, `= ${t.changed}`, t.rows_written === t.changed),
  'tick SQL statements (ingest)': target(t.sql_statements, '≤ 4', t.sql_statements <= 4),
  // The slower of the two alert ticks (delays growing, delays coming down) against the tick with none.
  [`tick ms, ${al.armed} alerts / none`]: target(al.ms_ratio, '≤ 1.5', al.ms_ratio <= 1.5),
  // The alert step reads the index (due alerts, alerts of changed runs), writes in one transaction, reads the next due time: a constant.
  [`alert SQL statements per tick (${al.armed} alerts)`]: target(
    Math.max(al.delays_growing.alert_sql_statements, al.delays_coming_down.alert_sql_statements),
    '≤ 10',
    Math.max(al.delays_growing.alert_sql_statements, al.delays_coming_down.alert_sql_statements) <= 10,
  ),
  'tick Redis round trips': target(t.redis_round_trips, '≤ 3', t.redis_round_trips <= 3),
  'tick ms, 1% changing': target(t.ms, '≤ 300', t.ms <= 300),
  'tick ms, all changing': target(t.all_changed_ms, '≤ 2000', t.all_changed_ms <= 2000),
  'fan-out p99 (ms)': target(f.p99_ms, '≤ 250', f.p99_ms <= 250),
  'fan-out lost': target(f.lost, '0', f.lost === 0),
  'fan-out p99 / bare p99': target(f.p99_vs_bare, '≤ 1.3', f.p99_vs_bare <= 1.3),
  'poll / push CPU': target(pvp.cpu_ratio, '≥ 10', pvp.cpu_ratio >= 10),
  'poll / push queries': target(pvp.db_ratio, '≥ 10', pvp.db_ratio >= 10),
  'scale-out lost (2 instances)': target(s.lost, '0', s.lost === 0),
  ...Object.fromEntries(
    Object.entries(size.endpoints)
      .filter(([name]) => name !== 'status')
      .map(([name, e]) => [`India ${name} req/s / status req/s`, target(e.vs_status, '≥ 0.5', e.vs_status >= 0.5)]),
  ),
  'India timetable reload, longest block (ms)': target(size.reload_max_block_ms, '≤ 50', size.reload_max_block_ms <= 50),
  'India tick, longest block (ms)': target(size.tick_max_block_ms, '≤ 50', size.tick_max_block_ms <= 50),
  'India idle RSS (MB)': target(size.idle_rss_mb, '≤ 400', size.idle_rss_mb <= 400),
  [`import stop_times/s (${size.import.stop_times})`]: target(size.import.stop_times_per_s, '≥ 50000', size.import.stop_times_per_s >= 50_000),
  'import peak RSS (MB)': target(size.import.peak_rss_mb, '≤ 500', size.import.peak_rss_mb <= 500),
});
const met = Object.fromEntries(
  Object.entries({
    ...Object.fromEntries(Object.entries(size.endpoints).filter(([name]) => name !== 'status').map(([name, e]) => [`${name}_vs_status`, e.vs_status >= 0.5])),
    reload_max_block: size.reload_max_block_ms <= 50,
    tick_max_block: size.tick_max_block_ms <= 50,
    idle_rss: size.idle_rss_mb <= 400,
    import_rate: size.import.stop_times_per_s >= 50_000,
    import_peak_rss: size.import.peak_rss_mb <= 500,
  }).map(([name, ok]) => [name, ok ? 'met' : 'not met']),
);
size.targets = met;

results.wall_s = Math.round((performance.now() - started) / 1000);
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(`Wrote bench/results.json (${results.wall_s} s)`);
process.exit(0);
