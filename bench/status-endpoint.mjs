// Live status endpoint (issue #6, item 1): autocannon against GET /api/v1/trains/:number/status
// (a cache hit) and, in the same run, against a bare node:http server that reads the same Redis
// key and returns the same JSON: the practical limit of Node + Redis on this machine.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

const SERVER = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

const load = (url, seconds) =>
  new Promise((resolve, reject) =>
    autocannon({ url, connections: 100, duration: seconds, pipelining: 1 }, (error, result) => (error ? reject(error) : resolve(result))),
  );

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Expects the bench database prepared by tick-cost (migrated, demo data). */
export async function statusEndpoint({ seconds = 10, repetitions = 3 } = {}) {
  const prefix = `bench-status-${randomUUID().slice(0, 6)}:`;
  const port = 3900 + Math.floor(Math.random() * 50);
  const app = spawn(process.execPath, ['dist/src/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `${SERVER}/train_tracker_bench`,
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      JWT_SECRET: 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
      TRACKING_ENABLED: 'true',
      TRACKING_CRON: '*/2 * * * * *',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
    stdio: 'inherit',
  });
  const url = `http://127.0.0.1:${port}/api/v1/trains/12951/status`;
  try {
    // Wait for a tick to have cached the run of 12951 (the simulator moves it in real time).
    await waitUntil(async () => (await (await fetch(url)).json()).version > 0, 'a cached status');
    const body = await (await fetch(url)).text();
    const redis = new Redis(REDIS_URL);
    const [key] = await redis.keys(`${prefix}run:*`);
    const bare = createServer(async (_request, response) => {
      await redis.get(key);
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    });
    await new Promise((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const bareUrl = `http://127.0.0.1:${bare.address().port}/`;

    await load(url, 2); // warm-up
    await load(bareUrl, 2);
    const ours = [];
    const baseline = [];
    for (let i = 0; i < repetitions; i++) {
      ours.push(await load(url, seconds));
      baseline.push(await load(bareUrl, seconds));
    }
    bare.close();
    await redis.quit();
    const oursRps = median(ours.map((result) => result.requests.average));
    const bareRps = median(baseline.map((result) => result.requests.average));
    return {
      ours_rps: Math.round(oursRps),
      bare_rps: Math.round(bareRps),
      ratio: Math.round((oursRps / bareRps) * 100) / 100,
      ours_p50_ms: median(ours.map((result) => result.latency.p50)),
      ours_p99_ms: median(ours.map((result) => result.latency.p99)),
      bare_p99_ms: median(baseline.map((result) => result.latency.p99)),
      errors: ours.reduce((sum, result) => sum + result.errors + result.non2xx, 0),
    };
  } finally {
    app.kill('SIGTERM');
  }
}
