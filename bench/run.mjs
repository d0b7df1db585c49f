// npm run bench: runs the benchmarks, prints a table per section and the targets of issues #6,
// #12, #14 and #16 against this run's figures, and writes bench/results.json.
//   -- --quick            everything smaller (< 2 min on the reference machine when it is quiet)
//   -- --only a,b         only these sections (results.json is then not written): tick, alerts,
//                         tick100k, status, overload, fanout, fanout20k, push_vs_poll, catalog_at_size
//   -- --profile          also split the status request's CPU into the pieces of its path
// Every app it starts runs on one simulated clock from BENCH_CLOCK_START (bench/clock.mjs), so
// the results do not depend on the hour the bench is run at; each section picks runs that
// exist at that clock. Repeated measurements report their spread beside the median
// (`<figure>_spread_pct`: (max − min) / median).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { catalogAtSize } from './catalog-at-size.mjs';
import { BENCH_CLOCK_START, checkBenchClock } from './clock.mjs';
import { fanout } from './fanout.mjs';
import { overload } from './overload.mjs';
import { pushVsPoll } from './push-vs-poll.mjs';
import { statusEndpoint } from './status-endpoint.mjs';
import { progress, shown } from './stats.mjs';
import { tickCost } from './tick-cost.mjs';

const SECTIONS = ['tick', 'alerts', 'tick100k', 'status', 'overload', 'fanout', 'fanout20k', 'push_vs_poll', 'catalog_at_size'];
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const profile = argv.includes('--profile');
const onlyArg = argv.find((arg) => arg.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : argv[argv.indexOf(onlyArg) + 1] ?? '').split(',').filter(Boolean) : SECTIONS;
const unknown = only.filter((name) => !SECTIONS.includes(name));
if (unknown.length > 0 || only.length === 0) throw new Error(`--only: sections are ${SECTIONS.join(', ')} (got ${only.join(',') || 'none'})`);
const runs = (section) => only.includes(section);

/**
 * Each section's size, full and --quick. Quick keeps every section and shrinks it to stay within
 * two minutes on the reference machine: it checks that the bench works, not the targets.
 * The bench database has 2,000 trains (issue #16's fan-out); the other sections use the first
 * 500 (or the 24 demo trains).
 */
const SIZES = quick
  ? {
      trains: 500,
      tick: { runs: 2000, changedSamples: 3, allChangedSamples: 1 },
      alerts: { runs: 2000, armed: 20_000, samples: 3 },
      tick100k: { runs: 5000, changedSamples: 3, allChangedSamples: 1 },
      status: { seconds: 1, repetitions: 1, warmupSeconds: 0.5 },
      overload: { calibrateSeconds: 1, beforeSeconds: 2, stepSeconds: 2, afterSeconds: 4 },
      fanout: { trains: 100, clients: 500, ticks: 2, spacingMs: 500, graceMs: 500 },
      fanout20k: { trains: 200, clients: 1000, ticks: 2, spacingMs: 500, graceMs: 500 },
      push_vs_poll: { trains: 100, clients: 500, seconds: 2, tickMs: 2000, periodMs: 1000 },
      catalog_at_size: { seconds: 1, repetitions: 1, warmupSeconds: 0, reloads: 1, importStopTimes: 20_000 },
    }
  : {
      trains: 2000,
      tick: { runs: 10_000, changedSamples: 5, allChangedSamples: 3 },
      alerts: { runs: 10_000, armed: 100_000, samples: 5 },
      tick100k: { runs: 100_000, changedSamples: 5, allChangedSamples: 2 },
      status: { seconds: 10, repetitions: 3, warmupSeconds: 2 },
      overload: {},
      fanout: { trains: 500, clients: 5000, ticks: 10, graceMs: 2000 },
      fanout20k: { trains: 2000, clients: 20_000, ticks: 10, graceMs: 2000 },
      push_vs_poll: { trains: 500, clients: 2000, seconds: 60 },
      catalog_at_size: {},
    };
