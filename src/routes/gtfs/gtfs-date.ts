import { WEEKDAYS, type Weekday } from '../../trains/train-type.js';

/**
 * Calendar dates as whole days since 1970-01-01 ("epoch days"): compact (one number), ordered, and
 * free of time zones, which is what a service date is (a day in the agency's zone, not an instant).
 */

const MS_PER_DAY = 86_400_000;

/** GTFS `YYYYMMDD` to an epoch day, or NaN when malformed or not a real date (20230230). */
export function parseGtfsDate(text: string): number {
  const value = text.trim();
  if (!/^\d{8}$/.test(value)) return Number.NaN;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(4, 6));
  const day = Number(value.slice(6, 8));
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return Number.NaN;
  return ms / MS_PER_DAY;
}

/** ISO `YYYY-MM-DD` (the API's date format) to an epoch day, or NaN. */
export const parseIsoDate = (text: string) => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? parseGtfsDate(text.replaceAll('-', '')) : Number.NaN);

/** Epoch day to ISO `YYYY-MM-DD`. */
export const isoDateOf = (epochDay: number) => new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);

/** Epoch day to GTFS `YYYYMMDD`. */
export const gtfsDateOf = (epochDay: number) => isoDateOf(epochDay).replaceAll('-', '');

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export const weekdayIndexOf = (epochDay: number) => (((epochDay + 3) % 7) + 7) % 7;

export const weekdayOf = (epochDay: number): Weekday => WEEKDAYS[weekdayIndexOf(epochDay)];
