// Live status endpoint (issue #6 item 1, issue #16 parts 1 and 2): autocannon at 100 connections
// against GET /api/v1/trains/:number/status (a cache hit) of an app instance, and in the same run
// against references that read the same Redis key and answer the same JSON
// (bench/reference-http-server.mjs): bare node:http (the practical limit of Node + Redis here),
// plain Express, a one-controller NestJS app on Express (the issue #16 target: the stack's own
// floor) and the same on Fastify. Also measured, interleaved with those:
//   304      the same URL with If-None-Match: requests send back the latest ETag an answer
//            carried, as pollers do, so the ETag moving at a tick window costs a few 200s;
//   nginx    the status through a local nginx with docker-compose's micro-cache
//            (bench/nginx-proxy.mjs); skipped when nginx is not installed.
// The instance is bench/instance.mjs, configured as in production: one tick of its feed writes and
// caches the current run of every train at the bench's simulated clock (bench/clock.mjs), and no
// tick runs while measuring (the references have none either). The train is 12951 when it is under
// way then, else the first other train that is.
// With `profile`, ours and the Nest reference are then profiled under the same load, and the CPU
// of a request is split into the pieces of its path (bench/cpu-profile.mjs).
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startChild } from './children.mjs';
import { requestCostByPiece } from './cpu-profile.mjs';
import { startNginxProxy } from './nginx-proxy.mjs';
import { REDIS_URL, startInstance } from './processes.mjs';
import { median, medianWithSpread, progress as logProgress, round } from './stats.mjs';

const progress = (message) => logProgress('status', message);
const script = fileURLToPath(new URL('./reference-http-server.mjs', import.meta.url));
/** The train measured when it has a current run the tracker has cached (the README's figures are for it). */
const PREFERRED_TRAIN = '12951';
const CONNECTIONS = 100;

/** autocannon at CONNECTIONS connections for `seconds`; `options` adds to or overrides its options. */
export const load = (url, seconds, options = {}) =>
  new Promise((resolve, reject) =>
    autocannon({ url, connections: CONNECTIONS, duration: seconds, pipelining: 1, ...options }, (error, result) => (error ? reject(error) : resolve(result))),
  );

/**
 * Polling with validators: requests send If-None-Match with the latest ETag an answer carried
 * (the first time, `etag`). Kept here, not in autocannon's per-connection context, which it
 * clears before every request when there is one request in the list.
 */
function conditionalLoad(url, seconds, etag) {
  let latest = etag;
  return load(url, seconds, {
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, 'if-none-match': latest } }),
        onResponse: (_status, _body, _context, headers) => {
          latest = headers.etag ?? headers.ETag ?? latest;
        },
      },
    ],
  });
}

const statusPath = (number) => `/api/v1/trains/${number}/status`;

/**
 * A train whose current run (the app's own choice at the bench's clock) a tick of `instance`
 * has cached, so that its status is answered from Redis without PostgreSQL: PREFERRED_TRAIN
 * when it is under way, else the first other train that is.
 * @param {{ url: string }} instance
 */
export async function cachedStatusTrain(instance) {
  const { items } = await (await fetch(`${instance.url}/api/v1/trains?limit=100`)).json();
  for (const number of [PREFERRED_TRAIN, ...items.map((item) => item.number).filter((number) => number !== PREFERRED_TRAIN)]) {
    const response = await fetch(`${instance.url}${statusPath(number)}`);
    if (response.ok && (await response.json()).version > 0) return number;
  }
  throw new Error('no train has a cached status after a tick');
}

const count = (result, status) => Number(result.statusCodeStats?.[status]?.count ?? 0);

/**
 * Expects the bench database prepared by tick-cost (migrated, demo data).
 * @param {{ seconds?: number, repetitions?: number, warmupSeconds?: number, profile?: boolean }} [options]
 */
