import { parse } from 'csv-parse/sync';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openGtfsSource } from '../../src/routes/gtfs/gtfs-source.js';

/**
 * GTFS feeds for tests, shared by unit and e2e tests: the real fixture feeds, their files as
 * editable text, deliberately broken copies written to a temporary folder, and a small synthetic
 * feed for the cases the real ones do not have.
 */

export type FixtureFeed = 'lirr' | 'sound-transit';

/** test/fixtures/gtfs/<name>/gtfs.zip (see the README there for every count). */
export const fixtureFeedPath = (name: FixtureFeed) => fileURLToPath(new URL(`../fixtures/gtfs/${name}/gtfs.zip`, import.meta.url));

/** The committed Indian Railways feed made by `npm run india:gtfs`. */
export const indiaFeedPath = () => fileURLToPath(new URL('../../catalog/india/gtfs.zip', import.meta.url));

/** A feed's files by name, as text. */
export type FeedFiles = Map<string, string>;

/** Every `.txt` file of a zip or folder, as text. */
export async function readFeedFiles(path: string): Promise<FeedFiles> {
  const source = await openGtfsSource(path);
  try {
    const files: FeedFiles = new Map();
    for (const file of [...source.files].sort()) {
      const chunks: Buffer[] = [];
      for await (const chunk of await source.open(file)) chunks.push(chunk as Buffer);
      files.set(file, Buffer.concat(chunks).toString('utf8'));
    }
    return files;
  } finally {
    await source.close();
  }
}

/** Writes the files into a new temporary folder and returns its path; `removeFeedFolder` when done. */
export async function writeFeedFolder(files: FeedFiles): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'gtfs-feed-'));
  for (const [file, text] of files) await writeFile(join(folder, file), text);
  return folder;
}

export const removeFeedFolder = (folder: string) => rm(folder, { recursive: true, force: true });

/** A copy of a fixture feed, changed by `edit`, in a temporary folder. */
export async function brokenCopy(name: FixtureFeed, edit: (files: FeedFiles) => void): Promise<string> {
  const files = await readFeedFiles(fixtureFeedPath(name));
  edit(files);
  return writeFeedFolder(files);
}

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** Keeps a file's own line ending (LIRR's are CRLF). */
const lineBreakOf = (text: string) => (text.includes('\r\n') ? '\r\n' : '\n');

/** Sets one field of the record on `line` (1-based; the header is line 1) of a file. */
export function setField(files: FeedFiles, file: string, line: number, field: string, value: string): void {
  const text = files.get(file);
  if (text === undefined) throw new Error(`no ${file}`);
  const eol = lineBreakOf(text);
  const lines = text.split(eol);
  const header = (parse(lines[0], { bom: true }) as string[][])[0];
  const column = header.indexOf(field);
  if (column < 0) throw new Error(`${file} has no column ${field}`);
  const values = (parse(lines[line - 1]) as string[][])[0];
  values[column] = value;
  lines[line - 1] = values.map(csvField).join(',');
  files.set(file, lines.join(eol));
}

/** The 1-based line of the first record of `file` whose `field` is `value`. */
export function lineWhere(files: FeedFiles, file: string, field: string, value: string): number {
  const records = parse(files.get(file)!, { bom: true, columns: true, info: true }) as { record: Record<string, string>; info: { lines: number } }[];
  const found = records.find(({ record }) => record[field] === value);
  if (!found) throw new Error(`${file} has no ${field} ${value}`);
  return found.info.lines;
}

/** Removes the records on these lines (1-based). */
export function deleteLines(files: FeedFiles, file: string, ...lineNumbers: number[]): void {
  const text = files.get(file)!;
  const eol = lineBreakOf(text);
  files.set(file, text.split(eol).filter((_, index) => !lineNumbers.includes(index + 1)).join(eol));
}

