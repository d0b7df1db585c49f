import type { RouteStop } from './route-stop.entity.js';
import type { RouteSummary } from './route-summary.js';

/** A train's call at a station, with its route's summary. */
export interface StationCall {
  stop: RouteStop;
  summary: RouteSummary;
}
