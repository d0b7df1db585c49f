// Live status endpoint (issue #6, item 1): autocannon against GET /api/v1/trains/:number/status
// (a cache hit) and, in the same run, against a bare node:http server that reads the same Redis
// key and returns the same JSON: the practical limit of Node + Redis on this machine. Plain
// Express and a bare NestJS app (on Express, and on Fastify) serving the same are measured too
// (bench/reference-http-server.mjs). The train is 12951 when it is under way at the bench's
// clock (bench/clock.mjs), else the first other train that is.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startChild } from './children.mjs';
import { productionEnv, REDIS_URL } from './processes.mjs';
import { median, sleep } from './stats.mjs';

const script = fileURLToPath(new URL('./reference-http-server.mjs', import.meta.url));
/** The train measured when it has a current run the tracker has cached (the README's figures are for it). */
const PREFERRED_TRAIN = '12951';

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

/** Expects the bench database prepared by tick-cost (migrated, demo data). */
export async function statusEndpoint({ seconds = 10, repetitions = 3, warmupSeconds = 2 } = {}) {
  const prefix = `bench-status-${randomUUID().slice(0, 6)}:`;
  const port = 3900 + Math.floor(Math.random() * 50);
  const app = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, ...productionEnv(prefix), PORT: String(port), TRACKING_ENABLED: 'true', TRACKING_CRON: '*/2 * * * * *' },
    stdio: 'inherit',
  });
  const stops = [async () => void app.kill('SIGTERM')];
  const base = `http://127.0.0.1:${port}/api/v1`;
  const statusPath = (number) => `/api/v1/trains/${number}/status`;
  try {
    // A train whose current run (the app's own choice at the bench's clock) a tick has written
    // and cached: its status is then answered from Redis, without PostgreSQL.
    await waitUntil(async () => (await fetch(`${base}/trains?limit=1`)).ok, 'the app to answer');
    const { items } = await (await fetch(`${base}/trains?limit=100`)).json();
    const candidates = [PREFERRED_TRAIN, ...items.map((train) => train.number).filter((number) => number !== PREFERRED_TRAIN)];
    let train;
    await waitUntil(async () => {
      for (const number of candidates) {
        const response = await fetch(`http://127.0.0.1:${port}${statusPath(number)}`);
        if (response.ok && (await response.json()).version > 0) return (train = number);
      }
      return false;
    }, 'a cached status');
    const url = `http://127.0.0.1:${port}${statusPath(train)}`;
    const body = await (await fetch(url)).text();
    const { serviceDate } = JSON.parse(body);
    // The references read the Redis key of the same run (keys name the train by id, values by number).
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*run:*`);
    const values = keys.length > 0 ? await redis.mget(keys) : [];
    const key = keys.find((_, i) => values[i]?.includes(`"trainNumber":"${train}"`) && values[i].includes(`"serviceDate":"${serviceDate}"`)) ?? keys[0];
    await redis.quit();
    const bodyFile = join(tmpdir(), `${prefix.replace(/:$/, '')}.json`);
    writeFileSync(bodyFile, body);
    const modes = ['bare', 'express', 'nest', 'nest-fastify'];
    // Each in a process of its own, so none shares an event loop with autocannon.
    const references = await Promise.all(modes.map((mode) => startChild(script, { args: [mode], env: { REDIS_URL, KEY: key, BODY_FILE: bodyFile } })));
    stops.push(...references.map((reference) => reference.stop));
    const targets = { ours: url, ...Object.fromEntries(references.map(({ ready }, index) => [modes[index], `http://127.0.0.1:${ready.port}${statusPath(train)}`])) };

    for (const target of Object.values(targets)) await load(target, warmupSeconds); // warm-up
    const runs = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
    // Interleaved, so drift on a shared machine hits all alike.
    for (let i = 0; i < repetitions; i++) {
      for (const [name, target] of Object.entries(targets)) runs[name].push(await load(target, seconds));
    }
    const rps = (name) => median(runs[name].map((result) => result.requests.average));
    const p99 = (name) => median(runs[name].map((result) => result.latency.p99));
    const ratio = (name) => Math.round((rps('ours') / rps(name)) * 100) / 100;
    return {
      train,
      ours_rps: Math.round(rps('ours')),
      bare_rps: Math.round(rps('bare')),
      ratio: ratio('bare'),
      ours_p50_ms: median(runs.ours.map((result) => result.latency.p50)),
      ours_p99_ms: p99('ours'),
      bare_p99_ms: p99('bare'),
      express_rps: Math.round(rps('express')),
      express_p99_ms: p99('express'),
      nest_rps: Math.round(rps('nest')),
      nest_p99_ms: p99('nest'),
      nest_fastify_rps: Math.round(rps('nest-fastify')),
      nest_fastify_p99_ms: p99('nest-fastify'),
      ratio_to_express: ratio('express'),
      ratio_to_nest: ratio('nest'),
      errors: Object.values(runs).flat().reduce((sum, result) => sum + result.errors + result.non2xx, 0),
    };
  } finally {
    await Promise.all(stops.map((stop) => stop()));
  }
}
