import { describe, expect, it } from '@jest/globals';
import { datesOf, originDateFor, runDaysOf, runsOnDate, shiftCalendar, type ServiceCalendar, weekdayOfDate, weeklyCalendar } from './service-calendar.js';

const calendar = (fields: Partial<ServiceCalendar>): ServiceCalendar => ({ ...weeklyCalendar([]), ...fields });

describe('weekdayOfDate', () => {
  it('names the weekday of a date, Monday first', () => {
    expect(weekdayOfDate('2026-11-23')).toBe('MON');
    expect(weekdayOfDate('2026-11-29')).toBe('SUN');
  });
});

describe('originDateFor', () => {
  it('is the same date for a stop on the first day of a train running that weekday', () => {
    expect(originDateFor('2026-11-24', 0, weeklyCalendar(['TUE']))).toBe('2026-11-24');
  });

  it('steps back to the day the train left its origin for a stop on a later day', () => {
    // Tuesday at a day-2 stop means the train left its origin on Monday.
    expect(originDateFor('2026-11-24', 1, weeklyCalendar(['MON']))).toBe('2026-11-23');
    expect(originDateFor('2026-11-24', 1, weeklyCalendar(['TUE']))).toBeNull();
    expect(originDateFor('2026-03-01', 2, weeklyCalendar(['FRI']))).toBe('2026-02-27');
  });

  it('is null when the train does not run that day', () => {
    expect(originDateFor('2026-11-24', 0, weeklyCalendar(['MON', 'WED']))).toBeNull();
  });

  it('follows listed dates as well as weekdays', () => {
    const dates = calendar({ addedDates: ['2026-09-25'] });
    expect(originDateFor('2026-09-26', 1, dates)).toBe('2026-09-25');
    expect(originDateFor('2026-09-25', 1, dates)).toBeNull();
  });
});

describe('runsOnDate', () => {
  const weekdays = calendar({ runsOn: ['MON', 'TUE', 'WED', 'THU', 'FRI'], validFrom: '2026-01-05', validTo: '2026-01-18', removedDates: ['2026-01-07'], addedDates: ['2026-01-10'] });

  it('runs on the rule’s weekdays within its range only', () => {
    expect(runsOnDate(weekdays, '2026-01-05')).toBe(true);
    expect(runsOnDate(weekdays, '2026-01-16')).toBe(true);
    expect(runsOnDate(weekdays, '2026-01-11')).toBe(false);
    expect(runsOnDate(weekdays, '2026-01-19')).toBe(false);
    expect(runsOnDate(weekdays, '2026-01-02')).toBe(false);
  });

  it('adds and removes the listed dates', () => {
    expect(runsOnDate(weekdays, '2026-01-07')).toBe(false);
    expect(runsOnDate(weekdays, '2026-01-10')).toBe(true);
  });

  it('runs a weekly calendar every week, without end', () => {
    expect(runsOnDate(weeklyCalendar(['SUN']), '2031-06-01')).toBe(true);
  });

  it('runs on the listed dates only when there is no rule', () => {
    const dates = calendar({ addedDates: ['2026-09-21', '2026-09-28'] });
    expect(runsOnDate(dates, '2026-09-21')).toBe(true);
    expect(runsOnDate(dates, '2026-09-22')).toBe(false);
  });
});

describe('shiftCalendar', () => {
  it('moves weekdays, range and dates a day on, for trips leaving after 24:00', () => {
    const saturday = calendar({ runsOn: ['SAT'], validFrom: '2023-03-18', validTo: '2023-07-30', addedDates: ['2023-05-29'], removedDates: ['2023-07-01'] });
    expect(shiftCalendar(saturday, 1)).toEqual({
      runsOn: ['SUN'],
      validFrom: '2023-03-19',
      validTo: '2023-07-31',
      addedDates: ['2023-05-30'],
      removedDates: ['2023-07-02'],
      daysKnown: true,
    });
    expect(shiftCalendar(calendar({ runsOn: ['SUN', 'MON'] }), 2).runsOn).toEqual(['TUE', 'WED']);
  });
});

describe('datesOf', () => {
  it('lists every date of a bounded calendar', () => {
    const weekdays = calendar({ runsOn: ['MON', 'TUE', 'WED', 'THU', 'FRI'], validFrom: '2026-01-05', validTo: '2026-01-11', removedDates: ['2026-01-07'], addedDates: ['2026-01-10'] });
    expect(datesOf(weekdays)).toEqual(['2026-01-05', '2026-01-06', '2026-01-08', '2026-01-09', '2026-01-10']);
  });

  it('is null for a rule without end', () => {
    expect(datesOf(weeklyCalendar(['MON']))).toBeNull();
  });
});

describe('runDaysOf', () => {
  it('summarises the weekdays of every date the patterns run', () => {
    expect(runDaysOf([calendar({ addedDates: ['2026-09-21', '2026-09-25'] }), weeklyCalendar(['SUN'])])).toEqual({ runsOn: ['MON', 'FRI', 'SUN'], daysKnown: true });
  });

  it('says when the days are unknown rather than inventing them', () => {
    const unknown = calendar({ runsOn: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], validFrom: '2025-01-01', validTo: '2030-12-31', daysKnown: false });
    expect(runDaysOf([unknown])).toEqual({ runsOn: [], daysKnown: false });
  });
});
