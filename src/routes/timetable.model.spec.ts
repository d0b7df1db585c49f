import { describe, expect, it } from '@jest/globals';
import { overnightRoute, weeklyTimetable } from '../../test/builders/route-stops.js';
import type { RouteStop } from './route-stop.entity.js';
import { lastDayOf, mainPatternOf, patternOn, runsOn, stopsOn, type TrainTimetable } from './timetable.model.js';
import type { TrainPattern } from './train-pattern.entity.js';

/** Train 21's two patterns: the weekday one (long), and Friday 2 October's (short). */
function twoPatterns(): TrainTimetable {
  const timetable = weeklyTimetable({ id: 't21', number: '21', runsOn: ['MON', 'TUE', 'WED', 'THU'] }, overnightRoute());
  const [weekdays] = timetable.patterns;
  weekdays.pattern = { ...weekdays.pattern, gtfsTripId: 'GO202_26_21', validFrom: '2026-09-21', validTo: '2026-11-06' } as TrainPattern;
  const friday = {
    pattern: { ...weekdays.pattern, id: 't21-p2', gtfsTripId: 'GO202_26_21_1', runsOn: [], validFrom: null, validTo: null, addedDates: ['2026-10-02'] } as TrainPattern,
    stops: weekdays.stops.slice(0, 2) as RouteStop[],
  };
  return { ...timetable, patterns: [weekdays, friday] };
}

describe('the stops of a train on a service date', () => {
  it('are those of the pattern that runs that day', () => {
    const timetable = twoPatterns();
    expect(patternOn(timetable, '2026-09-28')?.pattern.gtfsTripId).toBe('GO202_26_21');
    expect(stopsOn(timetable, '2026-10-02')).toHaveLength(2);
    expect(runsOn(timetable, '2026-10-03')).toBe(false);
    expect(stopsOn(timetable, '2026-11-09')).toBeUndefined();
  });

  it('knows how many days a run stays on the line, over every pattern', () => {
    expect(lastDayOf(twoPatterns())).toBe(1);
  });

  it('shows the pattern with the most stops when no date is asked for, then the first by trip id', () => {
    const timetable = twoPatterns();
    expect(mainPatternOf(timetable.patterns)?.pattern.gtfsTripId).toBe('GO202_26_21');
    const even = timetable.patterns.map((entry) => ({ ...entry, stops: entry.stops.slice(0, 2) }));
    expect(mainPatternOf([...even].reverse())?.pattern.gtfsTripId).toBe('GO202_26_21');
  });
});
