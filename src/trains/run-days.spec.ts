import { describe, expect, it } from '@jest/globals';
import { originDateFor, weekdayOf } from './run-days.js';

describe('weekdayOf', () => {
  it('names the UTC weekday, Monday first', () => {
    expect(weekdayOf(new Date('2026-11-23T00:00:00Z'))).toBe('MON');
    expect(weekdayOf(new Date('2026-11-29T00:00:00Z'))).toBe('SUN');
  });
});

describe('originDateFor', () => {
  it('is the same date for a stop on the first day of a train running that weekday', () => {
    expect(originDateFor('2026-11-24', 0, ['TUE'])).toBe('2026-11-24');
  });

  it('steps back to the day the train left its origin for a stop on a later day', () => {
    // Tuesday at a day-2 stop means the train left its origin on Monday.
    expect(originDateFor('2026-11-24', 1, ['MON'])).toBe('2026-11-23');
    expect(originDateFor('2026-11-24', 1, ['TUE'])).toBeNull();
    expect(originDateFor('2026-03-01', 2, ['FRI'])).toBe('2026-02-27');
  });

  it('is null when the train does not run that day', () => {
    expect(originDateFor('2026-11-24', 0, ['MON', 'WED'])).toBeNull();
  });
});
