import { formatClock, minutesFromStart } from '../routes/schedule-time.js';

/** Timetables are Indian Standard Time, UTC+05:30 all year. */
const IST_OFFSET_MINUTES = 330;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The instant of a timetable time on a run that leaves its origin on `serviceDate`. */
export function scheduledInstant(serviceDate: string, minuteOfDay: number, dayOffset: number): Date {
  return new Date(Date.parse(`${serviceDate}T00:00:00Z`) + (minutesFromStart(minuteOfDay, dayOffset) - IST_OFFSET_MINUTES) * MINUTE_MS);
}

/** The Indian calendar date of an instant, YYYY-MM-DD. */
export const istDate = (at: Date) => new Date(at.getTime() + IST_OFFSET_MINUTES * MINUTE_MS).toISOString().slice(0, 10);

/** "HH:mm" in Indian time. */
export function istClock(at: Date): string {
  const minutes = Math.floor((at.getTime() / MINUTE_MS + IST_OFFSET_MINUTES) % 1440);
  return formatClock((minutes + 1440) % 1440);
}

export const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** An instant as ISO 8601 for a response, keeping null. */
export const isoOrNull = (at: Date | null) => (at ? at.toISOString() : null);

export const addMinutes = (at: Date, minutes: number) => new Date(at.getTime() + minutes * MINUTE_MS);
