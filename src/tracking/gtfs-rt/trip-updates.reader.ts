import { platformStopOf, predictStops } from '../../live/expected-times.js';
import type { StopRelationship, StopUpdate } from '../../live/observed-run.js';
import type { RouteStop } from '../../routes/route-stop.entity.js';
import { patternOn } from '../../routes/timetable.model.js';
import { addDays, localDate, scheduledInstant } from '../../trains/service-time.js';
import type { ObservedRunStatus, ObservedStopTimes } from '../train-status-provider.js';
import { type GtfsRealtime, has, STOP_RELATIONSHIP, toNumber, TRIP_RELATIONSHIP } from './gtfs-realtime.js';
import { type CatalogTrip, platformAt, type RealtimeCatalog } from './realtime-catalog.js';

/**
 * What became of each TripUpdate entity (gtfs_rt_trip_updates_total{outcome}), one outcome each,
 * checked in this order:
 * - no_trip_id: no trip_id (matching by route and start time is not supported);
 * - duplicate_entity: a second entity with the same trip_id, start_date and start_time (the first wins);
 * - added: ADDED or NEW trips, which the timetable does not have (not shown);
 * - unsupported: UNSCHEDULED and REPLACEMENT trips (not shown);
 * - unknown_trip: a trip_id the catalog does not have (or that two imported feeds share);
 * - not_running: the trip does not run on its start_date by the timetable's calendar (a Sunday
 *   trip on a Wednesday, a date past the calendar's end): there is no such run;
 * - duplicated: DUPLICATED trips, a copy of a timetabled trip at another time (not shown: the
 *   copy is no run of the catalog);
 * - cancelled: CANCELED or DELETED: the run is shown cancelled;
 * - no_prediction: nothing usable was left (no stop update and no plausible trip delay);
 * - matched: the run's state is taken from it.
 */
export const TRIP_OUTCOMES = ['matched', 'cancelled', 'no_prediction', 'duplicated', 'not_running', 'unknown_trip', 'unsupported', 'added', 'duplicate_entity', 'no_trip_id'] as const;
export type TripOutcome = (typeof TRIP_OUTCOMES)[number];

/**
 * Stop time updates left out (gtfs_rt_stop_updates_dropped_total{reason}); the rest of their trip is used:
 * - repeated_sequence: a stop_sequence not after the one before (the spec orders them; a repeat
 *   has two time sets, neither of which can be trusted over the other: the first is kept);
 * - unknown_stop: neither its stop_sequence nor its stop_id is a stop of the trip;
 * - other_station: assigned to a stop that is not a platform of the planned station;
 * - implausible_early: predicted more than MAX_EARLY_SECONDS before the timetable (a vehicle
 *   assigned to a trip hours before it starts): never announced as "2 hours early".
 */
export const STOP_DROPS = ['repeated_sequence', 'unknown_stop', 'other_station', 'implausible_early'] as const;
export type StopDrop = (typeof STOP_DROPS)[number];

/** Earliest a prediction may be against the timetable before it is taken for a defect. */
export const MAX_EARLY_SECONDS = 30 * 60;
/** A trip-level delay further than this from its first stop update's is counted as contradicting it (stop times win). */
const TRIP_DELAY_TOLERANCE_SECONDS = 60;

/** What a feed said of one run: kept between polls and turned into an observation at each tick (observeRun). */
export interface RunReport {
  trainId: string;
  trainNumber: string;
  serviceDate: string;
  timeZone: string;
  route: RouteStop[];
  cancelled: boolean;
  stopUpdates: StopUpdate[];
  /** The trip-level delay in seconds, used only when no stop update is left. */
  tripDelaySeconds: number | null;
  /**
   * The feed header's timestamp: the run was in a feed produced then. Not TripUpdate.timestamp,
   * which is when the vehicle last reported: a trip not yet started has an old one (Sound
   * Transit's Weekday 1048, 13 minutes) while its predictions are current.
   */
  observedAt: Date;
}

