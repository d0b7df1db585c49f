import { originDateFor as originDateOnCalendar, runsOnDate as runsOnCalendar, weeklyCalendar } from '../routes/service-calendar.js';
import { WEEKDAYS, type Weekday } from './train-type.js';

/**
 * Weekday rules, as hand-made trains and `runsOn` state them. Calendars in general (GTFS dates,
 * validity ranges, days unknown) are in routes/service-calendar.ts; these are the weekly case.
 */

export const weekdayOf = (date: Date): Weekday => WEEKDAYS[(date.getUTCDay() + 6) % 7];

/** Whether a train with these running days leaves its origin on `date` (YYYY-MM-DD). */
export const runsOnDate = (runsOn: readonly Weekday[], date: string) => runsOnCalendar(weeklyCalendar(runsOn), date);

/**
 * The date a train left its origin to be at a stop on `date`, given the stop's day offset,
 * or null when the train does not run that way (it does not leave its origin that weekday).
 */
export const originDateFor = (date: string, dayOffset: number, runsOn: readonly Weekday[]): string | null =>
  originDateOnCalendar(date, dayOffset, weeklyCalendar(runsOn));
