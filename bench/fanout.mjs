// Fan-out (issue #6, item 2; issue #16 part 4: 20,000 clients over 2,000 trains) and scale-out
// (issue #6 item 5).
// N Socket.IO clients in a few load-generator processes, spread evenly over the trains (5,000 over
// 500, 10 per train). Each tick changes 10% of the trains; a delivery's latency runs from the
// instance's publishStatus (just before the emit) to the client's receipt. Memory per connection
// is the growth of the server's RSS (and JS heap) from before the clients connect to after, both
// after a full collection, over the number of clients. Phases over the same clients, in one run:
//   ours  — one app instance (production setup: Redis adapter on), ticks driven by hand;
//   scale — a second instance of the same cluster, half the clients moved to it, ticks on the
//           first: events reach the second instance's clients through the Redis adapter;
//   bare  — a plain Socket.IO server broadcasting the payloads the clients received from ours,
//           to the same rooms, tick by tick with the same spacing.
// (`scale: false` skips the second.)
//
// Load-generator limits, for large N (README, Performance):
// - open files: each socket is a file descriptor on both ends. A generator holds N / generators,
//   the server all N plus ~50 of its own; the limit is per process (`ulimit -n`, 20,000 on the
//   reference machine). Past it the server is started under prlimit when that is allowed, else
//   the section runs with as many clients as fit and says so (`clients_limited_by`);
// - ephemeral ports: every client connects from 127.0.0.1 to one address and port, so at most
//   as many as net.ipv4.ip_local_port_range holds (32768–60999: 28,232) can be open at once to
//   one server; the bare server listens on another port, so its clients do not collide with
//   ours' (nor with ours' TIME_WAIT, which net.ipv4.tcp_tw_reuse lets loopback reuse anyway).
import { randomUUID } from 'node:crypto';
import { assignClients, startBareServer, startGenerators, startInstance, subscribersOf, tenPercentPerTick } from './processes.mjs';
import { canOpenFiles, openFilesLimit } from './children.mjs';
import { median, progress as logProgress, quantile, round, sleep, spreadPct } from './stats.mjs';

/** Open files a server needs besides its clients' sockets (database and Redis connections, listeners, stdio). */
const SERVER_FILES = 200;

/**
 * Deliveries of the published events to the clients: expected (Σ subscribers of each event's
 * train), received (once per client and event), lost, latencies over all ticks, and the median
 * over ticks of each tick's p99 (each tick is a repetition; one slow tick weighs less there).
 * @param {Array<Array<[string, number, number]>>} perTick per tick: train number, version, publish time
 * @param {Map<string, number>} subscribers per train number
 * @param {Array<{receipts: Array<string | number>}>} takes receipts of every generator
 */
export function deliveries(perTick, subscribers, takes) {
  const published = new Map();
  perTick.forEach((events, tick) => events.forEach(([number, version, at]) => published.set(`${number}:${version}`, { at, tick })));
  const expected = perTick.flat().reduce((sum, [number]) => sum + (subscribers.get(number) ?? 0), 0);
  const seen = new Set();
  const latencies = [];
  const tickLatencies = perTick.map(() => []);
  let duplicates = 0;
  let unexpected = 0;
  for (const { receipts } of takes) {
    for (let i = 0; i < receipts.length; i += 4) {
      const key = `${receipts[i + 1]}:${receipts[i + 2]}`;
      const event = published.get(key);
      if (event === undefined) {
        unexpected++;
        continue;
      }
      const delivery = `${receipts[i]}|${key}`;
      if (seen.has(delivery)) {
        duplicates++;
        continue;
      }
      seen.add(delivery);
      const latency = receipts[i + 3] - event.at;
      latencies.push(latency);
      tickLatencies[event.tick].push(latency);
    }
  }
  const tickP99s = tickLatencies.filter((values) => values.length > 0).map((values) => quantile(values, 0.99));
  return {
    published: published.size,
    expected,
    received: seen.size,
    lost: expected - seen.size,
    duplicates,
    unexpected,
    p50_ms: round(quantile(latencies, 0.5)),
    p99_ms: round(quantile(latencies, 0.99)),
    max_ms: round(quantile(latencies, 1)),
    tick_p99_median_ms: round(median(tickP99s)),
    tick_p99_spread_pct: spreadPct(tickP99s),
  };
}