export interface TripUpdatesReading {
  reports: RunReport[];
  trips: Record<TripOutcome, number>;
  droppedStops: Record<StopDrop, number>;
  /** Trip-level delays that contradicted their stop times (accepted: stop times win). */
  tripDelaysIgnored: number;
  /** Trips worth a log line, once per key (ADDED, DUPLICATED, unknown trips…). */
  notices: Array<{ key: string; message: string }>;
}

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/** `20230510` → `2023-05-10`, or null when it is not a calendar date. */
function isoDate(startDate: string): string | null {
  if (!/^\d{8}$/.test(startDate)) return null;
  const iso = `${startDate.slice(0, 4)}-${startDate.slice(4, 6)}-${startDate.slice(6, 8)}`;
  return new Date(`${iso}T00:00:00Z`).toISOString().startsWith(iso) ? iso : null;
}

/** First departure and last arrival of a run. */
function spanOf(route: readonly RouteStop[], serviceDate: string, timeZone: string): [number, number] {
  const first = route[0];
  const last = route[route.length - 1];
  return [
    scheduledInstant(serviceDate, first.departureMinute!, first.departureDay!, timeZone).getTime(),
    scheduledInstant(serviceDate, last.arrivalMinute!, last.arrivalDay!, timeZone).getTime(),
  ];
}

/**
 * The service date of a trip: its start_date (moved on by the days its pattern was shifted at
 * import), else the date whose run the trip's times put nearest now. Null when it does not run then.
 */
function serviceDateOf(trip: CatalogTrip, startDate: string | null, now: Date): string | null {
  const { timetable, pattern } = trip;
  const runsThen = (date: string) => patternOn(timetable, date) === pattern;
  if (startDate !== null) {
    const date = addDays(startDate, pattern.pattern.gtfsDayShift);
    return runsThen(date) ? date : null;
  }
  const today = localDate(now, timetable.train.timeZone);
  let best: { date: string; distance: number } | null = null;
  for (let offset = -3; offset <= 1; offset++) {
    const date = addDays(today, offset);
    if (!runsThen(date)) continue;
    const [from, to] = spanOf(pattern.stops, date, timetable.train.timeZone);
    const distance = now.getTime() < from ? from - now.getTime() : now.getTime() > to ? now.getTime() - to : 0;
    if (!best || distance < best.distance) best = { date, distance };
  }
  return best?.date ?? null;
}

type StopTimeUpdate = GtfsRealtime.TripUpdate.IStopTimeUpdate;

const relationshipOf = (update: StopTimeUpdate): StopRelationship =>
  update.scheduleRelationship === STOP_RELATIONSHIP.SKIPPED ? 'SKIPPED' : update.scheduleRelationship === STOP_RELATIONSHIP.NO_DATA ? 'NO_DATA' : 'SCHEDULED';

/**
 * Reads the TripUpdates of a decoded FeedMessage against the catalog: one report per run it
 * can show, and a count of what it could not (see TRIP_OUTCOMES and STOP_DROPS). Pure: the
 * provider keeps the reports and counts and logs the rest.
 */
