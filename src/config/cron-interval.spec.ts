import { describe, expect, it } from '@jest/globals';
import { shortestCronIntervalMs } from './cron-interval.js';
import { validateEnv } from './env.validation.js';

describe('shortestCronIntervalMs', () => {
  it('is the period of a regular schedule', () => {
    expect(shortestCronIntervalMs('* * * * * *')).toBe(1000);
    expect(shortestCronIntervalMs('*/2 * * * * *')).toBe(2000);
    expect(shortestCronIntervalMs('*/10 * * * * *')).toBe(10_000);
    expect(shortestCronIntervalMs('0 */5 * * * *')).toBe(300_000);
    // Five fields: minutes are the finest unit.
    expect(shortestCronIntervalMs('*/10 * * * *')).toBe(600_000);
  });

  it('is the shortest gap of an irregular one', () => {
    // 0, 7, …, 56, then 0 again 4 s later.
    expect(shortestCronIntervalMs('*/7 * * * * *')).toBe(4000);
    expect(shortestCronIntervalMs('0,1 * * * * *')).toBe(1000);
    expect(shortestCronIntervalMs('0 0,59 * * * *')).toBe(60_000);
    // Weekdays at noon: a day apart, except over the weekend.
    expect(shortestCronIntervalMs('0 0 12 * * 1-5')).toBe(86_400_000);
  });

  it('refuses what is not a cron expression', () => {
    expect(() => shortestCronIntervalMs('every 10 seconds')).toThrow();
    expect(() => shortestCronIntervalMs('61 * * * * *')).toThrow();
  });
});

describe('the tick lock TTL follows TRACKING_CRON', () => {
  it('defaults to 80% of the shortest interval between two ticks', () => {
    expect(validateEnv({}).TRACKING_LOCK_TTL_MS).toBe(8000);
    expect(validateEnv({ TRACKING_CRON: '*/2 * * * * *' }).TRACKING_LOCK_TTL_MS).toBe(1600);
    expect(validateEnv({ TRACKING_CRON: '* * * * * *' }).TRACKING_LOCK_TTL_MS).toBe(800);
    expect(validateEnv({ TRACKING_CRON: '*/7 * * * * *' }).TRACKING_LOCK_TTL_MS).toBe(3200);
    expect(validateEnv({ TRACKING_CRON: '0 */5 * * * *' }).TRACKING_LOCK_TTL_MS).toBe(240_000);
  });

  it('keeps an explicit TTL shorter than the interval', () => {
    expect(validateEnv({ TRACKING_CRON: '* * * * * *', TRACKING_LOCK_TTL_MS: '800' }).TRACKING_LOCK_TTL_MS).toBe(800);
    expect(validateEnv({ TRACKING_CRON: '*/2 * * * * *', TRACKING_LOCK_TTL_MS: '1500' }).TRACKING_LOCK_TTL_MS).toBe(1500);
  });

  it('refuses at start a TTL that reaches the next tick, naming both values', () => {
    // The lock of one tick would still be held when the next one fires: most ticks skipped as busy.
    expect(() => validateEnv({ TRACKING_CRON: '*/2 * * * * *', TRACKING_LOCK_TTL_MS: '8000' })).toThrow(
      /TRACKING_LOCK_TTL_MS: TRACKING_LOCK_TTL_MS \(8000\) must be shorter than the shortest interval between two ticks of TRACKING_CRON '\*\/2 \* \* \* \* \*' \(2000 ms\)/,
    );
    expect(() => validateEnv({ TRACKING_CRON: '* * * * * *', TRACKING_LOCK_TTL_MS: '1000' })).toThrow(/TRACKING_LOCK_TTL_MS \(1000\) must be shorter/);
  });

  it('accepts a TTL down to 100 ms, so a lock can expire between ticks a second apart', () => {
    expect(validateEnv({ TRACKING_CRON: '* * * * * *', TRACKING_LOCK_TTL_MS: '100' }).TRACKING_LOCK_TTL_MS).toBe(100);
    expect(() => validateEnv({ TRACKING_LOCK_TTL_MS: '99' })).toThrow(/TRACKING_LOCK_TTL_MS must not be less than 100/);
  });

  it('refuses a TRACKING_CRON that is not a valid cron expression', () => {
    expect(() => validateEnv({ TRACKING_CRON: '61 * * * * *' })).toThrow(/TRACKING_CRON: TRACKING_CRON must be a cron expression/);
  });
});