/** Rows to CSV text with a header; LF line endings. */
export const csvText = (header: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [header, ...rows].map((row) => row.map((value) => csvField(String(value))).join(',')).join('\n') + '\n';

/**
 * A small valid feed: agency A (Europe/Berlin); station S1 with platforms S1-1 and S1-2 (platform
 * codes 1 and 2), standalone stops S2 and S3; route R1; weekday service WK (2026-01-05 to
 * 2026-01-18, without 2026-01-07, plus Saturday 2026-01-10); trip T1 (number 101) S1-1 → S2 → S3
 * from 23:50 to 25:10, and trip T2 (no short name) S3 → S1-2.
 */
export function smallFeed(): FeedFiles {
  return new Map([
    ['agency.txt', csvText(['agency_id', 'agency_name', 'agency_url', 'agency_timezone'], [['A', 'Agency A', 'https://example.org', 'Europe/Berlin']])],
    [
      'stops.txt',
      csvText(
        ['stop_id', 'stop_code', 'stop_name', 'stop_lat', 'stop_lon', 'location_type', 'parent_station', 'platform_code'],
        [
          ['S1', 'S1', 'Station One', '50.1', '8.6', '1', '', ''],
          ['S1-1', '', 'Station One', '50.1', '8.6', '0', 'S1', '1'],
          ['S1-2', '', 'Station One', '50.1', '8.6', '0', 'S1', '2'],
          ['S2', 'S2', 'Stop Two', '50.2', '8.7', '', '', ''],
          ['S3', 'S3', 'Stop Three', '50.3', '8.8', '0', '', ''],
        ],
      ),
    ],
    ['routes.txt', csvText(['route_id', 'agency_id', 'route_short_name', 'route_long_name', 'route_type'], [['R1', 'A', 'RE1', 'One to Three', '2']])],
    [
      'trips.txt',
      csvText(
        ['route_id', 'service_id', 'trip_id', 'trip_headsign', 'trip_short_name', 'direction_id'],
        [
          ['R1', 'WK', 'T1', 'Stop Three', '101', '0'],
          ['R1', 'WK', 'T2', 'Station One', '', '1'],
        ],
      ),
    ],
    [
      'stop_times.txt',
      csvText(
        ['trip_id', 'arrival_time', 'departure_time', 'stop_id', 'stop_sequence', 'shape_dist_traveled'],
        [
          ['T1', '23:50:00', '23:50:00', 'S1-1', '1', '0'],
          ['T1', '24:30:00', '24:32:00', 'S2', '2', '12.5'],
          ['T1', '25:10:00', '25:10:00', 'S3', '3', '30'],
          ['T2', '6:05:00', '06:05:00', 'S3', '1', ''],
          ['T2', '06:40:00', '06:40:00', 'S1-2', '2', ''],
        ],
      ),
    ],
    ['calendar.txt', csvText(['service_id', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'start_date', 'end_date'], [['WK', 1, 1, 1, 1, 1, 0, 0, '20260105', '20260118']])],
    [
      'calendar_dates.txt',
      csvText(
        ['service_id', 'date', 'exception_type'],
        [
          ['WK', '20260107', '2'],
          ['WK', '20260110', '1'],
        ],
      ),
    ],
  ]);
}

export const INDIAN_TIMETABLE_HEADER = [
  'Train No',
  'Train Name',
  'SEQ',
  'Station Code',
  'Station Name',
  'Arrival time',
  'Departure Time',
  'Distance',
  'Source Station',
  'Source Station Name',
  'Destination Station',
  'Destination Station Name',
] as const;

/** Rows in the column order of the 2017 timetable CSV, as that file has them: CRLF, quoted only where needed. */
export const indianTimetableCsv = (rows: readonly (readonly (string | number)[])[]) => csvText(INDIAN_TIMETABLE_HEADER, rows).replaceAll('\n', '\r\n');

/** A DataMeet stations.json feature; `at` is [longitude, latitude], or null as for 293 stations. */
export const dataMeetStation = (code: string, name: string, at: [number, number] | null) => ({
  type: 'Feature',
  properties: { code, name, state: null, zone: null, address: null },
  geometry: at && { type: 'Point', coordinates: at },
});

/** A running-days trains_dict.json entry. */
export const runningDaysEntry = (name: string, stations: string[], days: readonly ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[]) => ({
  Train_name: name,
  Stations: stations,
  Runs_on: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, days.includes(day as never) ? 1 : 0])),
});