/**
 * Runs `publish(k)` for each tick k, `spacingMs` apart, then waits `graceMs` for stragglers and
 * collects every generator's receipts.
 * @param {{ ticks: number, spacingMs: number, graceMs: number, generators: import('./children.mjs').Child[], publish: (k: number) => Promise<Array<[string, number, number]>> }} options
 */
async function runTicks({ ticks, spacingMs, graceMs, generators, publish }) {
  const published = [];
  for (let k = 0; k < ticks; k++) {
    const started = performance.now();
    published.push(await publish(k));
    await sleep(spacingMs - (performance.now() - started));
  }
  await sleep(graceMs);
  const takes = await Promise.all(generators.map((generator) => generator.call('take')));
  return { perTick: published, takes };
}

/** Connects each generator's clients to the URL chosen for it; resolves when all are subscribed. */
function connect(generators, assignments, urlOf) {
  return Promise.all(generators.map((generator, g) => generator.call('connect', { url: urlOf(g), ...assignments[g] })));
}

const disconnect = (generators) => Promise.all(generators.map((generator) => generator.call('disconnect')));

/**
 * @param {{ numbers: string[], clients?: number, ticks?: number, generators?: number, spacingMs?: number, graceMs?: number, scale?: boolean, label?: string }} options
 *   numbers: the trains (500 for issue #6's setup, 2,000 for issue #16's); clients: as many as the
 *   open-files limit allows, up to this
 */
