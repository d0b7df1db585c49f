import type { FieldError } from '../common/errors/domain-errors.js';
import { minutesFromStart } from './schedule-time.js';

/** A stop of a route being planned, in route order. */
export interface PlannedStop {
  stationCode: string;
  sequence: number;
  arrivalMinute: number | null;
  arrivalDay: number | null;
  departureMinute: number | null;
  departureDay: number | null;
  distanceKm: number;
}

/**
 * Everything wrong with a route, field by field (`stops[2].arrival`), or [] when it is sound:
 * at least two stops, sequences 1..n, the origin only departs and the destination only
 * arrives, time and distance never go backwards, and no station twice.
 */
export function routeProblems(stops: PlannedStop[]): FieldError[] {
  const problems: FieldError[] = [];
  const problem = (index: number, field: string, message: string) => problems.push({ field: `stops[${index}].${field}`, messages: [message] });
  if (stops.length < 2) return [{ field: 'stops', messages: ['a route needs at least two stops'] }];

  const seen = new Map<string, number>();
  let previousTime = -Infinity;
  let previousKm = -Infinity;
  stops.forEach((stop, index) => {
    const first = index === 0;
    const last = index === stops.length - 1;
    if (stop.sequence !== index + 1) problem(index, 'sequence', `sequence must be ${index + 1}: sequences run 1..n without gaps or repeats`);
    if (seen.has(stop.stationCode)) problem(index, 'stationCode', `${stop.stationCode} is already stop ${seen.get(stop.stationCode)! + 1} of this route`);
    seen.set(stop.stationCode, index);

    const arrival = stop.arrivalMinute === null || stop.arrivalDay === null ? null : minutesFromStart(stop.arrivalMinute, stop.arrivalDay);
    const departure = stop.departureMinute === null || stop.departureDay === null ? null : minutesFromStart(stop.departureMinute, stop.departureDay);
    if (first && arrival !== null) problem(index, 'arrival', 'the first stop has no arrival');
    if (!first && arrival === null) problem(index, 'arrival', 'every stop after the first needs an arrival');
    if (last && departure !== null) problem(index, 'departure', 'the last stop has no departure');
    if (!last && departure === null) problem(index, 'departure', 'every stop before the last needs a departure');
    if (first && departure !== null && stop.departureDay !== 0) problem(index, 'departure', 'the first stop departs on day 1');

    if (arrival !== null && arrival < previousTime) problem(index, 'arrival', 'arrival is before the departure from the previous stop');
    if (arrival !== null && departure !== null && departure < arrival) problem(index, 'departure', 'departure is before arrival');
    previousTime = departure ?? arrival ?? previousTime;

    if (first && stop.distanceKm !== 0) problem(index, 'distanceKm', 'the first stop is at 0 km');
    if (stop.distanceKm < previousKm) problem(index, 'distanceKm', 'distance from the origin cannot decrease along the route');
    previousKm = stop.distanceKm;
  });
  return problems;
}
