import { parse } from 'csv-parse/sync';
import { gtfsTimeSeconds } from '../gtfs-time.js';

/**
 * The rules that repair the 2017 Indian Railways timetable (data.gov.in, one row per stop) on its
 * way to GTFS. Each answers one defect listed in catalog/india/source/README.md; they are pure so
 * each has a test of its own.
 */

/** One row of Train_details_22122017.csv, as published. */
export interface IndianTimetableRow {
  'Train No': string;
  'Train Name': string;
  SEQ: string;
  'Station Code': string;
  'Station Name': string;
  'Arrival time': string;
  'Departure Time': string;
  Distance: string;
  'Source Station': string;
  'Source Station Name': string;
  'Destination Station': string;
  'Destination Station Name': string;
}

const INDIAN_TIMETABLE_COLUMNS = [
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
] as const satisfies readonly (keyof IndianTimetableRow)[];

export interface IndianStop {
  /** Line in the CSV, for messages. */
  line: number;
  sequence: number;
  code: string;
  /** As published: upper case, cut to 12 characters. */
  shortName: string;
  /** Seconds from the start of the train's first day: day offsets applied, placeholders resolved. */
  arrival: number;
  departure: number;
  distanceKm: number;
}

export interface IndianTrain {
  /** Five digits, leading zeros restored. */
  number: string;
  /** As published: cut to 12 characters. */
  shortName: string;
  /** The `Source Station` and `Destination Station` columns (which may disagree with `stops`). */
  sourceCode: string;
  destinationCode: string;
  stops: IndianStop[];
}

export interface IndianTimetable {
  /** In the order of the file (by train number). */
  trains: IndianTrain[];
  /**
   * Full names (up to 47 characters) of the stations named in the `Source Station` and
   * `Destination Station` columns, by code. Those columns may disagree with a train's stops
   * (defect 8), so they name stations but never make a route.
   */
  endpointNames: ReadonlyMap<string, string>;
  /** Times applyDayOffsets repaired, one line each. */
  repairs: string[];
}

const SECONDS_PER_DAY = 86_400;

/** Defect 6: `107` is train 00107; numbers lost their leading zeros. */
export const padTrainNumber = (raw: string) => raw.trim().padStart(5, '0');

/**
 * Slowest average speed (km/h) a leg may have once a day is added for a clock going backwards.
 * The six legs of the 2017 data whose clock goes back by less than 3 hours are 800-1,400 km long
 * (about 22 hours' travel), except one: 13287 leaves JOC at 23:43 and reaches BURN, 32 km on,
 * at 23:17, which would make the rest of the journey a day late. A typo, not a day.
 */
export const SLOWEST_PLAUSIBLE_KMH = 5;

export interface ClockStop {
  arrival: string;
  departure: string;
  distanceKm: number;
}

/**
 * Defect 2: times are clock times without a day. Walks the times in SEQ order (arrival, then
 * departure, stop after stop) and adds a day each time the clock goes backwards, unless the
 * distance covered makes that day implausible (slower than SLOWEST_PLAUSIBLE_KMH): then the
 * previous stop's departure is a typo and is taken as its arrival (reported to `onRepair`).
 * Defect 3: `00:00:00` means "none" only as the first stop's arrival and the last stop's
 * departure; elsewhere it is midnight. GTFS wants both times at both ends, so a missing one
 * takes the other's value.
 */
export function applyDayOffsets(stops: readonly ClockStop[], onRepair: (index: number, message: string) => void = () => undefined): { arrival: number; departure: number }[] {
  const last = stops.length - 1;
  const clockOf = (text: string): number => {
    const seconds = gtfsTimeSeconds(text);
    if (Number.isNaN(seconds) || seconds >= SECONDS_PER_DAY) throw new Error(`"${text}" is not a clock time HH:MM:SS`);
    return seconds;
  };
  const times: { arrival: number | null; departure: number | null }[] = [];
  let day = 0;
  let previous = -1;
  stops.forEach((stop, index) => {
    const arrivalClock = index === 0 && stop.arrival === '00:00:00' ? null : clockOf(stop.arrival);
    const departureClock = index === last && stop.departure === '00:00:00' ? null : clockOf(stop.departure);
    let arrival: number | null = null;
    if (arrivalClock !== null) {
      if (arrivalClock < previous) {
        const before = times[index - 1];
        const hours = (arrivalClock + SECONDS_PER_DAY - previous) / 3600;
        const typo = index > 0 && (stop.distanceKm - stops[index - 1].distanceKm) / hours < SLOWEST_PLAUSIBLE_KMH;
        if (typo && before.arrival !== null && before.arrival % SECONDS_PER_DAY <= arrivalClock && Math.floor(before.arrival / SECONDS_PER_DAY) === day) {
          onRepair(index - 1, `departure ${stops[index - 1].departure} is after the next arrival ${stop.arrival} only ${stop.distanceKm - stops[index - 1].distanceKm} km on: taken as its arrival ${stops[index - 1].arrival}`);
          before.departure = before.arrival;
        } else {
          day++;
        }
      }
      previous = arrivalClock;
      arrival = day * SECONDS_PER_DAY + arrivalClock;
    }
    let departure: number | null = null;
    if (departureClock !== null) {
      if (departureClock < previous) day++;
      previous = departureClock;
      departure = day * SECONDS_PER_DAY + departureClock;
    }
    if (arrival === null && departure === null) throw new Error('a stop without any time');
    times.push({ arrival, departure });
  });
  return times.map(({ arrival, departure }) => ({ arrival: arrival ?? departure!, departure: departure ?? arrival! }));
}

