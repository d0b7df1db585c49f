import { addDays, epochDayOf as rememberedEpochDayOf } from '../common/calendar-date.js';
import { WEEKDAYS, type Weekday } from '../trains/train-type.js';

/**
 * When a stop pattern runs, as dates its train leaves its origin (in the train's time zone):
 * a weekday rule within a validity range, plus added dates, minus removed ones. The GTFS
 * calendar.txt rule and calendar_dates.txt exceptions map onto it; so do a hand-made train's
 * weekdays (a rule without a range).
 */
export interface ServiceCalendar {
  /** The weekday rule, Monday first; empty when the pattern runs on listed dates only. */
  runsOn: readonly Weekday[];
  /** The rule's first and last date (ISO, inclusive); null = open. */
  validFrom: string | null;
  validTo: string | null;
  /** ISO dates, sorted. */
  addedDates: readonly string[];
  removedDates: readonly string[];
  /** False when the publisher does not know the days (GTFS service DAYS_UNKNOWN): its rule is a placeholder. */
  daysKnown: boolean;
}

/** The weekday of an ISO date, Monday first. */
export const weekdayOfDate = (date: string): Weekday => WEEKDAYS[weekdayIndexOf(rememberedEpochDayOf(date))];

/** A hand-made train's days: its weekdays, every week, with no end. */
export const weeklyCalendar = (runsOn: readonly Weekday[]): ServiceCalendar => ({
  runsOn: WEEKDAYS.filter((day) => runsOn.includes(day)),
  validFrom: null,
  validTo: null,
  addedDates: [],
  removedDates: [],
  daysKnown: true,
});

/** Whether a pattern with this calendar leaves its origin on `date` (YYYY-MM-DD). */
export function runsOnDate(calendar: ServiceCalendar, date: string): boolean {
  if (calendar.removedDates.length > 0 && calendar.removedDates.includes(date)) return false;
  if (calendar.addedDates.length > 0 && calendar.addedDates.includes(date)) return true;
  return (
    calendar.runsOn.length > 0 &&
    (calendar.validFrom === null || date >= calendar.validFrom) &&
    (calendar.validTo === null || date <= calendar.validTo) &&
    calendar.runsOn.includes(weekdayOfDate(date))
  );
}

/**
 * The date a train left its origin to be at a stop on `date`, given the stop's day offset,
 * or null when it did not leave then (the calendar has no run that day).
 */
export function originDateFor(date: string, dayOffset: number, calendar: ServiceCalendar): string | null {
  const origin = addDays(date, -dayOffset);
  return runsOnDate(calendar, origin) ? origin : null;
}

/**
 * The same calendar `days` later: for a GTFS trip whose first departure is past 24:00, whose
 * train leaves its origin the day after its GTFS service date.
 */
export function shiftCalendar(calendar: ServiceCalendar, days: number): ServiceCalendar {
  if (days === 0) return calendar;
  const step = ((days % 7) + 7) % 7;
  return {
    runsOn: WEEKDAYS.filter((_, index) => calendar.runsOn.includes(WEEKDAYS[(index - step + 7) % 7])),
    validFrom: calendar.validFrom && addDays(calendar.validFrom, days),
    validTo: calendar.validTo && addDays(calendar.validTo, days),
    addedDates: calendar.addedDates.map((date) => addDays(date, days)),
    removedDates: calendar.removedDates.map((date) => addDays(date, days)),
    daysKnown: calendar.daysKnown,
  };
}

// Enumerating a calendar's days (imports) goes through every date of its range once: not remembered.
const DAY_MS = 86_400_000;
const epochDayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const isoOfEpochDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** 0 = Monday (1970-01-01 was a Thursday). */
const weekdayIndexOf = (epochDay: number) => (((epochDay + 3) % 7) + 7) % 7;

/**
 * Every date of a calendar, sorted; null when its rule has no end (a hand-made weekly train
 * runs forever). Walks whole weeks in epoch days, so six years of a daily rule cost little.
 */
export function datesOf(calendar: ServiceCalendar): string[] | null {
  const dates = new Set(calendar.addedDates);
  if (calendar.runsOn.length > 0) {
    if (calendar.validFrom === null || calendar.validTo === null) return null;
    const from = epochDayOf(calendar.validFrom);
    const to = epochDayOf(calendar.validTo);
    for (const weekday of calendar.runsOn) {
      const first = from + ((WEEKDAYS.indexOf(weekday) - weekdayIndexOf(from) + 7) % 7);
      for (let day = first; day <= to; day += 7) dates.add(isoOfEpochDay(day));
    }
  }
  for (const date of calendar.removedDates) dates.delete(date);
  return [...dates].sort();
}

/** What `trains.runs_on` and `days_known` say of a train with these patterns' calendars. */
export interface RunDays {
  /** Weekdays on which it leaves its origin at least once; empty when unknown. */
  runsOn: Weekday[];
  /** False when no pattern's days are known. */
  daysKnown: boolean;
}

/**
 * A train's running days from its patterns' calendars: the weekdays of the dates they run (a
 * rule's weekdays when it has no end). Patterns whose days are unknown add nothing.
 */
export function runDaysOf(calendars: readonly ServiceCalendar[]): RunDays {
  const known = calendars.filter((calendar) => calendar.daysKnown);
  const days = new Set<Weekday>();
  for (const calendar of known) {
    for (const date of calendar.addedDates) if (!calendar.removedDates.includes(date)) days.add(weekdayOfDate(date));
    for (const weekday of ruleWeekdays(calendar)) days.add(weekday);
  }
  return { runsOn: WEEKDAYS.filter((day) => days.has(day)), daysKnown: known.length > 0 || calendars.length === 0 };
}

/** The weekdays of a calendar's rule that give at least one date not removed (an import asks this of every trip). */
function ruleWeekdays(calendar: ServiceCalendar): readonly Weekday[] {
  if (calendar.validFrom === null || calendar.validTo === null) return calendar.runsOn;
  const from = epochDayOf(calendar.validFrom);
  const to = epochDayOf(calendar.validTo);
  const removed = new Set(calendar.removedDates);
  return calendar.runsOn.filter((weekday) => {
    for (let day = from + ((WEEKDAYS.indexOf(weekday) - weekdayIndexOf(from) + 7) % 7); day <= to; day += 7) {
      if (removed.size === 0 || !removed.has(isoOfEpochDay(day))) return true;
    }
    return false;
  });
}
