import { CronTime, validateCronExpression } from 'cron';

/**
 * Firings looked at for the shortest gap. The gaps of a cron schedule repeat with its coarsest
 * field (a minute for `*\/7 * * * * *`, a week for `0 0 12 * * 1-5`), so a hundred covers every
 * schedule a tracker would use, in milliseconds of CPU at start.
 */
const FIRINGS = 100;
/** Any fixed instant: the schedule's gaps do not depend on it, and the answer is the same at every start. */
const FROM = new Date(Date.UTC(2026, 0, 1));

/** Whether `expression` is a cron expression the scheduler (the `cron` package) accepts. */
export const isCronExpression = (expression: string): boolean => validateCronExpression(expression).valid;

/**
 * The shortest time between two firings of a cron schedule (with or without a seconds field),
 * computed with the `cron` package that runs the schedule. In UTC: a daylight saving change can
 * shorten one local day, not the gaps of a tracker's schedule of seconds or minutes.
 */
export function shortestCronIntervalMs(expression: string): number {
  let shortest = shortestIntervals.get(expression);
  if (shortest === undefined) shortestIntervals.set(expression, (shortest = computeShortestIntervalMs(expression)));
  return shortest;
}

/**
 * Remembered per expression: the env validation, the live HTTP cache and the published feed each
 * ask at start, and stepping the `cron` package through a hundred firings takes 0.1–0.9 s of CPU
 * (most for hourly or daily schedules, which it walks a second at a time).
 */
const shortestIntervals = new Map<string, number>();

function computeShortestIntervalMs(expression: string): number {
  const time = new CronTime(expression, 'UTC');
  let previous = time.getNextDateFrom(FROM, 'UTC');
  let shortest = Infinity;
  for (let i = 0; i < FIRINGS; i++) {
    const next = time.getNextDateFrom(previous, 'UTC');
    shortest = Math.min(shortest, next.toMillis() - previous.toMillis());
    previous = next;
  }
  return shortest;
}

/** Share of the shortest interval the tick lock lives by default: expired well before the next firing. */
export const TICK_LOCK_SHARE_OF_INTERVAL = 0.8;

/** The default tick lock TTL for a schedule. */
export const defaultTickLockTtlMs = (shortestIntervalMs: number): number => Math.floor(shortestIntervalMs * TICK_LOCK_SHARE_OF_INTERVAL);