const trainsFor = ({ trains, ...options }) => ({ numbers: numbers.slice(0, trains), ...options });

// Well over what the bench takes (about 2 min quick, 20 full), so a slow machine stays covered.
checkBenchClock(quick ? 15 : 45);
console.log(`Simulated clock: from ${BENCH_CLOCK_START}, at real speed${only === SECTIONS ? '' : `; sections: ${only.join(', ')}`}`);
const started = performance.now();
const timings = {};
const timed = async (section, work) => {
  const at = performance.now();
  progress(section, 'start');
  const result = await work();
  timings[section] = Math.round((performance.now() - at) / 1000);
  return result;
};

const results = /** @type {Record<string, any>} */ ({
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, quick },
  clock_start: BENCH_CLOCK_START,
});
const target = (value, goal, met) => ({ value, target: goal, met: met ? 'met' : 'not met' });
const targets = {};

// The bench database (migrated, demo catalog plus copies), the tick at 10,000 and 100,000 runs,
// and the tick of 10,000 runs with 100,000 armed rider alerts against none.
const { numbers, results: ticks, alerts: alertTicks } = await timed('tick', () =>
  tickCost({
    trains: SIZES.trains,
    sizes: [...(runs('tick') ? [SIZES.tick] : []), ...(runs('tick100k') ? [SIZES.tick100k] : [])],
    alerts: runs('alerts') ? SIZES.alerts : undefined,
  }),
);
if (runs('tick')) {
  const t = (results.tick = ticks.shift());
  console.table({ tick: t });
  Object.assign(targets, {
    'tick rows written = changed': target(t.rows_written, `= ${t.changed}`, t.rows_written === t.changed),
    'tick SQL statements': target(t.sql_statements, '≤ 4', t.sql_statements <= 4),
    'tick Redis round trips': target(t.redis_round_trips, '≤ 3', t.redis_round_trips <= 3),
    [`tick ms, 1% of ${t.runs} changing`]: target(shown(t.ms, t.ms_spread_pct), '≤ 300', t.ms <= 300),
    [`tick ms, all ${t.runs} changing`]: target(shown(t.all_changed_ms, t.all_changed_ms_spread_pct), '≤ 2000', t.all_changed_ms <= 2000),
  });
}
if (runs('alerts')) {
  const al = (results.alerts = alertTicks);
  console.log(`Rider alerts: the tick of ${al.runs} runs, 1% changing, with ${al.armed} armed alerts against none`);
  console.table({ 'no alerts': al.none, [`${al.armed} alerts, delays growing`]: al.delays_growing, [`${al.armed} alerts, delays coming down`]: al.delays_coming_down });
  const alertStatements = Math.max(al.delays_growing.alert_sql_statements, al.delays_coming_down.alert_sql_statements);
  Object.assign(targets, {
    // The slower of the two alert ticks (delays growing, delays coming down) against the tick with none.
    [`tick ms, ${al.armed} alerts / none`]: target(al.ms_ratio, '≤ 1.5', al.ms_ratio <= 1.5),
    // The alert step reads the index (due alerts, alerts of changed runs), writes in one transaction, reads the next due time: a constant.
    [`alert SQL statements per tick (${al.armed} alerts)`]: target(alertStatements, '≤ 10', alertStatements <= 10),
  });
}
/** A count of the 100,000-run tick (`key`, and `all_changed_${key}`) against the 10,000-run tick's: the same, 1% changing and all. */
function constantAsAt10k(t, key) {
  const small = results.tick;
  const shownValue = `${t[key]} / ${t[`all_changed_${key}`]}`;
  if (!small) return target(shownValue, 'constant (run the tick section too)', false);
  return target(shownValue, `constant: ${small[key]} / ${small[`all_changed_${key}`]} at ${small.runs} runs`, t[key] === small[key] && t[`all_changed_${key}`] === small[`all_changed_${key}`]);
}
if (runs('tick100k')) {
  const t = (results.tick100k = ticks.shift());
  console.table({ tick100k: t });
  Object.assign(targets, {
    [`tick ms, 1% of ${t.runs} changing`]: target(shown(t.ms, t.ms_spread_pct), '≤ 1000', t.ms <= 1000),
    [`tick ms, all ${t.runs} changing`]: target(shown(t.all_changed_ms, t.all_changed_ms_spread_pct), '≤ 10000', t.all_changed_ms <= 10_000),
    // Constant: as many as the 10,000-run tick's, 1% changing and all (when that section ran too).
    [`tick SQL statements (${t.runs} runs, 1% / all)`]: constantAsAt10k(t, 'sql_statements'),
    [`tick Redis round trips (${t.runs} runs, 1% / all)`]: constantAsAt10k(t, 'redis_round_trips'),
    [`tick longest event-loop block (${t.runs} runs, ms)`]: target(t.max_block_ms, '≤ 100', t.max_block_ms <= 100),
  });
}