export function readTripUpdates(feed: GtfsRealtime.IFeedMessage, catalog: RealtimeCatalog, now: Date, feedTimestamp: Date): TripUpdatesReading {
  const reading: TripUpdatesReading = { reports: [], trips: zeroes(TRIP_OUTCOMES), droppedStops: zeroes(STOP_DROPS), tripDelaysIgnored: 0, notices: [] };
  const seen = new Set<string>();
  const notice = (kind: string, tripId: string, startDate: string, message: string) => reading.notices.push({ key: `${kind}|${tripId}|${startDate}`, message });
  for (const entity of feed.entity ?? []) {
    const update = entity.tripUpdate;
    if (!update || entity.isDeleted) continue;
    const trip = update.trip;
    const tripId = has(trip, 'tripId') ? trip.tripId! : '';
    if (!tripId) {
      reading.trips.no_trip_id++;
      continue;
    }
    const startDate = has(trip, 'startDate') ? trip.startDate! : '';
    const key = `${tripId}|${startDate}|${has(trip, 'startTime') ? trip.startTime : ''}`;
    if (seen.has(key)) {
      reading.trips.duplicate_entity++;
      notice('duplicate_entity', tripId, startDate, `entity ${entity.id} repeats trip ${tripId} ${startDate}: the first entity is used`);
      continue;
    }
    seen.add(key);
    // Stop updates must come in stop_sequence order: a repeat (or a step back) is dropped, whatever becomes of the trip.
    const updates: StopTimeUpdate[] = [];
    let lastSequence = -1;
    for (const stopUpdate of update.stopTimeUpdate ?? []) {
      if (has(stopUpdate, 'stopSequence')) {
        if (stopUpdate.stopSequence! <= lastSequence) {
          reading.droppedStops.repeated_sequence++;
          continue;
        }
        lastSequence = stopUpdate.stopSequence!;
      }
      updates.push(stopUpdate);
    }
    const relationship: number = has(trip, 'scheduleRelationship') ? trip.scheduleRelationship! : TRIP_RELATIONSHIP.SCHEDULED;
    if (relationship === TRIP_RELATIONSHIP.ADDED || relationship === TRIP_RELATIONSHIP.NEW) {
      reading.trips.added++;
      notice('added', tripId, startDate, `trip ${tripId} ${startDate} is ADDED: trips outside the timetable are not shown`);
      continue;
    }
    if (relationship === TRIP_RELATIONSHIP.UNSCHEDULED || relationship === TRIP_RELATIONSHIP.REPLACEMENT) {
      reading.trips.unsupported++;
      notice('unsupported', tripId, startDate, `trip ${tripId} ${startDate} is ${relationship === TRIP_RELATIONSHIP.UNSCHEDULED ? 'UNSCHEDULED' : 'REPLACEMENT'}: not supported, not shown`);
      continue;
    }
    const found = catalog.trips.get(tripId);
    if (!found) {
      reading.trips.unknown_trip++;
      notice('unknown_trip', tripId, startDate, found === null ? `trip ${tripId} is in more than one imported feed: not matched` : `trip ${tripId} is not in the catalog: not matched`);
      continue;
    }
    const date = startDate ? isoDate(startDate) : null;
    const serviceDate = startDate && !date ? null : serviceDateOf(found, date, now);
    if (serviceDate === null) {
      reading.trips.not_running++;
      notice('not_running', tripId, startDate, `trip ${tripId} does not run on ${startDate || 'any date near now'} by the timetable: not matched`);
      continue;
    }
    if (relationship === TRIP_RELATIONSHIP.DUPLICATED) {
      reading.trips.duplicated++;
      notice('duplicated', tripId, startDate, `trip ${tripId} ${startDate} is DUPLICATED (start ${trip.startTime || '?'}): copies of a trip are not shown`);
      continue;
    }
    const { timetable, pattern } = found;
    const { train } = timetable;
    const report: RunReport = {
      trainId: train.id,
      trainNumber: train.number,
      serviceDate,
      timeZone: train.timeZone,
      route: pattern.stops,
      cancelled: relationship === TRIP_RELATIONSHIP.CANCELED || relationship === TRIP_RELATIONSHIP.DELETED,
      stopUpdates: [],
      tripDelaySeconds: null,
      observedAt: feedTimestamp,
    };
    if (report.cancelled) {
      reading.trips.cancelled++;
      reading.reports.push(report);
      continue;
    }
    report.stopUpdates = stopUpdatesOf(updates, pattern.stops, serviceDate, train.timeZone, catalog, reading);
    const tripDelay = has(update, 'delay') ? update.delay! : null;
    const firstDelay = firstDelayOf(report.stopUpdates, pattern.stops, serviceDate, train.timeZone);
    if (tripDelay !== null && firstDelay !== null && Math.abs(tripDelay - firstDelay) > TRIP_DELAY_TOLERANCE_SECONDS) reading.tripDelaysIgnored++;
    if (report.stopUpdates.length === 0 && tripDelay !== null && tripDelay >= -MAX_EARLY_SECONDS) report.tripDelaySeconds = tripDelay;
    if (report.stopUpdates.length === 0 && report.tripDelaySeconds === null) {
      reading.trips.no_prediction++;
      continue;
    }
    reading.trips.matched++;
    reading.reports.push(report);
  }
  return reading;
}

