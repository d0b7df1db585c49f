import { describe, expect, it } from '@jest/globals';
import { addDays, epochDayOf, isoDateOfEpochDay, isoDateOfMs } from './calendar-date.js';

describe('calendar dates', () => {
  it('counts days from 1970-01-01 and back, across months, leap days and years', () => {
    expect(epochDayOf('1970-01-01')).toBe(0);
    expect(epochDayOf('2026-11-24')).toBe(20_781);
    expect(isoDateOfEpochDay(20_781)).toBe('2026-11-24');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    // The same answers the second time (from the memo).
    expect([addDays('2028-02-28', 1), epochDayOf('2026-11-24')]).toEqual(['2028-02-29', 20_781]);
  });

  it('gives the UTC date of an instant', () => {
    expect(isoDateOfMs(Date.parse('2026-11-24T23:59:59.999Z'))).toBe('2026-11-24');
    expect(isoDateOfMs(Date.parse('2026-11-25T00:00:00Z'))).toBe('2026-11-25');
    expect(isoDateOfMs(Date.parse('1969-12-31T12:00:00Z'))).toBe('1969-12-31');
  });

  it('reads what is not a date as NaN, and refuses to format it, every time', () => {
    for (let i = 0; i < 2; i++) {
      expect(epochDayOf('2026-13-01')).toBeNaN();
      expect(() => addDays('not a date', 1)).toThrow(RangeError);
    }
  });
});
