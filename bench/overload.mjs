// Overload must not cascade (issue #16 part 3): the live status endpoint of one instance at its
// sustainable rate, then a step to 3× that rate for a while, then back.
//   sustainable rate  60% of what the instance serves closed-loop at 100 connections (measured
//                     first): the load one would plan an instance for, with headroom;
//   the load          a base stream at the sustainable rate over 100 connections for the whole
//                     run, and during the step a second stream at twice that rate over more
//                     connections than OVERLOAD_MAX_IN_FLIGHT (autocannon with a fixed rate: a
//                     connection only sends when its previous answer came, so only with that many
//                     connections can the instance's own bound be reached). The step's
//                     connections open in batches of STEP_BATCH, 100 ms apart: thousands of
//                     connects at once overflow the listen backlog (511), and the kernel's SYN
//                     retries (1 s, 3 s, 7 s) would be measured instead of the app.
// Reported: errors (503 OVERLOADED refusals apart from other failures) and the p99 of the
// answers served during the step; PostgreSQL queries sent during the step, counted in the
// instance (bench/instance.mjs) apart from the timetable's catalog version check, which runs
// every couple of seconds whatever the load; and the recovery: seconds from the step down until
// the base stream's p99 is back within the normal band (the highest 1 s p99 before the step) for
// three 1 s windows in a row (one window over it on a shared machine is noise, not a relapse).
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { startInstance } from './processes.mjs';
import { cachedStatusTrain, load } from './status-endpoint.mjs';
import { progress as logProgress, quantile, round, sleep } from './stats.mjs';

const progress = (message) => logProgress('overload', message);

/** Connections of the step opened at once: well under the listen backlog Node asks for (511). */
const STEP_BATCH = 300;
/** Windows in a row within the normal band that make a recovery. */
const RECOVERED_WINDOWS = 3;

/** Failed requests by error code (ETIMEDOUT, ECONNRESET, …), across streams. */
const errorKinds = new Map();

/**
 * A stream at a fixed rate for `seconds`, recording each answer: [time it came (ms), latency (ms), status (0: error)].
 * @param {string} url
 * @param {{ rate: number, connections: number, seconds: number, answers: number[][] }} options
 */
function stream(url, { rate, connections, seconds, answers }) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections, overallRate: rate, duration: seconds, pipelining: 1, timeout: 10 }, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on('response', (_client, status, _bytes, latency) => answers.push([performance.now(), latency, status]));
    instance.on('reqError', (error) => {
      answers.push([performance.now(), Number.NaN, 0]);
      errorKinds.set(error?.code ?? error?.message ?? 'error', (errorKinds.get(error?.code ?? error?.message ?? 'error') ?? 0) + 1);
    });
  });
}

/** The p99 of the latencies of the answers in [from, to) that match `keep`. */
const p99Of = (answers, from, to, keep = () => true) => quantile(answers.filter(([at, , status]) => at >= from && at < to && keep(status)).map(([, latency]) => latency), 0.99);

/**
 * @param {{ calibrateSeconds?: number, beforeSeconds?: number, stepSeconds?: number, afterSeconds?: number, factor?: number, stepConnections?: number }} [options]
 */
export async function overload({ calibrateSeconds = 5, beforeSeconds = 10, stepSeconds = 30, afterSeconds = 20, factor = 3, stepConnections = 2400 } = {}) {
  const instance = await startInstance(`bench-overload-${randomUUID().slice(0, 6)}:`);
  try {
    await instance.call('tick', { bump: [] });
    const train = await cachedStatusTrain(instance);
    const url = `${instance.url}/api/v1/trains/${train}/status`;
    await load(url, 1); // warm-up
    const most = (await load(url, calibrateSeconds)).requests.average;
    const rate = Math.max(10, Math.round(most * 0.6));
    progress(`train ${train}: ${Math.round(most)} req/s closed-loop; sustainable ${rate} req/s, step to ${factor * rate} req/s for ${stepSeconds} s`);

    const base = [];
    const step = [];
    const started = performance.now();
    const baseRun = stream(url, { rate, connections: 100, seconds: beforeSeconds + stepSeconds + afterSeconds, answers: base });
    await sleep(beforeSeconds * 1000);
    const stepStart = performance.now();
    const before = await instance.call('stats', { gc: false });
    const batches = Math.max(1, Math.ceil(stepConnections / STEP_BATCH));
    const stepRuns = await Promise.all(
      Array.from({ length: batches }, async (_, batch) => {
        await sleep(batch * 100);
        return stream(url, { rate: Math.max(1, Math.round(((factor - 1) * rate) / batches)), connections: STEP_BATCH, seconds: stepSeconds, answers: step });
      }),
    );
    const stepEnd = performance.now();
    const after = await instance.call('stats', { gc: false });
    await baseRun;
    const end = performance.now();

    const during = [...base, ...step].filter(([at]) => at >= stepStart && at < stepEnd);
    const served = during.filter(([, , status]) => status >= 200 && status < 300);
    const shed = during.filter(([, , status]) => status === 503).length;
    // Normal: the highest p99 of a 1 s window of the base stream before the step (the first second is its warm-up).
    const windows = (from, to) => Array.from({ length: Math.floor((to - from) / 1000) }, (_, i) => [from + i * 1000, from + (i + 1) * 1000]);
    const normal = Math.max(...windows(started + 1000, stepStart).map(([from, to]) => p99Of(base, from, to)).filter(Number.isFinite));
    const afterWindows = windows(stepEnd, end).map(([from, to]) => ({ from, p99: p99Of(base, from, to), failed: base.some(([at, , status]) => at >= from && at < to && !(status >= 200 && status < 300)) }));
    const normalFrom = afterWindows.findIndex((_, i) => afterWindows.slice(i, i + RECOVERED_WINDOWS).length === RECOVERED_WINDOWS && afterWindows.slice(i, i + RECOVERED_WINDOWS).every((window) => window.p99 <= normal && !window.failed));
    progress(`1 s p99 of the base stream after the step (normal ≤ ${round(normal)} ms): ${afterWindows.map((window) => Math.round(window.p99)).join(', ')} ms; failures by kind: ${JSON.stringify(Object.fromEntries(errorKinds))}`);
    return {
      train,
      closed_loop_rps: Math.round(most),
      sustainable_rps: rate,
      // The rate offered during the step, and what was answered then (served or refused).
      peak_rps: factor * rate,
      answered_rps: Math.round(during.length / ((stepEnd - stepStart) / 1000)),
      served_rps: Math.round(served.length / ((stepEnd - stepStart) / 1000)),
      step_s: stepSeconds,
      errors: during.length - served.length,
      shed_503: shed,
      other_errors: during.length - served.length - shed,
      p99_ms: round(p99Of(during, stepStart, stepEnd, (status) => status >= 200 && status < 300)),
      normal_p99_ms: round(normal),
      pg_queries_during: after.pgQueries - before.pgQueries - (after.catalogVersionChecks - before.catalogVersionChecks),
      catalog_version_checks_during: after.catalogVersionChecks - before.catalogVersionChecks,
      // Seconds after the step down until the base stream's p99 is back in the normal band (RECOVERED_WINDOWS in a row); null when it was not within the run.
      recovery_s: normalFrom === -1 ? null : round((afterWindows[normalFrom].from - stepEnd) / 1000),
      after_s: afterSeconds,
      step_sent: stepRuns.reduce((sum, run) => sum + run.requests.sent, 0),
    };
  } finally {
    await instance.stop();
  }
}
