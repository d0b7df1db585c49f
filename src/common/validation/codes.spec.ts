import { describe, expect, it } from '@jest/globals';
import { parseCalendarDate } from './codes.js';

describe('parseCalendarDate', () => {
  it('parses a real date to UTC midnight', () => {
    expect(parseCalendarDate('2026-11-24')?.toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(parseCalendarDate('2028-02-29')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it.each(['2026-02-30', '2027-02-29', '2026-13-01', '2026-1-5', '24-11-2026', '2026-11-24T00:00:00Z', ''])(
    'refuses %p',
    (text) => {
      expect(parseCalendarDate(text)).toBeNull();
    },
  );
});
