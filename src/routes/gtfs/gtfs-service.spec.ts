import { describe, expect, it } from '@jest/globals';
import { gtfsDateOf, isoDateOf, parseGtfsDate, parseIsoDate, weekdayOf } from './gtfs-date.js';
import { ExpandedService } from './gtfs-service.js';

const day = (iso: string) => parseIsoDate(iso);
const weekdaysOnly = [true, true, true, true, true, false, false];

describe('GTFS dates', () => {
  it('reads YYYYMMDD into a day number and back', () => {
    expect(isoDateOf(parseGtfsDate('20260921'))).toBe('2026-09-21');
    expect(gtfsDateOf(parseGtfsDate('20240229'))).toBe('20240229');
    expect(weekdayOf(parseGtfsDate('20260921'))).toBe('MON');
    expect(weekdayOf(parseGtfsDate('20230318'))).toBe('SAT');
  });

  it.each(['2026-09-21', '202609', '20230230', '20231301', '2023O101', ''])('rejects %j', (text) => {
    expect(parseGtfsDate(text)).toBeNaN();
  });
});

describe('ExpandedService', () => {
  it('runs on the calendar weekdays from start_date to end_date inclusive', () => {
    const service = new ExpandedService('WK', true, { line: 2, weekdays: weekdaysOnly, start: day('2026-01-05'), end: day('2026-01-18') }, [], []);
    expect(service.dates()).toEqual(['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09', '2026-01-12', '2026-01-13', '2026-01-14', '2026-01-15', '2026-01-16']);
    expect(service.calendar).toEqual({ line: 2, runsOn: ['MON', 'TUE', 'WED', 'THU', 'FRI'], startDate: '2026-01-05', endDate: '2026-01-18' });
  });

  it('adds calendar_dates type 1 and removes type 2', () => {
    const service = new ExpandedService('WK', true, { line: 2, weekdays: weekdaysOnly, start: day('2026-01-05'), end: day('2026-01-11') }, [day('2026-01-10')], [day('2026-01-07')]);
    expect(service.dates()).toEqual(['2026-01-05', '2026-01-06', '2026-01-08', '2026-01-09', '2026-01-10']);
    expect(service.added).toEqual(['2026-01-10']);
    expect(service.removed).toEqual(['2026-01-07']);
    expect(service.runsOnDate('2026-01-10')).toBe(true);
    expect(service.runsOnDate('2026-01-07')).toBe(false);
    expect(service.runsOnDate('2026-01-11')).toBe(false);
  });

  it('is defined by calendar_dates alone when calendar.txt has no row for it, in date order', () => {
    const service = new ExpandedService('X', true, null, [day('2026-10-02'), day('2026-09-30'), day('2026-09-30')], []);
    expect(service.calendar).toBeNull();
    expect(service.dates()).toEqual(['2026-09-30', '2026-10-02']);
    expect([service.dateCount, service.firstDate, service.lastDate]).toEqual([2, '2026-09-30', '2026-10-02']);
  });

  it('may have no date at all', () => {
    const service = new ExpandedService('NONE', true, null, [], [day('2026-01-01')]);
    expect([service.dateCount, service.firstDate, service.lastDate]).toEqual([0, null, null]);
  });
});
