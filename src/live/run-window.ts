import type { RouteStop } from '../routes/route-stop.entity.js';
import { runsOnDate } from '../trains/run-days.js';
import { addDays, addMinutes, istDate, scheduledInstant } from '../trains/service-time.js';
import type { Train } from '../trains/train.entity.js';

/**
 * Service dates served by the live endpoints: from a week back (a finished run's history and
 * its last state) to a week ahead (the next runs, from the timetable), around today at the
 * station's time. Outside it a run is 404 RUN_NOT_FOUND: a far date is not a live run.
 */
export const RUN_DAYS_BACK = 7;
export const RUN_DAYS_AHEAD = 7;

/** After arriving, a run is still "the train now" for this long (people meet trains). */
const ARRIVAL_GRACE_MINUTES = 60;

export interface TimetabledTrain {
  train: Train;
  stops: RouteStop[];
}

export const servedDates = (now: Date) => ({ from: addDays(istDate(now), -RUN_DAYS_BACK), to: addDays(istDate(now), RUN_DAYS_AHEAD) });

export const isServedDate = (date: string, now: Date) => {
  const { from, to } = servedDates(now);
  return date >= from && date <= to;
};

const departureOf = (stops: RouteStop[], date: string) => scheduledInstant(date, stops[0].departureMinute!, stops[0].departureDay!);
const arrivalOf = (stops: RouteStop[], date: string) => {
  const last = stops[stops.length - 1];
  return scheduledInstant(date, last.arrivalMinute!, last.arrivalDay!);
};

/** Service dates of the runs on the line at `now` (left, and not an hour past their arrival), oldest first. */
export function runsInProgress({ train, stops }: TimetabledTrain, now: Date): string[] {
  const today = istDate(now);
  const lastDay = stops[stops.length - 1].arrivalDay ?? 0;
  const dates: string[] = [];
  for (let back = lastDay + 1; back >= 0; back--) {
    const date = addDays(today, -back);
    if (!runsOnDate(train.runsOn, date)) continue;
    if (departureOf(stops, date) <= now && addMinutes(arrivalOf(stops, date), ARRIVAL_GRACE_MINUTES) >= now) dates.push(date);
  }
  return dates;
}

/** The service date of the next run to leave its origin after `now`, within a week. */
export function nextRun({ train, stops }: TimetabledTrain, now: Date): string | null {
  const today = istDate(now);
  for (let ahead = -1; ahead <= RUN_DAYS_AHEAD; ahead++) {
    const date = addDays(today, ahead);
    if (runsOnDate(train.runsOn, date) && departureOf(stops, date) > now) return date;
  }
  return null;
}

/**
 * The run a traveller means by "the train now": the latest one on the line, otherwise the next
 * to leave within a week.
 */
export function currentServiceDate(timetable: TimetabledTrain, now: Date): string | null {
  return runsInProgress(timetable, now).at(-1) ?? nextRun(timetable, now);
}

/** A run is reported on from this long before it leaves (the simulator's window; feeds publish about as early). */
const ACTIVE_BEFORE_DEPARTURE_MINUTES = 120;

/**
 * Every active run of a train, oldest first: those on the line, and the next to leave when it
 * leaves within two hours (or when nothing is on the line, so there is always one to show).
 */
export function activeServiceDates(timetable: TimetabledTrain, now: Date): string[] {
  const inProgress = runsInProgress(timetable, now);
  const next = nextRun(timetable, now);
  const soon = next !== null && departureOf(timetable.stops, next) <= addMinutes(now, ACTIVE_BEFORE_DEPARTURE_MINUTES);
  return next !== null && (soon || inProgress.length === 0) ? [...inProgress, next] : inProgress;
}
