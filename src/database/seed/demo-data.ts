import { readFileSync } from 'node:fs';
import { type PlannedStop, routeProblems } from '../../routes/route-rules.js';
import { parseClock } from '../../routes/schedule-time.js';
import { STATION_CODE_PATTERN, TRAIN_NUMBER_PATTERN } from '../../common/validation/codes.js';
import { TRAIN_TYPES, WEEKDAYS, type TrainType, type Weekday } from '../../trains/train-type.js';

/** A station as written in data/stations.json. */
export interface StationRecord {
  code: string;
  name: string;
  city: string;
  state: string;
  latitude: number | null;
  longitude: number | null;
}

/** A stop as written in data/trains.json: clock times plus the (1-based) day of arrival. */
interface StopRecord {
  station: string;
  arrival?: string;
  departure?: string;
  day: number;
  km: number;
  platform?: string;
}

interface TrainRecord {
  number: string;
  name: string;
  type: TrainType;
  runsOn: Weekday[];
  stops: StopRecord[];
}

/** A stop ready for the route_stops table. */
export interface StopRow extends PlannedStop {
  platform: string | null;
}

export interface TrainData {
  number: string;
  name: string;
  type: TrainType;
  runsOn: Weekday[];
  stops: StopRow[];
}

export interface DemoData {
  stations: StationRecord[];
  trains: TrainData[];
}

const DATA_DIR = new URL('./data/', import.meta.url);

/** Reads and checks the demo data files; throws naming the first bad record. */
export function loadDemoData(dir: URL = DATA_DIR): DemoData {
  const stations = JSON.parse(readFileSync(new URL('stations.json', dir), 'utf8')) as StationRecord[];
  const trains = JSON.parse(readFileSync(new URL('trains.json', dir), 'utf8')) as TrainRecord[];
  return parseDemoData(stations, trains);
}

export function parseDemoData(stations: StationRecord[], trains: TrainRecord[]): DemoData {
  const codes = new Set<string>();
  for (const station of stations) {
    const where = `station ${JSON.stringify(station.code)}`;
    check(STATION_CODE_PATTERN.test(station.code), `${where}: bad code`);
    check(!codes.has(station.code), `${where}: duplicate code`);
    check(Boolean(station.name && station.city && station.state), `${where}: name, city and state are required`);
    codes.add(station.code);
  }
  const numbers = new Set<string>();
  const parsed = trains.map((train) => {
    const where = `train ${JSON.stringify(train.number)}`;
    check(TRAIN_NUMBER_PATTERN.test(train.number), `${where}: bad number`);
    check(!numbers.has(train.number), `${where}: duplicate number`);
    numbers.add(train.number);
    check(TRAIN_TYPES.includes(train.type), `${where}: unknown type ${train.type}`);
    check(train.runsOn.length > 0 && train.runsOn.every((day) => WEEKDAYS.includes(day)), `${where}: bad runsOn`);
    const runsOn = WEEKDAYS.filter((day) => train.runsOn.includes(day));
    return { number: train.number, name: train.name, type: train.type, runsOn, stops: toStopRows(train, codes) };
  });
  return { stations, trains: parsed };
}

function toStopRows(train: TrainRecord, codes: Set<string>): StopRow[] {
  const rows = train.stops.map((stop, index): StopRow => {
    const where = `train ${train.number} stop ${index + 1} (${stop.station})`;
    check(codes.has(stop.station), `${where}: unknown station`);
    check(Number.isInteger(stop.day) && stop.day >= 1, `${where}: day must be 1 or more`);
    check(Number.isInteger(stop.km), `${where}: km must be a whole number`);
    const arrivalMinute = stop.arrival === undefined ? null : parseClock(stop.arrival);
    const departureMinute = stop.departure === undefined ? null : parseClock(stop.departure);
    check(stop.arrival === undefined || arrivalMinute !== null, `${where}: arrival must be HH:mm`);
    check(stop.departure === undefined || departureMinute !== null, `${where}: departure must be HH:mm`);
    const dayOffset = stop.day - 1;
    // `day` is the day of arrival; a departure earlier on the clock than the arrival is after midnight.
    const departureDay =
      departureMinute === null ? null : arrivalMinute !== null && departureMinute < arrivalMinute ? dayOffset + 1 : dayOffset;
    return {
      stationCode: stop.station,
      sequence: index + 1,
      arrivalMinute,
      arrivalDay: arrivalMinute === null ? null : dayOffset,
      departureMinute,
      departureDay,
      distanceKm: stop.km,
      platform: stop.platform ?? null,
    };
  });
  const problems = routeProblems(rows);
  check(problems.length === 0, `train ${train.number}: ${problems.map((p) => `${p.field} ${p.messages.join(', ')}`).join('; ')}`);
  return rows;
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`Invalid demo data: ${message}`);
}
