import type { RouteStop } from '../routes/route-stop.entity.js';
import { lastDayOf, stopsOn, type TrainTimetable } from '../routes/timetable.model.js';
import { addDays, addMinutes, localDate, scheduledInstant } from '../trains/service-time.js';

/**
 * Service dates served by the live endpoints: from a week back (a finished run's history and
 * its last state) to a week ahead (the next runs, from the timetable), around today in the
 * train's time zone. Outside it a run is 404 RUN_NOT_FOUND: a far date is not a live run.
 */
export const RUN_DAYS_BACK = 7;
export const RUN_DAYS_AHEAD = 7;

/** After arriving, a run is still "the train now" for this long (people meet trains). */
const ARRIVAL_GRACE_MINUTES = 60;

export type { TrainTimetable };

export const servedDates = (now: Date, timeZone: string) => {
  const today = localDate(now, timeZone);
  return { from: addDays(today, -RUN_DAYS_BACK), to: addDays(today, RUN_DAYS_AHEAD) };
};

export const isServedDate = (date: string, now: Date, timeZone: string) => {
  const { from, to } = servedDates(now, timeZone);
  return date >= from && date <= to;
};

/** When a run of these stops leaves its origin, and when it reaches its destination. */
export const departureOf = (stops: RouteStop[], date: string, timeZone: string) => scheduledInstant(date, stops[0].departureMinute!, stops[0].departureDay!, timeZone);
export const arrivalOf = (stops: RouteStop[], date: string, timeZone: string) => {
  const last = stops[stops.length - 1];
  return scheduledInstant(date, last.arrivalMinute!, last.arrivalDay!, timeZone);
};

/** Service dates of the runs on the line at `now` (left, and not an hour past their arrival), oldest first. */
export function runsInProgress(timetable: TrainTimetable, now: Date): string[] {
  const zone = timetable.train.timeZone;
  const today = localDate(now, zone);
  const dates: string[] = [];
  for (let back = lastDayOf(timetable) + 1; back >= 0; back--) {
    const date = addDays(today, -back);
    const stops = stopsOn(timetable, date);
    if (!stops) continue;
    if (departureOf(stops, date, zone) <= now && addMinutes(arrivalOf(stops, date, zone), ARRIVAL_GRACE_MINUTES) >= now) dates.push(date);
  }
  return dates;
}

/** The service date of the next run to leave its origin after `now`, within a week. */
export function nextRun(timetable: TrainTimetable, now: Date): string | null {
  const zone = timetable.train.timeZone;
  const today = localDate(now, zone);
  for (let ahead = -1; ahead <= RUN_DAYS_AHEAD; ahead++) {
    const date = addDays(today, ahead);
    const stops = stopsOn(timetable, date);
    if (stops && departureOf(stops, date, zone) > now) return date;
  }
  return null;
}

/**
 * The run a traveller means by "the train now": the latest one on the line, otherwise the next
 * to leave within a week.
 */
export function currentServiceDate(timetable: TrainTimetable, now: Date): string | null {
  return runsInProgress(timetable, now).at(-1) ?? nextRun(timetable, now);
}

/** A run is reported on from this long before it leaves (the simulator's window; feeds publish about as early). */
const ACTIVE_BEFORE_DEPARTURE_MINUTES = 120;

/**
 * Every active run of a train, oldest first: those on the line, and the next to leave when it
 * leaves within two hours (or when nothing is on the line, so there is always one to show).
 * `current` is the one of them currentServiceDate gives (null when there is none soon).
 */
export function activeServiceDates(timetable: TrainTimetable, now: Date): { current: string | null; active: string[] } {
  const inProgress = runsInProgress(timetable, now);
  const next = nextRun(timetable, now);
  const soon = next !== null && departureOf(stopsOn(timetable, next)!, next, timetable.train.timeZone) <= addMinutes(now, ACTIVE_BEFORE_DEPARTURE_MINUTES);
  const active = next !== null && (soon || inProgress.length === 0) ? [...inProgress, next] : inProgress;
  return { current: inProgress.at(-1) ?? next, active };
}
