import { parse } from 'csv-parse/sync';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FeedFiles } from './builders/gtfs-feeds.js';
import type { TestApi } from './app.factory.js';
import { waitFor } from './redis-process.js';
import { withClient } from './test-database.js';

/**
 * Helpers of the GTFS import e2e tests: the real command run as a child process (exit code,
 * output), the feed files read as plain CSV (the expectations come from the files, not from the
 * reader under test), and snapshots of the catalog rows to prove what an import wrote.
 */

const COMMAND = fileURLToPath(new URL('../dist/src/bin/import-gtfs.js', import.meta.url));

/**
 * The import rule of the Sound Transit fixture (README): its trip_short_name is a description,
 * so the number is the trailing digits of trip_id, behind a digit for the schedule (5 weekdays,
 * 6 Saturday, 7 Sunday): the same trailing digits run on each schedule, and a Sunday trip
 * leaving after midnight would otherwise leave on the Monday of the weekday trip of that number.
 */
export const SOUND_TRANSIT_RULES = [
  '--number-from',
  'trip_id',
  '--number-rule',
  '_Weekday_\\d+_(\\d+)$=5$1',
  '--number-rule',
  '_Saturday_\\d+_(\\d+)$=6$1',
  '--number-rule',
  '_Sunday_\\d+_(\\d+)$=7$1',
];

export interface ImportRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run import:gtfs -- <feed> <args>` against a database, as an operator runs it (built code, no terminal). */
export function runImport(databaseUrl: string, feed: string, args: string[] = []): Promise<ImportRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [COMMAND, feed, ...args], {
      env: { PATH: process.env.PATH, NODE_ENV: 'test', DATABASE_URL: databaseUrl, LOG_LEVEL: 'error', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export type CsvRecord = Record<string, string> & { line: number };

/** A feed file's records, each with its line (the header is line 1). */
export function records(files: FeedFiles, file: string): CsvRecord[] {
  const rows = parse(files.get(file)!, { bom: true, columns: true, info: true, skip_empty_lines: true }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
  return rows.map(({ record, info }) => ({ ...record, line: info.lines }) as CsvRecord);
}

/** `HH:MM:SS` (hours past 24 allowed) as the app stores it, counted from a day `shift` days after the service date. */
export function minuteAndDay(time: string, shift = 0): { minute: number; day: number } {
  const [hours, minutes] = time.split(':').map(Number);
  const total = hours * 60 + minutes - shift * 1440;
  return { minute: total % 1440, day: Math.floor(total / 1440) };
}

/** `20260921` → `2026-09-21`. */
export const isoDate = (gtfsDate: string) => `${gtfsDate.slice(0, 4)}-${gtfsDate.slice(4, 6)}-${gtfsDate.slice(6, 8)}`;

/**
 * Every catalog row's identity and row version (xmin: PostgreSQL gives a row a new one on any
 * UPDATE, even one that writes equal values) and updated_at, table by table, sorted. Equal
 * snapshots: nothing in the catalog was written. A route stop's identity is its key, pattern and
 * sequence (ROUTE_STOP_KEY).
 */
/** A route stop's key as one text, `<pattern id>/<sequence>`, of the route_stops row named `alias`. */
export const ROUTE_STOP_KEY = (alias: string) => `${alias}.pattern_id::text || '/' || ${alias}.sequence::text`;

export async function catalogSnapshot(databaseUrl: string): Promise<Record<string, string[]>> {
  const tables = ['feeds', 'agencies', 'stations', 'platforms', 'trains', 'train_patterns', 'route_stops'];
  return withClient(databaseUrl, async (client) => {
    const snapshot: Record<string, string[]> = {};
    for (const table of tables) {
      const [identity, updated] = table === 'route_stops' ? [ROUTE_STOP_KEY('route_stops'), `''`] : ['id::text', 'updated_at::text'];
      const { rows } = await client.query<{ row: string }>(`SELECT ${identity} || ' ' || xmin::text || ' ' || ${updated} AS row FROM ${table} ORDER BY 1`);
      snapshot[table] = rows.map((row) => row.row);
    }
    return snapshot;
  });
}

/** Row counts of the catalog tables, in all and for one feed. */
export async function catalogCounts(databaseUrl: string, feedCode: string): Promise<Record<string, number>> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<Record<string, number>>(
      `WITH f AS (SELECT id FROM feeds WHERE code = $1)
       SELECT (SELECT count(*)::int FROM feeds) AS feeds,
              (SELECT count(*)::int FROM stations) AS stations,
              (SELECT count(*)::int FROM trains) AS trains,
              (SELECT count(*)::int FROM route_stops) AS route_stops,
              (SELECT count(*)::int FROM agencies a JOIN f ON a.feed_id = f.id) AS feed_agencies,
              (SELECT count(*)::int FROM stations s JOIN f ON s.feed_id = f.id) AS feed_stations,
              (SELECT count(*)::int FROM platforms p JOIN stations s ON s.id = p.station_id JOIN f ON s.feed_id = f.id) AS feed_platforms,
              (SELECT count(*)::int FROM trains t JOIN f ON t.feed_id = f.id) AS feed_trains,
              (SELECT count(*)::int FROM train_patterns p JOIN trains t ON t.id = p.train_id JOIN f ON t.feed_id = f.id) AS feed_patterns,
              (SELECT count(*)::int FROM route_stops rs JOIN trains t ON t.id = rs.train_id JOIN f ON t.feed_id = f.id) AS feed_route_stops`,
      [feedCode],
    );
    return rows[0];
  });
}

/**
 * Waits until the app serves the catalog version the database has now. An import is a write made
 * elsewhere: an instance picks it up at its next version check (every 2 s), as it would another
 * instance's write.
 */
export async function catalogCaughtUp(api: TestApi, databaseUrl: string): Promise<void> {
  const [{ version }] = await withClient(databaseUrl, async (client) => (await client.query<{ version: string }>(`SELECT version::text AS version FROM catalog_version`)).rows);
  const served = async () => BigInt((await api.http.get('/api/v1/catalog').expect(200)).body.version as string);
  await waitFor(async () => (await served()) >= BigInt(version), 10_000, `the app to serve catalog version ${version}`, 100);
}