/** The stop updates of a trip matched to its route stops, in order, without the ones left out. */
function stopUpdatesOf(
  updates: StopTimeUpdate[],
  route: readonly RouteStop[],
  serviceDate: string,
  timeZone: string,
  catalog: RealtimeCatalog,
  reading: TripUpdatesReading,
): StopUpdate[] {
  const bySequence = new Map(route.map((stop, index) => [stop.gtfsStopSequence ?? stop.sequence, index]));
  const result: StopUpdate[] = [];
  let after = -1;
  for (const update of updates) {
    const stopId = has(update, 'stopId') ? update.stopId! : null;
    let index: number | undefined = has(update, 'stopSequence') ? bySequence.get(update.stopSequence!) : undefined;
    if (index === undefined && !has(update, 'stopSequence') && stopId !== null) {
      // By stop_id alone: the first call at that stop after the last one matched (a loop calls twice).
      const found = route.findIndex((stop, i) => i > after && (stop.gtfsStopId === stopId || platformAt(catalog, stop, stopId) !== undefined));
      index = found < 0 ? undefined : found;
    }
    if (index === undefined || index <= after) {
      reading.droppedStops[index === undefined ? 'unknown_stop' : 'repeated_sequence']++;
      continue;
    }
    const stop = route[index];
    // A platform change: another stop of the same station, named by assigned_stop_id or (as Sound Transit does) by stop_id itself.
    const assigned = (has(update, 'stopTimeProperties') && has(update.stopTimeProperties, 'assignedStopId') && update.stopTimeProperties!.assignedStopId) || stopId;
    let platform: string | null = null;
    if (assigned && stop.gtfsStopId !== null && assigned !== stop.gtfsStopId) {
      const label = platformAt(catalog, stop, assigned);
      if (label === undefined) {
        reading.droppedStops.other_station++;
        continue;
      }
      platform = label ?? null;
    }
    const scheduled = (minute: number | null, day: number | null) => (minute === null ? null : scheduledInstant(serviceDate, minute, day!, timeZone).getTime());
    const timeOf = (event: GtfsRealtime.TripUpdate.IStopTimeEvent | null | undefined, scheduledAt: number | null): number | null => {
      if (!event) return null;
      if (has(event, 'time') && toNumber(event.time) > 0) return toNumber(event.time) * 1000;
      if (has(event, 'delay') && scheduledAt !== null) return scheduledAt + event.delay! * 1000;
      return null;
    };
    const scheduledArrival = scheduled(stop.arrivalMinute, stop.arrivalDay);
    const scheduledDeparture = scheduled(stop.departureMinute, stop.departureDay);
    const arrival = has(update, 'arrival') ? timeOf(update.arrival, scheduledArrival) : null;
    const departure = has(update, 'departure') ? timeOf(update.departure, scheduledDeparture) : null;
    const early = (at: number | null, scheduledAt: number | null) => at !== null && scheduledAt !== null && at - scheduledAt < -MAX_EARLY_SECONDS * 1000;
    if (early(arrival, scheduledArrival) || early(departure, scheduledDeparture)) {
      reading.droppedStops.implausible_early++;
      continue;
    }
    after = index;
    result.push({
      sequence: stop.sequence,
      // An arrival at the origin or a departure at the destination has no timetable time to be measured against.
      arrival: scheduledArrival === null || arrival === null ? null : new Date(arrival).toISOString(),
      departure: scheduledDeparture === null || departure === null ? null : new Date(departure).toISOString(),
      relationship: relationshipOf(update),
      platform,
    });
  }
  return result;
}

/** The delay (seconds) of the first stop update that has a time. */
function firstDelayOf(updates: readonly StopUpdate[], route: readonly RouteStop[], serviceDate: string, timeZone: string): number | null {
  for (const update of updates) {
    const stop = route[update.sequence - 1];
    const at = update.departure ?? update.arrival;
    const minute = update.departure ? stop.departureMinute : stop.arrivalMinute;
    const day = update.departure ? stop.departureDay : stop.arrivalDay;
    if (at && minute !== null) return Math.round((Date.parse(at) - scheduledInstant(serviceDate, minute, day!, timeZone).getTime()) / 1000);
  }
  return null;
}

/**
 * The status of a reported run at `now`: its predicted times (predictStops, the live layer's own
 * rules) place it. A stop is reached once its predicted arrival (departure at the origin) has
 * passed; stops before the first update, which feeds drop once passed, count as reached when
 * the first update's delay puts them in the past. Skipped stops are never the stop a train is at.
 */
