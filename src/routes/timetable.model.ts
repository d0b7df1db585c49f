import type { Train } from '../trains/train.entity.js';
import type { RouteStop } from './route-stop.entity.js';
import type { Connection } from './route.model.js';
import { runsOnDate } from './service-calendar.js';
import type { TrainPattern } from './train-pattern.entity.js';

/** One stop pattern of a train with its stops (stations attached), in route order. */
export interface PatternTimetable {
  pattern: TrainPattern;
  stops: RouteStop[];
}

/**
 * A train and its stop patterns, as the live layer reads them from memory. Only patterns that
 * can run (two stops or more) are listed; a train has a timetable when it has one of those.
 */
export interface TrainTimetable {
  train: Train;
  patterns: PatternTimetable[];
}

/** A stop of one of a train's patterns at a given station. */
export interface TimetableCall {
  pattern: PatternTimetable;
  stop: RouteStop;
}

/** A train's calls at one station, across its patterns (a pattern calling there twice is there twice). */
export interface TrainCallsAt {
  timetable: TrainTimetable;
  calls: TimetableCall[];
}

/** The calls of each timetable at a station, in the order given. */
export const callsOf = (timetables: readonly TrainTimetable[], stationId: string): TrainCallsAt[] =>
  timetables.map((timetable) => ({
    timetable,
    calls: timetable.patterns.flatMap((pattern) => pattern.stops.filter((stop) => stop.stationId === stationId).map((stop) => ({ pattern, stop }))),
  }));

/**
 * Patterns calling at one station and later at another, from the calls at each, ordered by
 * departure time at `from` (then train number, then pattern id). A pattern calling at either twice
 * counts once, from its first call at `from` to the first call at `to` after it.
 */
export function connectionsOf(callsAtFrom: readonly TrainCallsAt[], callsAtTo: readonly TrainCallsAt[]): Connection[] {
  const firstAtFrom = new Map<PatternTimetable, RouteStop>();
  for (const { calls } of callsAtFrom) for (const { pattern, stop } of calls) if (!firstAtFrom.has(pattern)) firstAtFrom.set(pattern, stop);
  const connections = new Map<PatternTimetable, Connection>();
  for (const { calls } of callsAtTo) {
    for (const { pattern, stop } of calls) {
      const departure = firstAtFrom.get(pattern);
      if (departure && stop.sequence > departure.sequence && !connections.has(pattern)) connections.set(pattern, { pattern: pattern.pattern, from: departure, to: stop });
    }
  }
  return [...connections.values()].sort(
    (a, b) =>
      (a.from.departureMinute ?? 0) - (b.from.departureMinute ?? 0) ||
      a.from.train!.number.localeCompare(b.from.train!.number) ||
      (a.pattern.id < b.pattern.id ? -1 : a.pattern.id > b.pattern.id ? 1 : 0),
  );
}

/** The pattern a train runs on a service date (the date it leaves its origin), if it runs then. */
export function patternOn(timetable: TrainTimetable, serviceDate: string): PatternTimetable | undefined {
  return timetable.patterns.find(({ pattern }) => runsOnDate(pattern, serviceDate));
}

/** The stops of the train's run on a service date, or undefined when it does not run that day. */
export const stopsOn = (timetable: TrainTimetable, serviceDate: string): RouteStop[] | undefined => patternOn(timetable, serviceDate)?.stops;

/** Whether the train leaves its origin on that date. */
export const runsOn = (timetable: TrainTimetable, serviceDate: string): boolean => patternOn(timetable, serviceDate) !== undefined;

/** The latest day offset any of its runs reaches (its last arrival): how many days a run stays on the line. */
export const lastDayOf = (timetable: TrainTimetable): number =>
  Math.max(0, ...timetable.patterns.map(({ stops }) => stops[stops.length - 1].arrivalDay ?? stops[stops.length - 1].departureDay ?? 0));

/**
 * The pattern shown when no date is asked for: the most stops, then the first by GTFS trip id
 * (hand-made patterns, without one, first), then id.
 */
export function mainPatternOf<P extends { pattern: { gtfsTripId: string | null; id: string }; stops: readonly unknown[] }>(patterns: readonly P[]): P | undefined {
  return [...patterns].sort(
    (a, b) =>
      b.stops.length - a.stops.length ||
      compareNullsFirst(a.pattern.gtfsTripId, b.pattern.gtfsTripId) ||
      (a.pattern.id < b.pattern.id ? -1 : a.pattern.id > b.pattern.id ? 1 : 0),
  )[0];
}

// PostgreSQL's order for text (the database's collation may differ for non-ASCII; trip ids are ASCII).
const compareNullsFirst = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
