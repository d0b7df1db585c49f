import { WEEKDAYS, type Weekday } from '../../../trains/train-type.js';
import { DAYS_UNKNOWN_SERVICE_ID } from '../gtfs-feed.reader.js';
import { formatGtfsTime } from '../gtfs-time.js';
import { cleanName, DATAMEET_ALIASES, parseIndianTimetable, titleCase, type IndianTrain } from './india-timetable.js';

/** DataMeet's stations.json: GeoJSON points (or null geometry) with `code` and `name`. */
export interface DataMeetStations {
  features: { properties: { code: string; name: string | null }; geometry: { coordinates: [number, number] } | null }[];
}

/** running-days trains_dict.json: per 5-digit train number, its name, stations and weekdays. */
export type RunningDays = Record<string, { Train_name?: string; Stations?: string[]; Runs_on?: Partial<Record<string, number>> }>;

export interface IndiaSources {
  timetableCsv: string | Buffer;
  stations: DataMeetStations;
  runningDays: RunningDays;
}

/**
 * calendar.txt validity of every service. The 2017 timetable has no dates of its own; this range
 * covers the demo period with room to spare. A catalog should keep the weekday rule and this
 * range, not one row per date.
 */
export const INDIA_CALENDAR = { startDate: '20250101', endDate: '20301231' } as const;

export const INDIA_AGENCY = { id: 'IR', name: 'Indian Railways', url: 'https://indianrailways.gov.in', timezone: 'Asia/Kolkata', lang: 'en' } as const;

export interface IndiaGtfsSummary {
  trains: number;
  stopTimes: number;
  stations: number;
  stationsWithCoordinates: number;
  stationNamesFrom: { datameet: number; endpointColumns: number; timetable: number };
  trainsWithRunningDays: number;
  trainsCrossingMidnight: number;
  longestJourneyDays: number;
  /** Typos in the timetable's times that were repaired (see applyDayOffsets). */
  repairs: string[];
}

export interface IndiaGtfs {
  /** [file name, content] in the order they go into the zip. */
  files: [string, string][];
  summary: IndiaGtfsSummary;
}

const RUNS_ON_KEYS: Record<Weekday, string> = { MON: 'mon', TUE: 'tue', WED: 'wed', THU: 'thu', FRI: 'fri', SAT: 'sat', SUN: 'sun' };

/** service_id for trains known to run on these weekdays: `RUNS_DAILY`, `RUNS_MON_THU`, … */
export const serviceIdFor = (runsOn: readonly Weekday[]) => (runsOn.length === 7 ? 'RUNS_DAILY' : `RUNS_${runsOn.join('_')}`);

/**
 * Days of operation, which the 2017 timetable lacks (defect 1), from the 2023 running-days file,
 * only when the train number and both end stations match (the rest changed route since, so their
 * days would describe another train). Null means unknown.
 */
export function runningDaysFor(train: IndianTrain, runningDays: RunningDays): { runsOn: Weekday[]; name: string | null } | null {
  const entry = runningDays[train.number];
  const stations = entry?.Stations;
  if (!entry || !stations?.length) return null;
  if (stations[0] !== train.stops[0].code || stations[stations.length - 1] !== train.stops[train.stops.length - 1].code) return null;
  const runsOn = WEEKDAYS.filter((day) => entry.Runs_on?.[RUNS_ON_KEYS[day]] === 1);
  if (runsOn.length === 0) return null;
  return { runsOn, name: entry.Train_name?.trim() || null };
}