export function observeRun(report: RunReport, now: Date): ObservedRunStatus {
  const base = {
    trainId: report.trainId,
    trainNumber: report.trainNumber,
    serviceDate: report.serviceDate,
    stopUpdates: report.stopUpdates,
    observedAt: report.observedAt,
  };
  if (report.cancelled) {
    return { ...base, stopUpdates: [], phase: 'CANCELLED', delayMinutes: 0, lastStopSequence: null, departedLastStop: false, platform: null, stopTimes: [] };
  }
  const route = report.route;
  const delayMinutes = report.tripDelaySeconds === null ? 0 : Math.round(report.tripDelaySeconds / 60);
  const predicted = predictStops(route, report.serviceDate, report.timeZone, { delayMinutes, stopUpdates: report.stopUpdates });
  const first = report.stopUpdates[0]?.sequence ?? 1;
  const firstTimes = predicted[first - 1];
  const leadDelay = firstTimes
    ? (firstTimes.arrival ?? firstTimes.departure)!.predicted.getTime() - (firstTimes.arrival ?? firstTimes.departure)!.scheduled.getTime()
    : 0;
  const at = now.getTime();
  const arrivalOf = (index: number) => {
    const times = predicted[index];
    const event = index === 0 ? times.departure : times.arrival;
    if (!event) return null;
    // Before the first update nothing is predicted: the first update's delay says whether they are behind.
    return index < first - 1 ? event.scheduled.getTime() + leadDelay : event.predicted.getTime();
  };
  let last = -1;
  for (let index = 0; index < route.length; index++) {
    const reachedAt = arrivalOf(index);
    if (reachedAt !== null && reachedAt <= at) last = index;
  }
  // Skipped stops are passed through, not stood at.
  let stand = last;
  while (stand >= 0 && predicted[stand].skipped) stand--;
  const lastIndex = route.length - 1;
  const departedAt = (index: number) => {
    const departure = predicted[index].departure;
    if (!departure) return null;
    return index < first - 1 ? departure.scheduled.getTime() + leadDelay : departure.predicted.getTime();
  };
  const departed = stand >= 0 && stand < lastIndex && (last > stand || (departedAt(stand) ?? Number.POSITIVE_INFINITY) <= at);
  const phase = stand < 0 ? 'SCHEDULED' : stand === lastIndex ? 'ARRIVED' : 'RUNNING';
  const state = { lastStopSequence: stand < 0 ? null : route[stand].sequence, departedLastStop: departed };
  // The delay now: leaving where it stands (or its origin), else arriving at the next stop it calls at.
  const next = departed ? route.findIndex((_, index) => index > stand && !predicted[index].skipped) : -1;
  const nextEvent = departed ? (next >= 0 ? predicted[next].arrival : null) : (predicted[Math.max(stand, 0)].departure ?? predicted[Math.max(stand, 0)].arrival);
  const delay = nextEvent ? Math.round((nextEvent.predicted.getTime() - nextEvent.scheduled.getTime()) / 60_000) : delayMinutes;
  const platformIndex = platformStopOf(state) - 1;
  const platform = predicted[platformIndex]?.assignedPlatform ?? route[platformIndex]?.platform ?? null;
  // Times the feed gave for stops now behind the train are what happened there.
  const updates = new Map(report.stopUpdates.map((update) => [update.sequence, update]));
  const stopTimes: ObservedStopTimes[] = [];
  for (let index = 0; index <= stand; index++) {
    const update = updates.get(route[index].sequence);
    if (!update || update.relationship !== 'SCHEDULED') continue;
    const arrived = update.arrival && Date.parse(update.arrival) <= at ? new Date(update.arrival) : null;
    const left = update.departure && Date.parse(update.departure) <= at && (index < stand || departed) ? new Date(update.departure) : null;
    if (arrived || left) stopTimes.push({ sequence: route[index].sequence, arrivedAt: arrived, departedAt: left });
  }
  return { ...base, phase, delayMinutes: Math.max(-120, delay), ...state, platform, stopTimes };
}
