// Push vs polling (issue #6, item 4): the same clients, first polling the REST status of their
// train every 5 s (each over its own keep-alive connection, start times spread evenly), then
// subscribed to it over Socket.IO; one instance, the same ticks in both windows (every 10 s as
// with the default TRACKING_CRON, 10% of the trains changing). Setup (connections,
// subscriptions) happens before each window opens. A first window with no client at all
// measures what the ticks cost by themselves.
// Reported per window: the instance's CPU time, and what it sent to its stores — PostgreSQL
// statements (pg.Client#query) and Redis commands, both counted in the instance (Redis's own
// INFO commandstats would count every client of a shared server).
import { randomUUID } from 'node:crypto';
import { deliveries } from './fanout.mjs';
import { assignClients, startGenerators, startInstance, subscribersOf, tenPercentPerTick } from './processes.mjs';
import { progress as logProgress, quantile, round, sleep } from './stats.mjs';

const progress = (message) => logProgress('push vs poll', message);

const sum = (counts) => Object.values(counts).reduce((total, n) => total + n, 0);

/**
 * Ticks every `tickMs` for `seconds`, and what the instance spent meanwhile.
 * @param {import('./children.mjs').Child} instance
 */
async function window(instance, { seconds, tickMs, nextBump }) {
  await instance.call('stats'); // a full collection now, so the set-up's garbage is not collected in the window
  const before = await instance.call('stats', { gc: false });
  const started = performance.now();
  const published = [];
  for (let k = 0; k < Math.round((seconds * 1000) / tickMs); k++) {
    published.push((await instance.call('tick', { bump: nextBump() })).published);
    await sleep(started + (k + 1) * tickMs - performance.now());
  }
  const after = await instance.call('stats', { gc: false });
  const pg = after.pgQueries - before.pgQueries;
  const redisCommands = sum(after.redisCommands) - sum(before.redisCommands);
  return {
    cpu_s: round((after.cpuMicros - before.cpuMicros) / 1e6, 2),
    pg_queries: pg,
    redis_commands: redisCommands,
    db_queries: pg + redisCommands,
    redis_by_command: Object.fromEntries(Object.entries(after.redisCommands).map(([name, n]) => [name, n - (before.redisCommands[name] ?? 0)]).filter(([, n]) => n > 0)),
    published,
  };
}

/**
 * @param {{ numbers: string[], clients?: number, seconds?: number, periodMs?: number, tickMs?: number, generators?: number }} options
 *   periodMs: how often each client polls; tickMs: how often the tracker ticks (the app's default, TRACKING_CRON every 10 s)
 *   numbers: the trains; client i polls / follows numbers[i mod trains]
 */
export async function pushVsPoll({ numbers, clients = 2000, seconds = 60, periodMs = 5000, tickMs = 10_000, generators: generatorCount = 4 }) {
  const nextBump = tenPercentPerTick(numbers);
  const assignments = assignClients(clients, numbers, generatorCount);
  const processes = [];
  try {
    const [instance, generators] = await Promise.all([startInstance(`bench-poll-${randomUUID().slice(0, 6)}:`, { countRedisCommands: true }), startGenerators(generatorCount)]);
    processes.push(instance, ...generators);
    await instance.call('feed', { numbers });
    // First sight of every current run: all cached from here on, as in steady state.
    await instance.call('tick', { bump: [] });
    progress('instance up');
    // The same ticks with no client: what tracking costs whoever reads it, subtracted below to
    // compare what serving the clients costs by each method.
    const idle = await window(instance, { seconds, tickMs, nextBump });
    progress('idle window done');

    // Polling: one period for every client to have made its first request (and connection).
    await Promise.all(generators.map((generator, g) => generator.call('poll', { url: instance.url, total: clients, periodMs, ...assignments[g] })));
    await sleep(periodMs + 1000);
    await Promise.all(generators.map((generator) => generator.call('pollStats', { reset: true })));
    progress(`${clients} clients polling`);
    const poll = await window(instance, { seconds, tickMs, nextBump });
    const polls = await Promise.all(generators.map((generator) => generator.call('pollStats', { reset: true })));
    await Promise.all(generators.map((generator) => generator.call('stopPoll')));
    const latencies = polls.flatMap((stats) => stats.latencies);

    // Push: the same clients subscribed over Socket.IO.
    await Promise.all(generators.map((generator, g) => generator.call('connect', { url: instance.url, ...assignments[g] })));
    await sleep(1000);
    progress(`${clients} clients subscribed`);
    const push = await window(instance, { seconds, tickMs, nextBump });
    await sleep(1000); // the last tick's deliveries
    const pushed = deliveries(push.published, subscribersOf(assignments), await Promise.all(generators.map((generator) => generator.call('take'))));
    await Promise.all(generators.map((generator) => generator.call('disconnect')));

    const result = {
      clients,
      seconds,
      poll_cpu_s: poll.cpu_s,
      push_cpu_s: push.cpu_s,
      cpu_ratio: round(poll.cpu_s / push.cpu_s, 1),
      poll_db_queries: poll.db_queries,
      push_db_queries: push.db_queries,
      db_ratio: round(poll.db_queries / push.db_queries, 1),
      idle_cpu_s: idle.cpu_s,
      idle_db_queries: idle.db_queries,
      // Serving the clients only: each window minus the idle one.
      poll_client_cpu_s: round(poll.cpu_s - idle.cpu_s, 2),
      push_client_cpu_s: round(push.cpu_s - idle.cpu_s, 2),
      poll_client_db_queries: poll.db_queries - idle.db_queries,
      push_client_db_queries: push.db_queries - idle.db_queries,
      poll_pg_queries: poll.pg_queries,
      push_pg_queries: push.pg_queries,
      poll_redis_commands: poll.redis_commands,
      push_redis_commands: push.redis_commands,
      poll_requests: polls.reduce((total, stats) => total + stats.requests, 0),
      poll_errors: polls.reduce((total, stats) => total + stats.errors, 0),
      // Polls in the window that had to open a connection (0: every client kept its connection).
      poll_new_connections: polls.reduce((total, stats) => total + stats.connections, 0),
      poll_p99_ms: round(quantile(latencies, 0.99)),
      push_events: pushed.expected,
      push_lost: pushed.lost,
      push_p99_ms: pushed.p99_ms,
    };
    // Which Redis commands each window sent: printed, not kept in results.json (numbers only there).
    return { result, redisByCommand: { poll: poll.redis_by_command, push: push.redis_by_command } };
  } finally {
    await Promise.all(processes.map((child) => child.stop()));
  }
}
