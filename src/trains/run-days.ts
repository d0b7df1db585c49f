import { parseCalendarDate } from '../common/validation/codes.js';
import { WEEKDAYS, type Weekday } from './train-type.js';

const DAY_MS = 86_400_000;

export const weekdayOf = (date: Date): Weekday => WEEKDAYS[(date.getUTCDay() + 6) % 7];

/** Whether a train with these running days leaves its origin on `date` (YYYY-MM-DD). */
export const runsOnDate = (runsOn: readonly Weekday[], date: string) => runsOn.includes(weekdayOf(new Date(`${date}T00:00:00Z`)));

/**
 * The date a train left its origin to be at a stop on `date`, given the stop's day offset,
 * or null when the train does not run that way (it does not leave its origin that weekday).
 */
export function originDateFor(date: string, dayOffset: number, runsOn: readonly Weekday[]): string | null {
  const day = parseCalendarDate(date);
  if (!day) return null;
  const origin = new Date(day.getTime() - dayOffset * DAY_MS);
  return runsOn.includes(weekdayOf(origin)) ? origin.toISOString().slice(0, 10) : null;
}
