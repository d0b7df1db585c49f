import { describe, expect, it } from '@jest/globals';
import { overnightRoute, weeklyTimetable } from '../../test/builders/route-stops.js';
import type { RouteStop } from '../routes/route-stop.entity.js';
import type { TimetableService, TrainTimetable } from '../routes/timetable.service.js';
import type { TrainPattern } from '../routes/train-pattern.entity.js';
import { SimulatedStatusProvider } from './simulated-status.provider.js';

const provider = (...timetables: TrainTimetable[]) =>
  new SimulatedStatusProvider({ all: async () => new Map(timetables.map((timetable) => [timetable.train.id, timetable])) } as unknown as TimetableService);

/** 2026-11-24 22:30 IST: the overnight route (22:00 → 06:30) is under way. */
const NOW = new Date('2026-11-24T17:00:00Z');

describe('SimulatedStatusProvider', () => {
  it('runs a train on the dates its calendar gives, along that date’s pattern', async () => {
    const timetable = weeklyTimetable({ id: 't1', number: '12951' }, overnightRoute());
    const short = overnightRoute().slice(0, 3);
    timetable.patterns = [
      { pattern: { ...timetable.patterns[0].pattern, runsOn: ['MON'] } as TrainPattern, stops: timetable.patterns[0].stops },
      { pattern: { ...timetable.patterns[0].pattern, id: 'p2', runsOn: ['TUE'] } as TrainPattern, stops: short.map((stop) => ({ ...stop, patternId: 'p2' }) as RouteStop) },
    ];
    const [run] = await provider(timetable).activeRuns(NOW);
    // Tuesday's run follows Tuesday's (shorter) pattern.
    expect(run).toMatchObject({ trainNumber: '12951', serviceDate: '2026-11-24', phase: 'RUNNING', lastStopSequence: 1 });
    const friday = weeklyTimetable({ id: 't2', number: '12952', runsOn: ['FRI'] }, overnightRoute());
    expect(await provider(friday).activeRuns(NOW)).toEqual([]);
  });

  it('runs a train whose days are unknown every day its calendar covers', async () => {
    const timetable = weeklyTimetable({ id: 't3', number: '00290', runsOn: [], daysKnown: false }, overnightRoute());
    timetable.patterns[0].pattern = { ...timetable.patterns[0].pattern, runsOn: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], validFrom: '2025-01-01', validTo: '2030-12-31', daysKnown: false } as TrainPattern;
    for (const day of [0, 1, 2, 3, 4, 5, 6]) {
      const at = new Date(NOW.getTime() + day * 86_400_000);
      expect((await provider(timetable).activeRuns(at)).map((run) => run.serviceDate)).toContain(new Date(at.getTime() + 5.5 * 3_600_000).toISOString().slice(0, 10));
    }
  });

  it('reads a train’s times in its own time zone', async () => {
    const newYork = weeklyTimetable({ id: 't4', number: '21', timeZone: 'America/New_York' }, overnightRoute());
    // 22:30 in New York on 24 November is 03:30 UTC on the 25th.
    const [run] = await provider(newYork).activeRuns(new Date('2026-11-25T03:30:00Z'));
    expect(run).toMatchObject({ serviceDate: '2026-11-24', phase: 'RUNNING', lastStopSequence: 1 });
  });

  it('yields to the event loop between slices of trains, with the same statuses as in one go', async () => {
    const timetables = ['t5', 't6', 't7'].map((id, i) => weeklyTimetable({ id, number: `1295${i}` }, overnightRoute()));
    const whole = await provider(...timetables).activeRuns(NOW);
    const sliced = provider(...timetables);
    sliced.sliceMs = 0;
    let ranDuring = false;
    setImmediate(() => (ranDuring = true));
    expect(await sliced.activeRuns(NOW)).toEqual(whole);
    expect(ranDuring).toBe(true);
  });
});