if (runs('status')) {
  const st = (results.status = await timed('status', () => statusEndpoint({ ...SIZES.status, profile })));
  const { profile: pieces, ...figures } = st;
  console.log(`Status endpoint, train ${st.train}, 100 connections; server CPU per answer: ours ${st.ours_cpu_us} µs, NestJS ${st.nest_cpu_us} µs (${st.nest_cpu_to_ours} of ours), 304 ${st.not_modified_cpu_us} µs, bare ${st.bare_cpu_us} µs`);
  console.table({
    ours: { rps: shown(st.ours_rps, st.ours_rps_spread_pct), p99_ms: shown(st.ours_p99_ms, st.ours_p99_ms_spread_pct) },
    'ours, 304 (If-None-Match)': { rps: shown(st.not_modified_rps, st.not_modified_rps_spread_pct), p99_ms: st.not_modified_p99_ms },
    'ours behind nginx micro-cache': st.nginx_rps === null ? { rps: 'skipped: nginx not installed' } : { rps: shown(st.nginx_rps, st.nginx_rps_spread_pct), p99_ms: st.nginx_p99_ms },
    'NestJS on Express, one controller': { rps: shown(st.nest_rps, st.nest_rps_spread_pct), p99_ms: shown(st.nest_p99_ms, st.nest_p99_ms_spread_pct) },
    'NestJS on Fastify': { rps: st.nest_fastify_rps, p99_ms: st.nest_fastify_p99_ms },
    Express: { rps: st.express_rps, p99_ms: st.express_p99_ms },
    'bare node:http': { rps: st.bare_rps, p99_ms: st.bare_p99_ms },
  });
  if (pieces) {
    for (const [name, cost] of Object.entries(pieces)) {
      console.log(`CPU per status request, ${name}: ${cost.us_per_request} µs at ${cost.rps} req/s (profile ${cost.file})`);
      console.table(cost.pieces);
    }
    results.status_profile = Object.fromEntries(Object.entries(pieces).map(([name, { file: _file, ...cost }]) => [name, cost]));
  }
  results.status = figures;
  Object.assign(targets, {
    'status req/s, ours / NestJS on Express': target(st.ours_to_nest, '≥ 0.8', st.ours_to_nest >= 0.8),
    'status p99, ours / NestJS on Express': target(`${st.ours_p99_ms} / ${st.nest_p99_ms} ms = ${st.ours_p99_to_nest}`, '≤ 1.5', st.ours_p99_to_nest <= 1.5),
    'status req/s, ours / bare node:http': target(st.ratio, '≥ 0.5 (issue #6)', st.ratio >= 0.5),
    'status p99 (ms)': target(st.ours_p99_ms, '< 20 (issue #6)', st.ours_p99_ms < 20),
  });
}

if (runs('overload')) {
  const o = (results.overload = await timed('overload', () => overload(SIZES.overload)));
  console.log(`Overload: ${o.sustainable_rps} req/s (60% of ${o.closed_loop_rps} closed-loop), then ${o.peak_rps} req/s for ${o.step_s} s, then back`);
  console.table({ overload: o });
  Object.assign(targets, {
    'overload: recovery to the normal p99 (s)': target(o.recovery_s, '≤ 10', o.recovery_s !== null && o.recovery_s <= 10),
    'overload: PostgreSQL queries during the step': target(o.pg_queries_during, '0', o.pg_queries_during === 0),
  });
}

