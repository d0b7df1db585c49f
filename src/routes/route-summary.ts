import type { RouteStop } from './route-stop.entity.js';
import { minutesFromStart } from './schedule-time.js';

/** What a train's route says about the train as a whole. */
export interface RouteSummary {
  origin: RouteStop;
  destination: RouteStop;
  stopCount: number;
  distanceKm: number;
  durationMinutes: number;
}

/** Summarises a route from its first and last stops (with stations loaded). */
export function summarize(origin: RouteStop, destination: RouteStop, stopCount: number): RouteSummary {
  const start = minutesFromStart(origin.departureMinute ?? 0, origin.departureDay ?? 0);
  const end = minutesFromStart(destination.arrivalMinute ?? 0, destination.arrivalDay ?? 0);
  return { origin, destination, stopCount, distanceKm: destination.distanceKm, durationMinutes: end - start };
}
