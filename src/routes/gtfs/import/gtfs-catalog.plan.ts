import { STATION_CODE_PATTERN, TRAIN_NUMBER_PATTERN } from '../../../common/validation/code-patterns.js';
import type { TrainType } from '../../../trains/train-type.js';
import { MINUTES_PER_DAY } from '../../schedule-time.js';
import { datesOf, runDaysOf, type ServiceCalendar, shiftCalendar } from '../../service-calendar.js';
import { mainPatternOf } from '../../timetable.model.js';
import type { GtfsProblem } from '../gtfs-feed.error.js';
import type { GtfsFeed } from '../gtfs-feed.js';
import type { GtfsRoute, GtfsService, GtfsStopTime, GtfsTrip } from '../gtfs-feed.model.js';
import {
  type CatalogPlan,
  DISTANCE_UNITS,
  type GtfsImportRules,
  type NumberRule,
  type PlannedPattern,
  type PlannedPlatform,
  type PlannedStation,
  type PlannedStop,
  type PlannedTrain,
  type PlanResult,
} from './gtfs-import.model.js';

/** The longest journey the catalog stores: day offsets 0-30 (route_stops). */
const MAX_DAY_OFFSET = 30;
const NAME_LENGTH = 120;
const PLATFORM_LENGTH = 16;
const MAX_PROBLEMS = 500;

/** `Long Island Rail Road` → `long-island-rail-road`, the default feed code. */
export const slugOf = (name: string) =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');

export const FEED_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The train number a rule makes of `source`, or `source` itself when no rule matches. */
export function applyNumberRules(source: string, rules: readonly NumberRule[]): string {
  for (const { pattern, template } of rules) {
    const match = pattern.exec(source);
    if (match) return template.replace(/\$(\d|&)/g, (_, group: string) => (group === '&' ? match[0] : (match[Number(group)] ?? '')));
  }
  return source;
}

/** A GTFS route_type as a train type (basic and extended types). */
export function trainTypeOf(route: GtfsRoute): TrainType {
  const type = route.type;
  if (type === 2 || (type >= 100 && type <= 117)) return 'RAIL';
  if (type === 0 || (type >= 900 && type <= 906)) return 'LIGHT_RAIL';
  if (type === 1 || type === 12 || (type >= 400 && type <= 405)) return 'METRO';
  return 'OTHER';
}

function calendarOf(service: GtfsService): ServiceCalendar {
  return {
    runsOn: service.calendar ? [...service.calendar.runsOn] : [],
    validFrom: service.calendar?.startDate ?? null,
    validTo: service.calendar?.endDate ?? null,
    addedDates: [...service.added],
    removedDates: [...service.removed],
    daysKnown: service.daysKnown,
  };
}

const haversineKm = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) => {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
};

/**
 * Fills times a feed leaves empty between timepoints (GTFS lets consumers interpolate): evenly
 * in seconds between the times around them. Returns seconds since the service day's start for
 * arrival and departure of each call.
 */
function secondsOf(calls: GtfsStopTime[]): Array<{ arrival: number; departure: number }> {
  const known = calls.map((call) => (call.arrival ?? call.departure) && { arrival: (call.arrival ?? call.departure)!.seconds, departure: (call.departure ?? call.arrival)!.seconds });
  let last = 0;
  for (let i = 1; i < known.length; i++) {
    if (known[i]) {
      last = i;
      continue;
    }
    const next = known.findIndex((time, at) => at > i && time);
    const from = known[last]!.departure;
    const to = known[next]!.arrival;
    for (let at = i; at < next; at++) {
      const seconds = Math.round(from + ((to - from) * (at - last)) / (next - last));
      known[at] = { arrival: seconds, departure: seconds };
    }
    i = next - 1;
  }
  return known as Array<{ arrival: number; departure: number }>;
}

/**
 * Plans the catalog a feed describes, under the feed's rules: stations (parent stations and
 * stops without a parent) with their platforms, and trains (trips grouped by public number),
 * each trip a stop pattern with its calendar. Pure: no database. Every problem that would make
 * the import wrong is collected (file, line, field), so one run reports them all.
 */
