import { describe, expect, it } from '@jest/globals';
import { addDays, addMinutes, daysBetween, isTimeZone, localClock, localDate, scheduledInstant, zoneOffsetMs } from './service-time.js';

const IST = 'Asia/Kolkata';
const istDate = (at: Date) => localDate(at, IST);
const istClock = (at: Date) => localClock(at, IST);

describe('scheduledInstant', () => {
  it('reads a first-day timetable time as Indian time (UTC+05:30)', () => {
    expect(scheduledInstant('2026-11-24', 1020, 0, IST)).toEqual(new Date('2026-11-24T11:30:00Z'));
  });

  it('puts Indian midnight of the service date on the previous UTC day', () => {
    expect(scheduledInstant('2026-11-24', 0, 0, IST)).toEqual(new Date('2026-11-23T18:30:00Z'));
    expect(scheduledInstant('2026-11-24', 329, 0, IST)).toEqual(new Date('2026-11-23T23:59:00Z'));
    expect(scheduledInstant('2026-11-24', 330, 0, IST)).toEqual(new Date('2026-11-24T00:00:00Z'));
  });

  it('adds whole days for the day offset', () => {
    expect(scheduledInstant('2026-11-24', 390, 1, IST)).toEqual(new Date('2026-11-25T01:00:00Z'));
    expect(scheduledInstant('2026-11-24', 1439, 2, IST)).toEqual(new Date('2026-11-26T18:29:00Z'));
    expect(scheduledInstant('2026-11-24', 5, 1, IST)).toEqual(new Date('2026-11-24T18:35:00Z'));
  });

  it('carries day offsets across month and year ends', () => {
    expect(scheduledInstant('2026-11-30', 600, 1, IST)).toEqual(new Date('2026-12-01T04:30:00Z'));
    expect(scheduledInstant('2026-12-31', 1430, 2, IST)).toEqual(new Date('2027-01-02T18:20:00Z'));
    expect(scheduledInstant('2028-02-28', 720, 1, IST)).toEqual(new Date('2028-02-29T06:30:00Z'));
  });
});

describe('localDate in India', () => {
  it('is already the next day in India from 18:30 UTC', () => {
    expect(istDate(new Date('2026-11-24T18:40:00Z'))).toBe('2026-11-25');
    expect(istDate(new Date('2026-11-24T18:30:00Z'))).toBe('2026-11-25');
  });

  it('is still the same day in India just before 18:30 UTC', () => {
    expect(istDate(new Date('2026-11-24T18:29:59.999Z'))).toBe('2026-11-24');
    expect(istDate(new Date('2026-11-24T00:00:00Z'))).toBe('2026-11-24');
  });

  it('rolls over the year at 18:30 UTC on 31 December', () => {
    expect(istDate(new Date('2026-12-31T18:29:00Z'))).toBe('2026-12-31');
    expect(istDate(new Date('2026-12-31T18:30:00Z'))).toBe('2027-01-01');
  });
});

describe('localClock in India', () => {
  it('formats an instant as HH:mm in Indian time', () => {
    expect(istClock(new Date('2026-11-24T11:30:00Z'))).toBe('17:00');
    expect(istClock(new Date('2026-11-24T01:00:00Z'))).toBe('06:30');
  });

  it('wraps past Indian midnight', () => {
    expect(istClock(new Date('2026-11-24T18:29:00Z'))).toBe('23:59');
    expect(istClock(new Date('2026-11-24T18:30:00Z'))).toBe('00:00');
    expect(istClock(new Date('2026-11-24T18:40:00Z'))).toBe('00:10');
  });

  it('drops seconds rather than rounding them up', () => {
    expect(istClock(new Date('2026-11-24T11:30:59.999Z'))).toBe('17:00');
  });

  it('handles instants before 1970', () => {
    expect(istClock(new Date('1969-12-31T18:00:30Z'))).toBe('23:30');
  });
});

describe('other time zones', () => {
  it('reads New York times in daylight time (UTC-4) and in standard time (UTC-5)', () => {
    expect(scheduledInstant('2026-09-21', 65, 0, 'America/New_York')).toEqual(new Date('2026-09-21T05:05:00Z'));
    expect(scheduledInstant('2026-11-03', 65, 0, 'America/New_York')).toEqual(new Date('2026-11-03T06:05:00Z'));
  });

  it('counts times past 24:00 from noon minus 12 hours of the service date, as GTFS does', () => {
    // LIRR train 21 reaches Penn Station (stop 157) at 24:04 on its service date.
    expect(scheduledInstant('2026-09-25', 4, 1, 'America/New_York')).toEqual(new Date('2026-09-26T04:04:00Z'));
    // 1 November 2026, clocks go back at 02:00: the day starts at 00:00 EDT, noon is 12:00 EST.
    expect(scheduledInstant('2026-11-01', 12 * 60, 0, 'America/New_York')).toEqual(new Date('2026-11-01T17:00:00Z'));
    expect(scheduledInstant('2026-11-01', 90, 0, 'America/New_York')).toEqual(new Date('2026-11-01T06:30:00Z'));
  });

  it('gives local dates and clock times across a zone’s midnight and its clock changes', () => {
    expect(localDate(new Date('2023-05-13T06:59:00Z'), 'America/Los_Angeles')).toBe('2023-05-12');
    expect(localDate(new Date('2023-05-13T07:00:00Z'), 'America/Los_Angeles')).toBe('2023-05-13');
    expect(localClock(new Date('2023-05-13T09:14:00Z'), 'America/Los_Angeles')).toBe('02:14');
    expect(localClock(new Date('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('01:30');
    expect(localClock(new Date('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('01:30');
    expect(localClock(new Date('2026-11-01T07:30:00Z'), 'America/New_York')).toBe('02:30');
    expect(zoneOffsetMs(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(2 * 3_600_000);
    expect(zoneOffsetMs(Date.parse('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toBe(3_600_000);
  });

  it('knows IANA zones and refuses others', () => {
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('America/New York')).toBe(false);
  });
});

describe('daysBetween', () => {
  it('counts whole days, either way', () => {
    expect(daysBetween('2026-11-24', '2026-12-01')).toBe(7);
    expect(daysBetween('2026-03-01', '2026-02-27')).toBe(-2);
  });
});

describe('addDays', () => {
  it('moves a date within a month', () => {
    expect(addDays('2026-11-24', 1)).toBe('2026-11-25');
    expect(addDays('2026-11-24', 0)).toBe('2026-11-24');
  });

  it('crosses month ends, both ways', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-01', -1)).toBe('2026-11-30');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('crosses year ends, both ways', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
  });
});

describe('addMinutes', () => {
  it('shifts an instant by whole minutes, either way', () => {
    expect(addMinutes(new Date('2026-11-24T18:20:00Z'), 20)).toEqual(new Date('2026-11-24T18:40:00Z'));
    expect(addMinutes(new Date('2026-11-24T18:20:00Z'), -120)).toEqual(new Date('2026-11-24T16:20:00Z'));
  });
});
