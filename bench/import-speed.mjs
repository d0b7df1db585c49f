// The import benchmark of issue #12 part 6 on its own: a generated feed (bench/generate-feed.mjs)
// imported by `npm run import:gtfs` (built) into an empty database of its own, timed from the
// process's start to its exit (migrations included), with the importer's peak RSS. Then the
// same feed again (a re-import, which writes nothing). catalog-at-size.mjs runs it too.
// Standalone: npm run build && node bench/import-speed.mjs [stop_times] [--keep <dir>]
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generateFeed } from './generate-feed.mjs';
import { BENCH_JWT_SECRET, POSTGRES_SERVER } from './processes.mjs';
import { BENCH_DB_SUFFIX } from './processes.mjs';

const IMPORT_DATABASE = `train_tracker_bench_import${BENCH_DB_SUFFIX}`;
const IMPORT_SCRIPT = fileURLToPath(new URL('../dist/src/bin/import-gtfs.js', import.meta.url));

export async function recreateDatabase(name) {
  const admin = new pg.Client({ connectionString: `${POSTGRES_SERVER}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
}

/** Peak RSS of a process so far (VmHWM), in bytes; 0 once it has gone. */
function peakRss(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs `npm run import:gtfs` (built) on a feed into a database: wall time and peak RSS. */
export function importFeed(feed, database, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [IMPORT_SCRIPT, feed], {
      env: { ...process.env, DATABASE_URL: `${POSTGRES_SERVER}/${database}`, JWT_SECRET: BENCH_JWT_SECRET, LOG_LEVEL: 'warn', NODE_ENV: 'production', ...extraEnv },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    let peak = 0;
    // VmHWM is the high-water mark: sampling it often enough catches the peak before exit.
    const sampler = setInterval(() => (peak = Math.max(peak, peakRss(child.pid))), 100);
    child.on('exit', (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) resolve({ seconds, peak_rss_mb: Math.round(peak / 2 ** 20), output });
      else reject(new Error(`import of ${feed} exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
}

/**
 * Imports a generated feed of `stopTimes` rows into an empty database, then again.
 * @param {{ stopTimes?: number, reimport?: boolean }} options
 */
export async function importSpeed({ stopTimes = 600_000, reimport = false } = {}) {
  const dir = join(tmpdir(), `bench-feed-${randomUUID().slice(0, 6)}`);
  try {
    const generated = await generateFeed(dir, stopTimes);
    await recreateDatabase(IMPORT_DATABASE);
    const imported = await importFeed(dir, IMPORT_DATABASE);
    const result = {
      stop_times: generated.stopTimes,
      trips: generated.trips,
      seconds: Math.round(imported.seconds * 10) / 10,
      stop_times_per_s: Math.round(generated.stopTimes / imported.seconds),
      peak_rss_mb: imported.peak_rss_mb,
    };
    if (reimport) {
      const again = await importFeed(dir, IMPORT_DATABASE);
      if (!again.output.includes('No changes')) throw new Error(`the re-import changed something:\n${again.output}`);
      result.reimport = { seconds: Math.round(again.seconds * 10) / 10, peak_rss_mb: again.peak_rss_mb };
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [size = '600000'] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  console.log(JSON.stringify(await importSpeed({ stopTimes: Number(size), reimport: true }), null, 2));
}
