import { MINUTES_PER_DAY } from '../schedule-time.js';

const SECONDS_PER_DAY = MINUTES_PER_DAY * 60;

/**
 * A GTFS stop time as the app models schedules: minutes after midnight plus a day offset, here
 * counted from the trip's service date (GTFS times are measured from "noon minus 12 h" of the
 * service day, so 25:21:00 is 01:21 the next day). Seconds are kept for exactness; the minute is
 * rounded down, so 04:23:30 is minute 263.
 */
export interface GtfsTime {
  /** Seconds since the start of the service day; may exceed 86,400. */
  readonly seconds: number;
  /** 0..1439. */
  readonly minuteOfDay: number;
  /** Whole days after the service date: 0 before 24:00:00, 1 from 24:00:00 to 47:59:59, … */
  readonly dayOffset: number;
}

/**
 * Seconds since the start of the service day for `H:MM:SS` or `HH:MM:SS` (hours may exceed 24,
 * and have up to 3 digits for multi-day trips), or NaN when `text` is not such a time. Blank text
 * is NaN too: callers decide whether a time may be empty. Written by hand, not with a regular
 * expression, because it runs twice for every stop_times row.
 */
export function gtfsTimeSeconds(text: string): number {
  const value = text.length > 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32) ? text.trim() : text;
  const length = value.length;
  const firstColon = length - 6;
  // H:MM:SS is 7 characters at least; hours have 1 to 3 digits.
  if (length < 7 || length > 9 || value.charCodeAt(firstColon) !== 58 || value.charCodeAt(length - 3) !== 58) return Number.NaN;
  let hours = 0;
  for (let i = 0; i < firstColon; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    hours = hours * 10 + digit;
  }
  const minutes = twoDigits(value, firstColon + 1);
  const seconds = twoDigits(value, length - 2);
  if (minutes > 59 || seconds > 59) return Number.NaN;
  return hours * 3600 + minutes * 60 + seconds;
}

function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  if (tens < 0 || tens > 9 || ones < 0 || ones > 9) return Number.NaN;
  return tens * 10 + ones;
}

/** The time for a seconds value from gtfsTimeSeconds. */
export function gtfsTimeOf(seconds: number): GtfsTime {
  return {
    seconds,
    minuteOfDay: Math.floor((seconds % SECONDS_PER_DAY) / 60),
    dayOffset: Math.floor(seconds / SECONDS_PER_DAY),
  };
}

/** `HH:MM:SS` (or `H:MM:SS`) to a GtfsTime, or null when malformed or blank. */
export function parseGtfsTime(text: string): GtfsTime | null {
  const seconds = gtfsTimeSeconds(text);
  return Number.isNaN(seconds) ? null : gtfsTimeOf(seconds);
}

/** Seconds since the service day's start to GTFS `HH:MM:SS` (at least two hour digits). */
export function formatGtfsTime(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Minute of day and day offset to GTFS `HH:MM:SS`, the inverse of gtfsTimeOf at minute precision. */
export const formatGtfsMinutes = (minuteOfDay: number, dayOffset: number) => formatGtfsTime((dayOffset * MINUTES_PER_DAY + minuteOfDay) * 60);