export function planCatalog(feed: GtfsFeed, rules: GtfsImportRules): PlanResult {
  const problems: GtfsProblem[] = [];
  const warnings: GtfsProblem[] = [];
  const problem = (file: string, line: number | null, field: string | null, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ file, line, field, message });
  };
  const warn = (file: string, line: number | null, field: string | null, message: string) => {
    if (warnings.length < MAX_PROBLEMS) warnings.push({ file, line, field, message });
  };

  const firstAgency = [...feed.agencies.values()][0];
  const publisher = feed.feedInfo?.publisherName || firstAgency.name;
  const code = rules.feedCode ?? slugOf(publisher);
  if (!FEED_CODE_PATTERN.test(code)) {
    problem(feed.feedInfo ? 'feed_info.txt' : 'agency.txt', null, null, `"${code}" is not a feed code (lower-case letters, digits and -, up to 40): name the feed with --feed`);
  }

  const agencies = [...feed.agencies.values()].map((agency) => ({ gtfsId: agency.id, name: agency.name.slice(0, 200), url: agency.url.slice(0, 500), timeZone: agency.timezone }));

  // Stations, by stop_id.
  const stations: PlannedStation[] = [];
  const platforms: PlannedPlatform[] = [];
  const codes = new Map<string, PlannedStation>();
  const codeField = rules.stationCode;
  for (const stop of feed.stations) {
    const source = codeField === 'stop_code' ? stop.code : stop.id;
    const stationCode = source?.trim().toUpperCase() ?? '';
    if (!STATION_CODE_PATTERN.test(stationCode)) {
      problem('stops.txt', stop.line, codeField, `${source === null ? 'no value' : `"${source}"`} is not a station code (1-16 letters, digits, _ . or -): choose another source with --station-code`);
      continue;
    }
    const taken = codes.get(stationCode);
    if (taken) {
      problem('stops.txt', stop.line, codeField, `station code ${stationCode} is already stop ${taken.gtfsId}'s (line ${taken.line})`);
      continue;
    }
    const station = { gtfsId: stop.id, code: stationCode, name: (stop.name ?? stationCode).slice(0, NAME_LENGTH), latitude: stop.lat, longitude: stop.lon, line: stop.line };
    codes.set(stationCode, station);
    stations.push(station);
    for (const platform of stop.platforms) {
      if (platform.locationType !== 0) continue;
      if (platform.platform !== null && platform.platform.length > PLATFORM_LENGTH) {
        problem('stops.txt', platform.line, 'platform_code', `platform "${platform.platform}" is longer than ${PLATFORM_LENGTH} characters`);
      }
      platforms.push({ stationGtfsId: stop.id, gtfsId: platform.id, name: platform.platform, latitude: platform.lat, longitude: platform.lon });
    }
  }
  const platformNames = new Map<string, Set<string | null>>();
  for (const platform of platforms) platformNames.set(platform.stationGtfsId, (platformNames.get(platform.stationGtfsId) ?? new Set()).add(platform.name));

  // Trips, grouped by public number.
  const numberField = (trip: GtfsTrip) => (rules.numberFrom === 'trip_short_name' && trip.shortName ? 'trip_short_name' : 'trip_id');
  const byNumber = new Map<string, Array<{ trip: GtfsTrip; pattern: PlannedPattern }>>();
  const km = DISTANCE_UNITS[rules.distanceUnit];
  for (const trip of feed.trips.values()) {
    const field = numberField(trip);
    const source = field === 'trip_short_name' ? trip.shortName! : trip.id;
    const number = applyNumberRules(source, rules.numberRules);
    if (!TRAIN_NUMBER_PATTERN.test(number)) {
      problem(
        'trips.txt',
        trip.line,
        field,
        `"${number}"${number === source ? '' : ` (from "${source}")`} is not a train number (1-8 digits): choose how numbers are read with --number-from and --number-rule`,
      );
      continue;
    }
    const calls = feed.stopTimesOf(trip);
    if (calls.length < 2) {
      warn('trips.txt', trip.line, 'trip_id', `trip ${trip.id} has ${calls.length} stop_times: not imported`);
      continue;
    }
    const pattern = planPattern(trip, calls);
    if (pattern) byNumber.set(number, [...(byNumber.get(number) ?? []), { trip, pattern }]);
  }

  function planPattern(trip: GtfsTrip, calls: GtfsStopTime[]): PlannedPattern | null {
    const times = secondsOf(calls);
    // The app counts days from the day the train leaves its origin: a trip leaving at 24:10 of
    // its service date leaves the next day at 00:10.
    const shift = Math.floor(times[0].departure / (MINUTES_PER_DAY * 60));
    const minuteAndDay = (seconds: number) => {
      const minutes = Math.floor(seconds / 60) - shift * MINUTES_PER_DAY;
      return { minute: minutes % MINUTES_PER_DAY, day: Math.floor(minutes / MINUTES_PER_DAY) };
    };
    const useFeedDistances = calls.every((call) => call.distanceTraveled !== null);
    let straight = 0;
    let previousKm = 0;
    let ok = true;
    const stops = calls.map((call, index): PlannedStop => {
      const station = feed.stationOf(call.stopId)!;
      const first = index === 0;
      const last = index === calls.length - 1;
      const arrival = first ? null : minuteAndDay(times[index].arrival);
      const departure = last ? null : minuteAndDay(times[index].departure);
      if (Math.max(arrival?.day ?? 0, departure?.day ?? 0) > MAX_DAY_OFFSET) {
        problem('stop_times.txt', call.line, 'arrival_time', `a journey of more than ${MAX_DAY_OFFSET + 1} days cannot be stored`);
        ok = false;
      }
      if (index > 0) {
        const from = feed.stops.get(calls[index - 1].stopId)!;
        const to = feed.stops.get(call.stopId)!;
        const a = from.lat !== null ? from : feed.stationOf(from.id)!;
        const b = to.lat !== null ? to : feed.stationOf(to.id)!;
        if (a.lat !== null && a.lon !== null && b.lat !== null && b.lon !== null) straight += haversineKm({ lat: a.lat, lon: a.lon }, { lat: b.lat, lon: b.lon });
      }
      let distance = useFeedDistances ? (call.distanceTraveled! - calls[0].distanceTraveled!) * km : straight;
      if (Math.round(distance) < previousKm) {
        if (useFeedDistances) warn('stop_times.txt', call.line, 'shape_dist_traveled', `distance goes back along trip ${trip.id}: taken as the one before`);
        distance = previousKm;
      }
      previousKm = Math.round(distance);
      if (call.platform !== null && call.platform.length > PLATFORM_LENGTH) {
        problem('stop_times.txt', call.line, null, `platform "${call.platform}" is longer than ${PLATFORM_LENGTH} characters`);
        ok = false;
      }
      if (call.platform !== null && !platformNames.get(station.id)?.has(call.platform)) {
        platformNames.set(station.id, (platformNames.get(station.id) ?? new Set()).add(call.platform));
        platforms.push({ stationGtfsId: station.id, gtfsId: null, name: call.platform, latitude: null, longitude: null });
      }
      return {
        stationGtfsId: station.id,
        sequence: index + 1,
        arrivalMinute: arrival?.minute ?? null,
        arrivalDay: arrival?.day ?? null,
        departureMinute: departure?.minute ?? null,
        departureDay: departure?.day ?? null,
        distanceKm: previousKm,
        platform: call.platform,
        gtfsStopId: call.stopId,
        gtfsStopSequence: call.sequence,
      };
    });
    if (!ok) return null;
    return { gtfsTripId: trip.id, headsign: trip.headsign?.slice(0, 200) ?? null, calendar: shiftCalendar(calendarOf(feed.serviceOf(trip)), shift), gtfsDayShift: shift, stops, line: trip.line };
  }

  const trains: PlannedTrain[] = [];
  for (const [number, trips] of byNumber) {
    checkOneTripADay(number, trips);
    const main = mainPatternOf(trips.map(({ trip, pattern }) => ({ trip, stops: pattern.stops, pattern: { gtfsTripId: trip.id, id: trip.id } })))!.trip;
    const route = feed.routeOf(main);
    const agency = feed.agencyOf(main);
    for (const { trip } of trips) {
      if (feed.agencyOf(trip).timezone !== agency.timezone) {
        problem('trips.txt', trip.line, 'route_id', `train ${number} has trips of agencies in different time zones (${agency.timezone}, ${feed.agencyOf(trip).timezone})`);
      }
    }
    // trip_short_name names the train when its number comes from elsewhere (Sound Transit's "SODO to Northgate").
    const named = numberField(main) === 'trip_id' ? main.shortName : null;
    const name = named ?? route.longName ?? route.shortName ?? main.headsign ?? `Train ${number}`;
    const calendars = trips.map(({ pattern }) => pattern.calendar);
    trains.push({
      number,
      name: name.slice(0, NAME_LENGTH),
      type: trainTypeOf(route),
      timeZone: agency.timezone,
      agencyGtfsId: agency.id,
      ...runDaysOf(calendars),
      patterns: trips.map(({ pattern }) => pattern),
      line: trips[0].trip.line,
      numberField: numberField(trips[0].trip),
    });
  }

  /** A run is a train on a date: two trips of one number may not leave on the same date. */
  function checkOneTripADay(number: string, trips: Array<{ trip: GtfsTrip; pattern: PlannedPattern }>): void {
    if (trips.length < 2) return;
    const seen = new Map<string, GtfsTrip>();
    for (const { trip, pattern } of trips) {
      for (const date of datesOf(pattern.calendar) ?? []) {
        const other = seen.get(date);
        if (other) {
          problem(
            'trips.txt',
            trip.line,
            numberField(trip),
            `train ${number} would run two trips leaving on ${date}: ${other.id} (line ${other.line}) and ${trip.id}; a train runs one trip a day: choose numbers with --number-rule`,
          );
          return;
        }
        seen.set(date, trip);
      }
    }
  }

  const plan: CatalogPlan = { feed: { code, name: publisher.slice(0, 200), version: feed.feedInfo?.version?.slice(0, 100) ?? null }, agencies, stations, platforms, trains };
  return { plan, problems, warnings };
}
