import { addDays, epochDayOf, isoDateOfMs } from '../common/calendar-date.js';
import { formatClock, minutesFromStart } from '../routes/schedule-time.js';

export { addDays };

/**
 * Timetable times are local clock times in the train's time zone (its agency's, an IANA zone)
 * counted from its service date; these turn them into instants and back. Node's Intl has the
 * full ICU zone database, so every zone works with no package. Results are cached: the live
 * views and the simulator ask for the same few zones and dates all the time.
 */

/** The zone of Indian Railways timetables (UTC+05:30 all year), and of the hand-made demo trains. */
export const INDIAN_TIME_ZONE = 'Asia/Kolkata';

const MINUTE_MS = 60_000;
/** Offsets are cached per zone and quarter hour: zones change offset only on whole quarter hours. */
const OFFSET_BUCKET_MS = 15 * MINUTE_MS;
const CACHE_LIMIT = 50_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
/** By zone, then service date: the live views ask for every stop of every run, and a key built per lookup cost more than the lookup. */
const dayStarts = new Map<string, Map<string, number>>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone Intl knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

function remember(cache: Map<string, number>, key: string, value: number): number {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** The zone's offset from UTC at an instant, in ms (New York in winter: -5 h). */
export function zoneOffsetMs(atMs: number, timeZone: string): number {
  const bucket = Math.floor(atMs / OFFSET_BUCKET_MS) * OFFSET_BUCKET_MS;
  const key = `${timeZone}|${bucket}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(new Date(bucket))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return remember(offsets, key, wall - bucket);
}

/**
 * Where the times of a service date count from: "noon minus 12 h" in the zone, as GTFS defines
 * it, which is local midnight except on the days clocks change (then a time is still measured
 * from the same point, and 01:30 is never ambiguous).
 */
export function serviceDayStartMs(serviceDate: string, timeZone: string): number {
  let ofZone = dayStarts.get(timeZone);
  if (!ofZone) dayStarts.set(timeZone, (ofZone = new Map()));
  const cached = ofZone.get(serviceDate);
  if (cached !== undefined) return cached;
  const noonWall = Date.parse(`${serviceDate}T12:00:00Z`);
  // Clocks never change around noon: one correction finds the instant whose wall time is noon.
  const guess = noonWall - zoneOffsetMs(noonWall, timeZone);
  const noon = noonWall - zoneOffsetMs(guess, timeZone);
  return remember(ofZone, serviceDate, noon - 12 * 60 * MINUTE_MS);
}

/** The instant of a timetable time on a run that leaves its origin on `serviceDate`, in the train's zone. */
export function scheduledInstant(serviceDate: string, minuteOfDay: number, dayOffset: number, timeZone: string): Date {
  return new Date(serviceDayStartMs(serviceDate, timeZone) + minutesFromStart(minuteOfDay, dayOffset) * MINUTE_MS);
}

/** The calendar date of an instant in a zone, YYYY-MM-DD. */
export const localDate = (at: Date, timeZone: string) => isoDateOfMs(at.getTime() + zoneOffsetMs(at.getTime(), timeZone));

/** "HH:mm" of an instant on the clocks of a zone. */
export function localClock(at: Date, timeZone: string): string {
  const wall = at.getTime() + zoneOffsetMs(at.getTime(), timeZone);
  const minutes = Math.floor(wall / MINUTE_MS) % 1440;
  return formatClock((minutes + 1440) % 1440);
}

/** Whole days from `from` to `to` (ISO dates). */
export const daysBetween = (from: string, to: string) => Math.round(epochDayOf(to) - epochDayOf(from));

/** An instant as ISO 8601 for a response, keeping null. */
export const isoOrNull = (at: Date | null) => (at ? at.toISOString() : null);

export const addMinutes = (at: Date, minutes: number) => new Date(at.getTime() + minutes * MINUTE_MS);
