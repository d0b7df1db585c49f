import type { RouteStop } from './route-stop.entity.js';
import type { RouteSummary } from './route-summary.js';
import type { TrainPattern } from './train-pattern.entity.js';

/** A train's call at a station, with its pattern's summary. */
export interface StationCall {
  stop: RouteStop;
  summary: RouteSummary;
}

/** The stops of one of a train's patterns: the one it runs on `serviceDate`, or its main one. */
export interface RouteOfTrain {
  pattern: TrainPattern;
  stops: RouteStop[];
  /** The date asked for; null for the main pattern. */
  serviceDate: string | null;
  /** How many stop patterns the train has in all. */
  patternCount: number;
}

/** A train calling at `from` and later at `to`, in one of its patterns. */
export interface Connection {
  pattern: TrainPattern;
  from: RouteStop;
  to: RouteStop;
}