export async function fanout({ numbers, clients: wanted = 5000, ticks = 10, generators: generatorCount = 4, spacingMs = 1000, graceMs = 2000, scale = true, label = 'fan-out' }) {
  const progress = (message) => logProgress(label, message);
  const files = canOpenFiles(wanted + SERVER_FILES);
  const clients = files.ok ? wanted : Math.min(wanted, (openFilesLimit()?.soft ?? wanted + SERVER_FILES) - SERVER_FILES);
  if (!files.ok) progress(`${clients} clients instead of ${wanted}: the server ${files.reason}`);
  const openFiles = clients + SERVER_FILES;
  const nextBump = tenPercentPerTick(numbers);
  const assignments = assignClients(clients, numbers, generatorCount);
  const subscribers = subscribersOf(assignments);
  const prefix = `bench-live-${randomUUID().slice(0, 6)}:`;
  const processes = [];
  try {
    const [a, generators] = await Promise.all([startInstance(prefix, { openFiles }), startGenerators(generatorCount)]);
    processes.push(a, ...generators);
    await a.call('feed', { numbers });
    const tickOn = (instance) => async () => {
      const { report, published } = await instance.call('tick', { bump: nextBump() });
      // A tick that did not run (tick lock) would publish nothing and lose nothing: not a result.
      if (!report.ran || published.length === 0) throw new Error(`tick published nothing: ${JSON.stringify(report)}`);
      return published;
    };

    // ours: first sight of every run (all written and cached), then clients, then a warm-up tick.
    await a.call('tick', { bump: [] });
    const before = await a.call('stats');
    progress('instance up');
    await connect(generators, assignments, () => a.url);
    progress(`${clients} clients subscribed`);
    const after = await a.call('stats');
    const warmUp = await runTicks({ ticks: 1, spacingMs, graceMs: 500, generators, publish: tickOn(a) });
    const ours = await runTicks({ ticks, spacingMs, graceMs, generators, publish: tickOn(a) });
    // The payloads the clients got, for the bare server to send the same bytes.
    const payloads = Object.assign({}, ...(await Promise.all(generators.map((generator) => generator.call('take', { payloads: true })))).map((take) => take.payloads));

    // scale: the second half of the generators move to instance B; ticks stay on A.
    progress('ours done');
    let scaled = null;
    if (scale) {
      const b = await startInstance(prefix, { openFiles });
      processes.push(b);
      progress('second instance up');
      const moved = generators.slice(Math.floor(generatorCount / 2));
      await disconnect(moved);
      await connect(moved, assignments.slice(Math.floor(generatorCount / 2)), () => b.url);
      progress('half the clients moved');
      await runTicks({ ticks: 1, spacingMs, graceMs: 500, generators, publish: tickOn(a) });
      scaled = await runTicks({ ticks, spacingMs, graceMs, generators, publish: tickOn(a) });
      await b.stop();
    }
    await disconnect(generators);
    await a.stop();

    // bare: same clients, same rooms, the same payloads tick by tick.
    const bare = await startBareServer({ openFiles });
    processes.push(bare);
    const bareBefore = await bare.call('stats');
    await connect(generators, assignments, () => bare.url);
    const bareAfter = await bare.call('stats');
    progress('clients subscribed on the bare server');
    const replay = (recorded) => async (k) => {
      const events = recorded.perTick[k].map(([number, version]) => ({ number, payload: payloads[`${number}:${version}`] })).filter((event) => event.payload);
      return (await bare.call('broadcast', { events })).published;
    };
    await runTicks({ ticks: 1, spacingMs, graceMs: 500, generators, publish: replay(warmUp) });
    const reference = await runTicks({ ticks, spacingMs, graceMs, generators, publish: replay(ours) });
    await disconnect(generators);

    const oursResult = deliveries(ours.perTick, subscribers, ours.takes);
    const scaleResult = scaled && deliveries(scaled.perTick, subscribers, scaled.takes);
    const bareResult = deliveries(reference.perTick, subscribers, reference.takes);
    const perConnKb = (from, to, what = 'rss') => round((to[what] - from[what]) / clients / 1024);
    return {
      fanout: {
        clients,
        ...(clients < wanted && { clients_limited_by: `open files: ${openFilesLimit()?.soft} per process` }),
        trains: numbers.length,
        ticks,
        published: oursResult.published,
        events: oursResult.expected,
        lost: oursResult.lost,
        p50_ms: oursResult.p50_ms,
        p99_ms: oursResult.p99_ms,
        max_ms: oursResult.max_ms,
        tick_p99_median_ms: oursResult.tick_p99_median_ms,
        tick_p99_spread_pct: oursResult.tick_p99_spread_pct,
        bare_p50_ms: bareResult.p50_ms,
        bare_p99_ms: bareResult.p99_ms,
        bare_max_ms: bareResult.max_ms,
        bare_tick_p99_median_ms: bareResult.tick_p99_median_ms,
        bare_tick_p99_spread_pct: bareResult.tick_p99_spread_pct,
        bare_lost: bareResult.lost,
        p99_vs_bare: round(oursResult.p99_ms / bareResult.p99_ms, 2),
        rss_per_conn_kb: perConnKb(before, after),
        bare_rss_per_conn_kb: perConnKb(bareBefore, bareAfter),
        rss_per_conn_vs_bare: round(perConnKb(before, after) / perConnKb(bareBefore, bareAfter), 2),
        heap_per_conn_kb: perConnKb(before, after, 'heapUsed'),
        bare_heap_per_conn_kb: perConnKb(bareBefore, bareAfter, 'heapUsed'),
        duplicates: oursResult.duplicates + bareResult.duplicates,
        unexpected: oursResult.unexpected + bareResult.unexpected,
      },
      scale: scaleResult && {
        instances: 2,
        p99_ms: scaleResult.p99_ms,
        lost: scaleResult.lost,
        p50_ms: scaleResult.p50_ms,
        max_ms: scaleResult.max_ms,
        tick_p99_median_ms: scaleResult.tick_p99_median_ms,
        events: scaleResult.expected,
        one_instance_p99_ms: oursResult.p99_ms,
        one_instance_lost: oursResult.lost,
        duplicates: scaleResult.duplicates,
        unexpected: scaleResult.unexpected,
      },
    };
  } finally {
    await Promise.all(processes.map((child) => child.stop()));
  }
}
