// Starting the processes of the Socket.IO benchmarks: app instances (bench/instance.mjs), the
// bare Socket.IO server and the load generators, and spreading clients over the generators.
import { fileURLToPath } from 'node:url';
import { startChild } from './children.mjs';
import { clockEnv } from './clock.mjs';

const script = (name) => fileURLToPath(new URL(name, import.meta.url));

export const POSTGRES_SERVER = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
/**
 * BENCH_DB_SUFFIX (else TEST_DB_SUFFIX) names databases of its own, so benches run from two
 * checkouts on one PostgreSQL server do not drop each other's; BENCH_DATABASE names the main one outright.
 */
export const BENCH_DB_SUFFIX = process.env.BENCH_DB_SUFFIX ?? process.env.TEST_DB_SUFFIX ?? '';
export const BENCH_DATABASE = process.env.BENCH_DATABASE ?? `train_tracker_bench${BENCH_DB_SUFFIX}`;
export const BENCH_DATABASE_URL = `${POSTGRES_SERVER}/${BENCH_DATABASE}`;
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const BENCH_JWT_SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

/**
 * The environment of an app instance configured as in production, on the bench database and
 * the given Redis key prefix (instances with the same prefix form a cluster), on the bench's
 * simulated clock (bench/clock.mjs).
 * @param {string} keyPrefix
 */
export const productionEnv = (keyPrefix) => ({
  ...clockEnv(),
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  DATABASE_URL: BENCH_DATABASE_URL,
  REDIS_URL,
  REDIS_KEY_PREFIX: keyPrefix,
  JWT_SECRET: BENCH_JWT_SECRET,
  // Every load generator connects from 127.0.0.1: thousands of sockets share one client address.
  SOCKET_RATE_LIMIT_PER_IP: '10000000',
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
});

/**
 * An app instance configured as in production, except that the tracker only ticks when the
 * parent says so. Instances given the same prefix form a cluster: same cache, tick lock and
 * Socket.IO adapter channel in Redis.
 * @param {string} keyPrefix
 * @param {{ openFiles?: number, countRedisCommands?: boolean }} [options] open files it needs (one
 *   per socket, see canOpenFiles); whether it counts its Redis commands (bench/instance.mjs)
 */
export async function startInstance(keyPrefix, { openFiles, countRedisCommands = false } = {}) {
  const child = await startChild(script('./instance.mjs'), {
    openFiles,
    env: {
      ...productionEnv(keyPrefix),
      COUNT_REDIS_COMMANDS: String(countRedisCommands),
      PORT: '0',
      // tick-cost migrated the database; two instances need not race to check it.
      DB_MIGRATE_ON_START: 'false',
      CATALOG_WHEN_EMPTY: 'none',
      TRACKING_ENABLED: 'false',
    },
  });
  return Object.assign(child, { url: `http://127.0.0.1:${child.ready.port}` });
}

export async function startBareServer({ openFiles } = {}) {
  const child = await startChild(script('./bare-socket-server.mjs'), { openFiles });
  return Object.assign(child, { url: `http://127.0.0.1:${child.ready.port}` });
}

/** @param {number} count */
export const startGenerators = (count) => Promise.all(Array.from({ length: count }, () => startChild(script('./socket-clients.mjs'))));

/**
 * Client i follows train numbers[i mod trains]; generator g holds clients g·n/G … (g+1)·n/G − 1.
 * @param {number} clients
 * @param {string[]} numbers
 * @param {number} generators
 */
export function assignClients(clients, numbers, generators) {
  const per = Math.ceil(clients / generators);
  return Array.from({ length: generators }, (_, g) => {
    const firstClient = g * per;
    const count = Math.max(0, Math.min(per, clients - firstClient));
    return { firstClient, numbers: Array.from({ length: count }, (_, i) => numbers[(firstClient + i) % numbers.length]) };
  });
}

/** Subscribers per train of some of the assignments. */
export function subscribersOf(assignments) {
  const counts = new Map();
  for (const { numbers } of assignments) for (const number of numbers) counts.set(number, (counts.get(number) ?? 0) + 1);
  return counts;
}

/**
 * The trains to change at each tick: the next tenth of them each time, so every tick changes
 * 10% of the trains and consecutive ticks change different ones.
 * @param {string[]} numbers
 * @returns {() => string[]}
 */
export function tenPercentPerTick(numbers) {
  const changing = Math.round(numbers.length / 10);
  let tick = 0;
  return () => {
    const start = (tick++ * changing) % numbers.length;
    return Array.from({ length: changing }, (_, i) => numbers[(start + i) % numbers.length]);
  };
}
