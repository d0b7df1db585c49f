import type { RouteStop } from '../../src/routes/route-stop.entity.js';
import { weeklyCalendar } from '../../src/routes/service-calendar.js';
import type { TrainTimetable } from '../../src/routes/timetable.model.js';
import type { TrainPattern } from '../../src/routes/train-pattern.entity.js';
import type { Station } from '../../src/stations/station.entity.js';
import { INDIAN_TIME_ZONE } from '../../src/trains/service-time.js';
import { WEEKDAYS } from '../../src/trains/train-type.js';
import type { Train } from '../../src/trains/train.entity.js';

/** Route stops and their stations, built by hand: shared by unit and e2e tests. */
export const station = (code: string, name: string, latitude: number, longitude: number) => ({ code, name, latitude, longitude }) as Station;

export const routeStop = (
  sequence: number,
  arrival: [number, number] | null,
  departure: [number, number] | null,
  distanceKm: number,
  platform: string | null,
  at: Station,
) =>
  ({
    sequence,
    arrivalMinute: arrival?.[0] ?? null,
    arrivalDay: arrival?.[1] ?? null,
    departureMinute: departure?.[0] ?? null,
    departureDay: departure?.[1] ?? null,
    distanceKm,
    platform,
    station: at,
  }) as RouteStop;

/**
 * Leaves 22:00 on 2026-11-24 (IST) and crosses midnight: AAA dep 22:00, BBB 23:50-00:05,
 * CCC 02:00-02:10, DDD arr 06:30 (IST). In UTC: AAA dep 16:30, BBB 18:20-18:35,
 * CCC 20:30-20:40, DDD arr 01:00 on the 25th.
 */
export const overnightRoute = () => [
  routeStop(1, null, [1320, 0], 0, '1', station('AAA', 'Ambala Cantt', 28, 77)),
  routeStop(2, [1430, 0], [5, 1], 120, '2', station('BBB', 'Bhopal Jn', 27, 78)),
  routeStop(3, [120, 1], [130, 1], 300, '3', station('CCC', 'Chandrapur', 26, 80)),
  routeStop(4, [390, 1], null, 520, '4', station('DDD', 'Dadar', 25, 81)),
];

/**
 * A train's timetable with one stop pattern running on the train's weekdays (every day when it
 * has none): how the demo catalog's trains look in memory.
 */
export const weeklyTimetable = (train: Partial<Train> & Pick<Train, 'id' | 'number'>, stops: RouteStop[]): TrainTimetable => {
  const full = { name: train.number, runsOn: [...WEEKDAYS], daysKnown: true, timeZone: INDIAN_TIME_ZONE, ...train } as Train;
  const pattern = { id: `${train.id}-p1`, trainId: train.id, gtfsTripId: null, headsign: null, ...weeklyCalendar(full.runsOn) } as TrainPattern;
  return { train: full, patterns: [{ pattern, stops: stops.map((stop) => ({ ...stop, trainId: train.id, patternId: pattern.id }) as RouteStop) }] };
};