if (runs('fanout')) {
  const live = await timed('fanout', () => fanout(trainsFor(SIZES.fanout)));
  Object.assign(results, live);
  const f = results.fanout;
  const s = results.scale;
  console.log(`Fan-out: ${f.clients} clients on ${f.trains} trains, ${f.ticks} ticks, ${f.published} status events → ${f.events} deliveries`);
  console.table({
    ours: { p50_ms: f.p50_ms, p99_ms: f.p99_ms, tick_p99_ms: shown(f.tick_p99_median_ms, f.tick_p99_spread_pct), max_ms: f.max_ms, lost: f.lost, rss_per_conn_kb: f.rss_per_conn_kb },
    bare: { p50_ms: f.bare_p50_ms, p99_ms: f.bare_p99_ms, tick_p99_ms: shown(f.bare_tick_p99_median_ms, f.bare_tick_p99_spread_pct), max_ms: f.bare_max_ms, lost: f.bare_lost, rss_per_conn_kb: f.bare_rss_per_conn_kb },
  });
  console.log(`Scale-out: ticks on instance A, half the clients on instance B (Redis adapter), ${s.events} deliveries`);
  console.table({
    '1 instance': { p99_ms: s.one_instance_p99_ms, lost: s.one_instance_lost },
    '2 instances': { p50_ms: s.p50_ms, p99_ms: s.p99_ms, max_ms: s.max_ms, lost: s.lost },
  });
  Object.assign(targets, {
    [`fan-out p99, ${f.clients} clients (ms)`]: target(f.p99_ms, '≤ 250', f.p99_ms <= 250),
    [`fan-out lost, ${f.clients} clients`]: target(f.lost, '0', f.lost === 0),
    [`fan-out p99 / bare p99, ${f.clients} clients`]: target(f.p99_vs_bare, '≤ 1.3', f.p99_vs_bare <= 1.3),
    'scale-out lost (2 instances)': target(s.lost, '0', s.lost === 0),
  });
}

if (runs('fanout20k')) {
  const { fanout: f } = await timed('fanout20k', () =>
    fanout({ ...trainsFor(SIZES.fanout20k), scale: false, label: 'fan-out 20k' }),
  );
  results.fanout20k = f;
  console.log(`Fan-out, issue #16: ${f.clients} clients on ${f.trains} trains${f.clients_limited_by ? ` (limited by ${f.clients_limited_by})` : ''}, ${f.ticks} ticks, ${f.events} deliveries`);
  console.table({
    ours: { p50_ms: f.p50_ms, p99_ms: f.p99_ms, tick_p99_ms: shown(f.tick_p99_median_ms, f.tick_p99_spread_pct), max_ms: f.max_ms, lost: f.lost, rss_per_conn_kb: f.rss_per_conn_kb, heap_per_conn_kb: f.heap_per_conn_kb },
    bare: { p50_ms: f.bare_p50_ms, p99_ms: f.bare_p99_ms, tick_p99_ms: shown(f.bare_tick_p99_median_ms, f.bare_tick_p99_spread_pct), max_ms: f.bare_max_ms, lost: f.bare_lost, rss_per_conn_kb: f.bare_rss_per_conn_kb, heap_per_conn_kb: f.bare_heap_per_conn_kb },
  });
  Object.assign(targets, {
    [`fan-out p99, ${f.clients} clients (ms)`]: target(f.p99_ms, '≤ 250', f.p99_ms <= 250),
    [`fan-out lost, ${f.clients} clients`]: target(f.lost, '0', f.lost === 0),
    [`fan-out p99 / bare p99, ${f.clients} clients`]: target(f.p99_vs_bare, '≤ 1.3', f.p99_vs_bare <= 1.3),
    [`memory per connection / bare, ${f.clients} clients`]: target(`${f.rss_per_conn_kb} / ${f.bare_rss_per_conn_kb} KiB = ${f.rss_per_conn_vs_bare}`, '≤ 1.2', f.rss_per_conn_vs_bare <= 1.2),
  });
}

