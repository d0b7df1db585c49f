/**
 * Arithmetic on ISO calendar dates (YYYY-MM-DD), remembered: the live status path and the tick
 * turn the same few dates into day numbers and back many times per request and per run (which
 * run of a train is under way, on which days its patterns run), and Date.parse + toISOString
 * there cost ~3% of a status request (a CPU profile of bench/status-endpoint.mjs).
 */

const DAY_MS = 86_400_000;
/** Past this many dates a memo starts over: it only ever holds the dates in use. */
const CACHE_LIMIT = 20_000;

const epochDays = new Map<string, number>();
const isoDates = new Map<number, string>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** Days from 1970-01-01 to an ISO date (NaN when it is not one). */
export function epochDayOf(date: string): number {
  const known = epochDays.get(date);
  if (known !== undefined) return known;
  const day = Date.parse(`${date}T00:00:00Z`) / DAY_MS;
  return Number.isNaN(day) ? day : remember(epochDays, date, day);
}

/** The ISO date `day` days after 1970-01-01 (RangeError for NaN, as Date#toISOString). */
export function isoDateOfEpochDay(day: number): string {
  return isoDates.get(day) ?? remember(isoDates, day, new Date(day * DAY_MS).toISOString().slice(0, 10));
}

/** The ISO date `days` after `date`. */
export const addDays = (date: string, days: number): string => isoDateOfEpochDay(epochDayOf(date) + days);

/** The ISO date of the UTC day an instant (ms) falls in. */
export const isoDateOfMs = (ms: number): string => isoDateOfEpochDay(Math.floor(ms / DAY_MS));
