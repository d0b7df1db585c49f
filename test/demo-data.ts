import { readFileSync } from 'node:fs';

/**
 * The demo catalog the test database was seeded with, read straight from the data files. Expected
 * values are computed here with plain arithmetic on the files' "HH:mm" strings and journey days,
 * not with the app's parser or formatters, so a bug there cannot agree with itself in a test.
 */

interface StationRecord {
  code: string;
  name: string;
  city: string;
  state: string;
  latitude: number | null;
  longitude: number | null;
}

/** A stop as written in trains.json: clock times plus the (1-based) day of arrival. */
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
  type: string;
  runsOn: string[];
  stops: StopRecord[];
}

export interface DemoStop {
  stationCode: string;
  sequence: number;
  /** "HH:mm" as written in the data file, or null. */
  arrivalTime: string | null;
  departureTime: string | null;
  arrivalMinute: number | null;
  departureMinute: number | null;
  /** 0-based day of the journey. */
  arrivalDay: number | null;
  departureDay: number | null;
  distanceKm: number;
  platform: string | null;
}

export interface DemoTrain {
  number: string;
  name: string;
  type: string;
  runsOn: string[];
  stops: DemoStop[];
}

const DATA_DIR = new URL('../src/database/seed/data/', import.meta.url);
const read = <T>(file: string): T => JSON.parse(readFileSync(new URL(file, DATA_DIR), 'utf8')) as T;

/** "07:05" → 425: hours times 60 plus minutes. */
export const minutesOf = (time: string): number => {
  const [hours, minutes] = time.split(':');
  return Number(hours) * 60 + Number(minutes);
};

function stopOf(record: StopRecord, index: number): DemoStop {
  const arrivalMinute = record.arrival === undefined ? null : minutesOf(record.arrival);
  const departureMinute = record.departure === undefined ? null : minutesOf(record.departure);
  const day = record.day - 1;
  return {
    stationCode: record.station,
    sequence: index + 1,
    arrivalTime: record.arrival ?? null,
    departureTime: record.departure ?? null,
    arrivalMinute,
    departureMinute,
    arrivalDay: arrivalMinute === null ? null : day,
    // `day` is the day of arrival: a departure earlier on the clock than the arrival is after midnight.
    departureDay: departureMinute === null ? null : arrivalMinute !== null && departureMinute < arrivalMinute ? day + 1 : day,
    distanceKm: record.km,
    platform: record.platform ?? null,
  };
}

export const demo: { stations: StationRecord[]; trains: DemoTrain[] } = {
  stations: read<StationRecord[]>('stations.json'),
  trains: read<TrainRecord[]>('trains.json').map((train) => ({ ...train, stops: train.stops.map(stopOf) })),
};

export const trainData = (number: string): DemoTrain => {
  const train = demo.trains.find((candidate) => candidate.number === number);
  if (!train) throw new Error(`train ${number} is not in the demo data`);
  return train;
};

/** Minutes from midnight of the journey's first day: day × 1440 + minute of the day. */
export const at = (minute: number | null, day: number | null): number | null => (minute === null || day === null ? null : day * 1440 + minute);