if (runs('push_vs_poll')) {
  const { result: pvp, redisByCommand } = await timed('push_vs_poll', () => pushVsPoll(trainsFor(SIZES.push_vs_poll)));
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
  Object.assign(targets, {
    'poll / push CPU': target(pvp.cpu_ratio, '≥ 10', pvp.cpu_ratio >= 10),
    'poll / push queries': target(pvp.db_ratio, '≥ 10', pvp.db_ratio >= 10),
  });
}

// Issue #12 part 6: the full Indian catalog (its own databases), then a generated 600k-stop_times
// feed imported (20k with --quick, to stay within its time).
if (runs('catalog_at_size')) {
  const size = (results.catalog_at_size = await timed('catalog_at_size', () =>
    catalogAtSize(SIZES.catalog_at_size),
  ));
  console.log(`Catalog at size: ${size.trains} trains (imported in ${size.india_import_s} s), status endpoint on train ${size.status_train}, 50 connections`);
  console.table(size.endpoints);
  console.table({
    'timetable reload': { ms: size.reload_ms, max_block_ms: size.reload_max_block_ms, longest_gc_ms: size.reload_longest_gc_ms },
    [`tick (${size.tick_observed_runs} runs)`]: { ms: size.tick_ms, max_block_ms: size.tick_max_block_ms, longest_gc_ms: size.tick_longest_gc_ms },
  });
  console.table({ import: size.import, idle: { rss_mb: size.idle_rss_mb, rss_after_load_mb: size.rss_after_load_mb } });
  const readEndpoints = Object.entries(size.endpoints).filter(([name]) => name !== 'status');
  Object.assign(targets, {
    ...Object.fromEntries(readEndpoints.map(([name, e]) => [`India ${name} req/s / status req/s`, target(e.vs_status, '≥ 0.5', e.vs_status >= 0.5)])),
    'India timetable reload, longest block (ms)': target(size.reload_max_block_ms, '≤ 50', size.reload_max_block_ms <= 50),
    'India tick, longest block (ms)': target(size.tick_max_block_ms, '≤ 50', size.tick_max_block_ms <= 50),
    'India idle RSS (MB)': target(size.idle_rss_mb, '≤ 400', size.idle_rss_mb <= 400),
    [`import stop_times/s (${size.import.stop_times})`]: target(size.import.stop_times_per_s, '≥ 50000', size.import.stop_times_per_s >= 50_000),
    'import peak RSS (MB)': target(size.import.peak_rss_mb, '≤ 500', size.import.peak_rss_mb <= 500),
  });
  size.targets = Object.fromEntries(
    Object.entries({
      ...Object.fromEntries(readEndpoints.map(([name, e]) => [`${name}_vs_status`, e.vs_status >= 0.5])),
      reload_max_block: size.reload_max_block_ms <= 50,
      tick_max_block: size.tick_max_block_ms <= 50,
      idle_rss: size.idle_rss_mb <= 400,
      import_rate: size.import.stop_times_per_s >= 50_000,
      import_peak_rss: size.import.peak_rss_mb <= 500,
    }).map(([name, ok]) => [name, ok ? 'met' : 'not met']),
  );
}

// The issues' targets, against this run's numbers.
console.table(targets);
// Each target with the figure it was judged on, so the README's table can be written from the file.
results.targets = targets;
results.wall_s = Math.round((performance.now() - started) / 1000);
results.section_s = timings;
console.log(`Seconds per section: ${JSON.stringify(timings)}; ${results.wall_s} s in all`);
if (only === SECTIONS) {
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log('Wrote bench/results.json');
} else {
  console.log('Some sections only: bench/results.json not written');
}
process.exit(0);