/** Quotes a CSV field only where RFC 4180 needs it. */
const field = (value: string | number) => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
const csv = (header: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [header, ...rows].map((row) => row.map(field).join(',')).join('\n') + '\n';

/** Six decimals (about 0.1 m): DataMeet's floats carry binary noise such as 88.39505499999999. */
const coordinate = (value: number) => Number(value.toFixed(6));

/**
 * Converts the three Indian sources into the files of a GTFS feed. Deterministic: the same inputs
 * give the same text (sorted stations, trains in timetable order, LF line endings).
 */
export function buildIndiaGtfs(sources: IndiaSources, calendar: { startDate: string; endDate: string } = INDIA_CALENDAR): IndiaGtfs {
  const { trains, endpointNames, repairs } = parseIndianTimetable(sources.timetableCsv);
  const datameet = new Map(sources.stations.features.map((feature) => [feature.properties.code, feature]));

  const shortNames = new Map<string, string>();
  for (const train of trains) for (const stop of train.stops) shortNames.set(stop.code, stop.shortName);

  // Defect 5: names cut to 12 characters. DataMeet's name where the code matches (through the
  // alias table, defect 10), unless DataMeet only repeats the code; else the full name from the
  // source/destination columns; else the cut name.
  const stationNamesFrom = { datameet: 0, endpointColumns: 0, timetable: 0 };
  let stationsWithCoordinates = 0;
  const stationNames = new Map<string, string>();
  const stopRows = [...shortNames.keys()].sort().map((code) => {
    const feature = datameet.get(DATAMEET_ALIASES[code] ?? code);
    const datameetName = cleanName(feature?.properties.name ?? '');
    let name: string;
    if (datameetName && datameetName !== feature!.properties.code && !/^(XX|YY)-/.test(datameetName)) {
      name = datameetName;
      stationNamesFrom.datameet++;
    } else if (endpointNames.has(code)) {
      name = cleanName(endpointNames.get(code)!);
      stationNamesFrom.endpointColumns++;
    } else {
      name = cleanName(shortNames.get(code)!);
      stationNamesFrom.timetable++;
    }
    name = titleCase(name);
    stationNames.set(code, name);
    const point = feature?.geometry?.coordinates;
    if (point) stationsWithCoordinates++;
    return [code, code, name, point ? coordinate(point[1]) : '', point ? coordinate(point[0]) : ''];
  });

  const routeRows: (string | number)[][] = [];
  const tripRows: string[][] = [];
  const stopTimeRows: (string | number)[][] = [];
  const services = new Map<string, Weekday[]>();
  let trainsWithRunningDays = 0;
  let trainsCrossingMidnight = 0;
  let longestJourneyDays = 1;
  for (const train of trains) {
    const days = runningDaysFor(train, sources.runningDays);
    let serviceId: string = DAYS_UNKNOWN_SERVICE_ID;
    if (days) {
      trainsWithRunningDays++;
      serviceId = serviceIdFor(days.runsOn);
      services.set(serviceId, days.runsOn);
    }
    const codes = new Set([train.sourceCode, train.destinationCode, ...train.stops.map((stop) => stop.code)]);
    const name = titleCase(cleanName(days?.name ?? train.shortName), codes);
    const last = train.stops[train.stops.length - 1];
    const journeyDays = Math.floor(last.arrival / 86_400) + 1;
    if (journeyDays > 1) trainsCrossingMidnight++;
    longestJourneyDays = Math.max(longestJourneyDays, journeyDays);
    routeRows.push([train.number, INDIA_AGENCY.id, train.number, name, 2]);
    tripRows.push([train.number, serviceId, train.number, stationNames.get(last.code)!, train.number]);
    for (const stop of train.stops) {
      stopTimeRows.push([train.number, formatGtfsTime(stop.arrival), formatGtfsTime(stop.departure), stop.code, stop.sequence, stop.distanceKm]);
    }
  }
  const calendarRows = [...services]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, runsOn]) => [id, ...WEEKDAYS.map((day) => (runsOn.includes(day) ? 1 : 0)), calendar.startDate, calendar.endDate]);
  // Trips whose days are unknown still need a service; every day is a placeholder that the
  // reader flags with daysKnown false (see catalog/india/README.md).
  if (trains.length > trainsWithRunningDays) calendarRows.push([DAYS_UNKNOWN_SERVICE_ID, 1, 1, 1, 1, 1, 1, 1, calendar.startDate, calendar.endDate]);

  const files: [string, string][] = [
    ['agency.txt', csv(['agency_id', 'agency_name', 'agency_url', 'agency_timezone', 'agency_lang'], [Object.values(INDIA_AGENCY)])],
    ['stops.txt', csv(['stop_id', 'stop_code', 'stop_name', 'stop_lat', 'stop_lon'], stopRows)],
    ['routes.txt', csv(['route_id', 'agency_id', 'route_short_name', 'route_long_name', 'route_type'], routeRows)],
    ['trips.txt', csv(['route_id', 'service_id', 'trip_id', 'trip_headsign', 'trip_short_name'], tripRows)],
    ['stop_times.txt', csv(['trip_id', 'arrival_time', 'departure_time', 'stop_id', 'stop_sequence', 'shape_dist_traveled'], stopTimeRows)],
    ['calendar.txt', csv(['service_id', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'start_date', 'end_date'], calendarRows)],
    [
      'feed_info.txt',
      csv(
        ['feed_publisher_name', 'feed_publisher_url', 'feed_lang', 'feed_start_date', 'feed_end_date', 'feed_version'],
        [['Train Tracker: Indian Railways timetable 2017, converted', 'https://data.gov.in', 'en', calendar.startDate, calendar.endDate, 'IR-2017-12-22']],
      ),
    ],
    [
      'attributions.txt',
      csv(
        ['attribution_id', 'organization_name', 'is_producer', 'is_operator', 'is_authority', 'attribution_url'],
        [
          ['timetable', 'Source: Ministry of Railways, Government of India, via the Open Government Data Platform India (data.gov.in). Licensed under the Government Open Data License – India', 0, 1, 1, 'https://data.gov.in'],
          ['stations', 'Station names and coordinates: DataMeet (datameet/railways), CC0', 1, 0, 0, 'https://github.com/datameet/railways'],
          ['running-days', 'Days of operation: BhanuTeella/Indian-Railways-Data, CC0, unverified', 1, 0, 0, 'https://github.com/BhanuTeella/Indian-Railways-Data'],
        ],
      ),
    ],
  ];
  return {
    files,
    summary: {
      trains: trains.length,
      stopTimes: stopTimeRows.length,
      stations: stopRows.length,
      stationsWithCoordinates,
      stationNamesFrom,
      trainsWithRunningDays,
      trainsCrossingMidnight,
      longestJourneyDays,
      repairs,
    },
  };
}
