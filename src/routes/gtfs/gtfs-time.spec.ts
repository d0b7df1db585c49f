import { describe, expect, it } from '@jest/globals';
import { formatGtfsMinutes, formatGtfsTime, gtfsTimeSeconds, parseGtfsTime } from './gtfs-time.js';

describe('GTFS times', () => {
  it('reads HH:MM:SS and H:MM:SS as minute of day and day offset from the service date', () => {
    expect(parseGtfsTime('08:35:00')).toEqual({ seconds: 30_900, minuteOfDay: 515, dayOffset: 0 });
    expect(parseGtfsTime('6:05:00')).toEqual({ seconds: 21_900, minuteOfDay: 365, dayOffset: 0 });
    expect(parseGtfsTime('00:00:00')).toEqual({ seconds: 0, minuteOfDay: 0, dayOffset: 0 });
  });

  it('reads times past 24:00 (LIRR 24:04 and 25:21, Sound Transit 26:14) as the next day', () => {
    expect(parseGtfsTime('24:04:00')).toEqual({ seconds: 86_640, minuteOfDay: 4, dayOffset: 1 });
    expect(parseGtfsTime('25:21:00')).toMatchObject({ minuteOfDay: 81, dayOffset: 1 });
    expect(parseGtfsTime('26:14:00')).toMatchObject({ minuteOfDay: 134, dayOffset: 1 });
  });

  it('reads multi-day times with three hour digits (a week-long tourist train)', () => {
    expect(parseGtfsTime('170:30:00')).toMatchObject({ minuteOfDay: 150, dayOffset: 7 });
  });

  it('rounds seconds down to the minute and keeps them', () => {
    expect(parseGtfsTime('04:23:30')).toEqual({ seconds: 15_810, minuteOfDay: 263, dayOffset: 0 });
  });

  it('tolerates surrounding spaces', () => {
    expect(parseGtfsTime(' 07:15:00 ')).toMatchObject({ minuteOfDay: 435 });
  });

  it.each(['', '   ', '7:15', '07:60:00', '07:15:60', '7:5:00', '07-15-00', 'ab:cd:ef', '1234:00:00', '-1:00:00', '07:15:00:00'])('rejects %j', (text) => {
    expect(parseGtfsTime(text)).toBeNull();
    expect(gtfsTimeSeconds(text)).toBeNaN();
  });

  it('formats seconds and minute/day pairs back to GTFS, with at least two hour digits', () => {
    expect(formatGtfsTime(21_900)).toBe('06:05:00');
    expect(formatGtfsTime(86_640)).toBe('24:04:00');
    expect(formatGtfsTime(15_810)).toBe('04:23:30');
    expect(formatGtfsMinutes(515, 1)).toBe('32:35:00');
    expect(formatGtfsMinutes(150, 7)).toBe('170:30:00');
  });
});