export async function statusEndpoint({ seconds = 10, repetitions = 3, warmupSeconds = 2, profile = false } = {}) {
  const prefix = `bench-status-${randomUUID().slice(0, 6)}:`;
  const stops = [];
  const bodyFile = join(tmpdir(), `${prefix.replace(/:$/, '')}.json`);
  try {
    const instance = await startInstance(prefix);
    stops.push(instance.stop);
    await instance.call('tick', { bump: [] });
    const train = await cachedStatusTrain(instance);
    const url = `${instance.url}${statusPath(train)}`;
    const first = await fetch(url);
    const body = await first.text();
    const etag = first.headers.get('etag');
    const { serviceDate } = JSON.parse(body);
    // The references read the Redis key of the same run (keys name the train by id, values by number).
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*run:*`);
    const values = keys.length > 0 ? await redis.mget(keys) : [];
    const key = keys.find((_, i) => values[i]?.includes(`"trainNumber":"${train}"`) && values[i].includes(`"serviceDate":"${serviceDate}"`)) ?? keys[0];
    await redis.quit();
    writeFileSync(bodyFile, body);
    const modes = ['bare', 'express', 'nest', 'nest-fastify'];
    // Each in a process of its own, so none shares an event loop with autocannon.
    const references = await Promise.all(modes.map((mode) => startChild(script, { args: [mode], env: { REDIS_URL, KEY: key, BODY_FILE: bodyFile } })));
    stops.push(...references.map((reference) => reference.stop));
    const nginx = await startNginxProxy(instance.ready.port);
    if (nginx) stops.push(nginx.stop);
    else progress('nginx is not installed: the micro-cache line is skipped');

    const referenceUrl = (mode) => `http://127.0.0.1:${references[modes.indexOf(mode)].ready.port}${statusPath(train)}`;
    const urls = { ours: url, not_modified: url, ...(nginx && { nginx: `${nginx.url}${statusPath(train)}` }), ...Object.fromEntries(modes.map((mode) => [mode, referenceUrl(mode)])) };
    /** The process serving each target, for its CPU time (nginx's is not measured). */
    const servers = { ours: instance, not_modified: instance, ...Object.fromEntries(modes.map((mode, index) => [mode, references[index]])) };
    /** name → one load run, with the server's CPU time per answer (µs) when known. */
    const targets = Object.fromEntries(
      Object.entries(urls).map(([name, target]) => [
        name,
        async () => {
          const before = await servers[name]?.call('stats', { gc: false });
          const result = await (name === 'not_modified' ? conditionalLoad(target, seconds, etag) : load(target, seconds));
          const after = await servers[name]?.call('stats', { gc: false });
          return Object.assign(result, { cpuMicrosPerAnswer: before && after ? (after.cpuMicros - before.cpuMicros) / Math.max(1, result.requests.total) : Number.NaN });
        },
      ]),
    );
    if (warmupSeconds > 0) for (const target of new Set(Object.values(urls))) await load(target, warmupSeconds);
    progress(`train ${train}; ${repetitions} × ${Object.keys(targets).length} runs of ${seconds} s`);
    const runs = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
    // Interleaved, so drift on a shared machine hits all alike.
    for (let i = 0; i < repetitions; i++) for (const [name, run] of Object.entries(targets)) runs[name].push(await run());

    const rpsOf = (name) => runs[name].map((result) => result.requests.average);
    const cpuOf = (name) => runs[name].map((result) => result.cpuMicrosPerAnswer);
    const p99Of = (name) => runs[name].map((result) => result.latency.p99);
    const rps = (name) => median(rpsOf(name));
    const p99 = (name) => median(p99Of(name));
    const ratio = (name) => round(rps('ours') / rps(name), 2);
    const notModifiedRps = runs.not_modified.map((result) => count(result, 304) / result.duration);
    const result = {
      train,
      ...medianWithSpread('ours_rps', rpsOf('ours')),
      ...medianWithSpread('bare_rps', rpsOf('bare')),
      ratio: ratio('bare'),
      ours_p50_ms: median(runs.ours.map((r) => r.latency.p50)),
      ...medianWithSpread('ours_p99_ms', p99Of('ours'), 1),
      bare_p99_ms: p99('bare'),
      ...medianWithSpread('express_rps', rpsOf('express')),
      express_p99_ms: p99('express'),
      ...medianWithSpread('nest_rps', rpsOf('nest')),
      ...medianWithSpread('nest_p99_ms', p99Of('nest'), 1),
      ...medianWithSpread('nest_fastify_rps', rpsOf('nest-fastify')),
      nest_fastify_p99_ms: p99('nest-fastify'),
      ratio_to_express: ratio('express'),
      ratio_to_nest: ratio('nest'),
      ours_to_nest: ratio('nest'),
      ours_p99_to_nest: round(p99('ours') / p99('nest'), 2),
      // CPU time of the server per answer (µs): what throughput on a quiet machine follows, and far
      // steadier than req/s while other work shares the machine.
      ...medianWithSpread('ours_cpu_us', cpuOf('ours')),
      ...medianWithSpread('nest_cpu_us', cpuOf('nest')),
      nest_cpu_to_ours: round(median(cpuOf('nest')) / median(cpuOf('ours')), 2),
      not_modified_cpu_us: Math.round(median(cpuOf('not_modified'))),
      bare_cpu_us: Math.round(median(cpuOf('bare'))),
      ...medianWithSpread('not_modified_rps', notModifiedRps),
      not_modified_p99_ms: p99('not_modified'),
      // Answers of the conditional runs that were 200 rather than 304 (the tick window, part of the ETag, moved).
      not_modified_full_answers: runs.not_modified.reduce((sum, r) => sum + count(r, 200), 0),
      ...(nginx
        ? { ...medianWithSpread('nginx_rps', rpsOf('nginx')), nginx_p99_ms: p99('nginx'), nginx_to_direct: round(rps('nginx') / rps('ours'), 2) }
        : { nginx_rps: null, nginx_p99_ms: null, nginx_to_direct: null }),
      errors: Object.entries(runs)
        .flatMap(([name, results]) => results.map((r) => r.errors + r.non2xx - (name === 'not_modified' ? count(r, 304) : 0)))
        .reduce((sum, n) => sum + n, 0),
    };
    if (profile) {
      const profiled = { ours: [instance, url], nest: [references[modes.indexOf('nest')], referenceUrl('nest')] };
      result.profile = {};
      for (const [name, [child, target]] of Object.entries(profiled)) {
        const file = join(tmpdir(), `${prefix.replace(/:$/, '')}-${name}.cpuprofile`);
        await child.call('profileStart');
        const run = await load(target, Math.max(seconds, 5));
        await child.call('profileStop', { file });
        result.profile[name] = { rps: Math.round(run.requests.average), ...requestCostByPiece(file, run.requests.total), file };
      }
    }
    return result;
  } finally {
    await Promise.all(stops.map((stop) => stop()));
    rmSync(bodyFile, { force: true });
  }
}