/** Defects 4 and 7: backticks, runs of spaces, a trailing comma (`"BALRAMPUR,"`). */
export const cleanName = (raw: string) =>
  raw
    .replaceAll('`', '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s,]+$/, '');

/** Words written in capitals whatever the case around them. */
const ACRONYMS = new Set(['AC', 'DMU', 'EMU', 'MEMU', 'DEMU', 'MMTS', 'II', 'III', 'IV']);
/** Vowel-less abbreviations that read as words: Jn(ction), Rd (Road), St(ation). */
const WORD_ABBREVIATIONS = new Set(['JN', 'RD', 'ST', 'STN']);
/** Written in lower case unless first. */
const MINOR_WORDS = new Set(['OF', 'ON', 'THE', 'AND']);

/**
 * Defects 5 and 7: names in capitals (`BANGALORE CITY JN`) or lower case (`tpty spl`) become
 * `Bangalore City Jn`, `TPTY SPL`, `Palace on WH`; names already in mixed case are kept.
 * Vowel-less words (`CST`, `SPL`, station codes such as `HWH`) and single letters stay in
 * capitals, as do the words in `keepUpper` (for a train's name, the codes of its stations, so
 * `SWV-MAO-VLNK` stays).
 */
export function titleCase(name: string, keepUpper: ReadonlySet<string> = new Set()): string {
  const mixed = name !== name.toUpperCase() && name !== name.toLowerCase();
  if (mixed) return name;
  return name.replace(/[A-Za-z]+/g, (word, offset: number) => {
    const upper = word.toUpperCase();
    if (offset > 0 && MINOR_WORDS.has(upper)) return word.toLowerCase();
    if (WORD_ABBREVIATIONS.has(upper)) return upper[0] + upper.slice(1).toLowerCase();
    if (upper.length === 1 || ACRONYMS.has(upper) || keepUpper.has(upper) || !/[AEIOU]/.test(upper)) return upper;
    return upper[0] + upper.slice(1).toLowerCase();
  });
}

/**
 * Defect 10: the timetable uses station codes renamed after DataMeet's 2016 list was made; these
 * are the DataMeet codes to look them up under.
 */
export const DATAMEET_ALIASES: Readonly<Record<string, string>> = { CSMT: 'CSTM' };

/**
 * Parses the timetable CSV (csv-parse: one name holds a quoted comma, defect 4) into trains, rows
 * grouped by train and ordered by SEQ. Throws naming the line of any row it cannot repair.
 */
export function parseIndianTimetable(csv: string | Buffer): IndianTimetable {
  // Arrays rather than csv-parse's `columns` and `info` (two objects per record); lines are counted
  // here, as the reader does (a record per line, plus any line break inside a quoted field).
  const [header, ...records] = parse(csv, { bom: true, skip_empty_lines: false, relax_column_count: true }) as string[][];
  const column = (name: keyof IndianTimetableRow) => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`line 1: the header has no column "${name}"`);
    return at;
  };
  const columns = Object.fromEntries(INDIAN_TIMETABLE_COLUMNS.map((name) => [name, column(name)])) as Record<keyof IndianTimetableRow, number>;
  const byNumber = new Map<string, { shortName: string; rows: { row: IndianTimetableRow; line: number }[] }>();
  const endpointNames = new Map<string, string>();
  let line = 1;
  for (const values of records) {
    line++;
    const first = line;
    for (const value of values) if (value.includes('\n')) line += value.split('\n').length - 1;
    if (values.length === 1 && values[0].trim() === '') continue;
    if (values.length !== header.length) throw new Error(`line ${first}: ${values.length} fields where the header has ${header.length}`);
    const record = Object.fromEntries(INDIAN_TIMETABLE_COLUMNS.map((name) => [name, values[columns[name]]])) as unknown as IndianTimetableRow;
    endpointNames.set(record['Source Station'].trim(), record['Source Station Name']);
    endpointNames.set(record['Destination Station'].trim(), record['Destination Station Name']);
    const number = padTrainNumber(record['Train No']);
    if (!/^\d{5}$/.test(number)) throw new Error(`line ${first}: train number "${record['Train No']}" has more than 5 digits or is not a number`);
    let train = byNumber.get(number);
    if (!train) byNumber.set(number, (train = { shortName: record['Train Name'], rows: [] }));
    train.rows.push({ row: record, line: first });
  }
  const trains: IndianTrain[] = [];
  const repairs: string[] = [];
  for (const [number, { shortName, rows }] of byNumber) {
    rows.sort((a, b) => Number(a.row.SEQ) - Number(b.row.SEQ));
    let times: { arrival: number; departure: number }[];
    try {
      times = applyDayOffsets(
        rows.map(({ row }) => ({ arrival: row['Arrival time'].trim(), departure: row['Departure Time'].trim(), distanceKm: Number(row.Distance) })),
        (index, message) => repairs.push(`train ${number} at ${rows[index].row['Station Code'].trim()} (line ${rows[index].line}): ${message}`),
      );
    } catch (error) {
      throw new Error(`train ${number} (lines ${rows[0].line}-${rows[rows.length - 1].line}): ${(error as Error).message}`);
    }
    trains.push({
      number,
      shortName,
      sourceCode: rows[0].row['Source Station'].trim(),
      destinationCode: rows[0].row['Destination Station'].trim(),
      stops: rows.map(({ row, line }, index) => ({
        line,
        sequence: Number(row.SEQ),
        code: row['Station Code'].trim(),
        shortName: row['Station Name'],
        arrival: times[index].arrival,
        departure: times[index].departure,
        distanceKm: Number(row.Distance),
      })),
    });
  }
  return { trains, endpointNames, repairs };
}
