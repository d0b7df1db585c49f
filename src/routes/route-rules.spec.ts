import { describe, expect, it } from '@jest/globals';
import { type PlannedStop, routeProblems } from './route-rules.js';

const stop = (sequence: number, stationCode: string, arrival: [number, number] | null, departure: [number, number] | null, distanceKm: number): PlannedStop => ({
  sequence,
  stationCode,
  arrivalMinute: arrival?.[0] ?? null,
  arrivalDay: arrival?.[1] ?? null,
  departureMinute: departure?.[0] ?? null,
  departureDay: departure?.[1] ?? null,
  distanceKm,
});

const sound = () => [stop(1, 'AAA', null, [1320, 0], 0), stop(2, 'BBB', [1430, 0], [5, 1], 120), stop(3, 'CCC', [390, 1], null, 500)];

describe('routeProblems', () => {
  it('accepts a route that crosses midnight with times and distances in order', () => {
    expect(routeProblems(sound())).toEqual([]);
  });

  it('accepts equal consecutive times (non-decreasing)', () => {
    const stops = sound();
    stops[1] = stop(2, 'BBB', [1320, 0], [1320, 0], 0);
    expect(routeProblems(stops)).toEqual([]);
  });

  it('needs two stops', () => {
    expect(routeProblems([sound()[0]])).toEqual([{ field: 'stops', messages: ['a route needs at least two stops'] }]);
  });

  it('names gaps and repeats in sequences', () => {
    const stops = sound();
    stops[2].sequence = 2;
    expect(routeProblems(stops)).toEqual([{ field: 'stops[2].sequence', messages: [expect.stringContaining('sequence must be 3')] }]);
  });

  it('names times and distances going backwards and stations met twice', () => {
    const stops = sound();
    stops[1] = stop(2, 'AAA', [1300, 0], [1290, 0], 120);
    stops[2].distanceKm = 100;
    expect(routeProblems(stops).map((problem) => problem.field)).toEqual([
      'stops[1].stationCode',
      'stops[1].arrival',
      'stops[1].departure',
      'stops[2].distanceKm',
    ]);
  });

  it('wants the origin to only depart, on day 1 at 0 km, and the destination to only arrive', () => {
    const stops = [stop(1, 'AAA', [1200, 0], [1320, 1], 5), stop(2, 'BBB', [1430, 1], [1435, 1], 120)];
    expect(routeProblems(stops).map((problem) => problem.field)).toEqual([
      'stops[0].arrival',
      'stops[0].departure',
      'stops[0].distanceKm',
      'stops[1].departure',
    ]);
  });
});
