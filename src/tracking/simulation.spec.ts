import { describe, expect, it } from '@jest/globals';
import { addDays } from '../trains/service-time.js';
import { planRun, reportWindow, type RunPlan, type SimRun, type SimStop, simulateRun } from './simulation.js';

const stop = (sequence: number, arrival: [number, number] | null, departure: [number, number] | null, platform: string | null = null): SimStop => ({
  sequence,
  arrivalMinute: arrival?.[0] ?? null,
  arrivalDay: arrival?.[1] ?? null,
  departureMinute: departure?.[0] ?? null,
  departureDay: departure?.[1] ?? null,
  platform,
});

/**
 * Leaves 22:00 on 2026-11-24 (IST) and crosses midnight. In UTC: stop 1 dep 16:30, stop 2
 * 18:20-18:35, stop 3 20:30-20:40, stop 4 arr 01:00 on the 25th.
 */
const run: SimRun = {
  trainId: 't1',
  trainNumber: '12951',
  serviceDate: '2026-11-24',
  timeZone: 'Asia/Kolkata',
  stops: [stop(1, null, [1320, 0], '1'), stop(2, [1430, 0], [5, 1], '2'), stop(3, [120, 1], [130, 1], '3'), stop(4, [390, 1], null, '4')],
};

/** A long route: 30 stops an hour apart, for the statistics of the random walk. */
const longRun = (serviceDate: string, stops = 30): SimRun => ({
  trainId: 't2',
  trainNumber: '22222',
  serviceDate,
  timeZone: 'Asia/Kolkata',
  stops: Array.from({ length: stops }, (_, i) => {
    const minutes = 360 + i * 60;
    const time: [number, number] = [minutes % 1440, Math.floor(minutes / 1440)];
    return stop(i + 1, i === 0 ? null : time, i === stops - 1 ? null : time);
  }),
});

/** Delays 0, 5, 12, 20 min on reaching each stop; stop 3's platform changes from 3 to 5. */
const plan: RunPlan = {
  cancelled: false,
  delays: [0, 5, 12, 20],
  announcedPlatforms: ['1', '2', '3', '4'],
  finalPlatforms: ['1', '2', '5', '4'],
};

const at = (iso: string) => new Date(iso);
const base = { trainId: 't1', trainNumber: '12951', serviceDate: '2026-11-24', stopUpdates: [] };

describe('planRun', () => {
  it('plans the same run the same way every time', () => {
    const copy: SimRun = { ...run, stops: run.stops.map((s) => ({ ...s })) };
    expect(planRun(copy)).toEqual(planRun(run));
    expect(planRun(longRun('2026-11-24'))).toEqual(planRun(longRun('2026-11-24')));
  });

  it('plans another service date of the same train differently', () => {
    expect(planRun(longRun('2026-11-25')).delays).not.toEqual(planRun(longRun('2026-11-24')).delays);
  });

  it('has one delay and one platform per stop, delays whole minutes within 0..300', () => {
    for (let day = 0; day < 366; day++) {
      const plan = planRun(longRun(addDays('2026-01-01', day)));
      expect(plan.delays).toHaveLength(30);
      expect(plan.announcedPlatforms).toHaveLength(30);
      expect(plan.finalPlatforms).toHaveLength(30);
      for (const delay of plan.delays) {
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(300);
      }
    }
  });

  it('caps delays at 300 min on very long runs', () => {
    const maxima = Array.from({ length: 50 }, (_, day) => Math.max(...planRun(longRun(addDays('2026-01-01', day), 400)).delays));
    expect(Math.max(...maxima)).toBe(300);
  });

  it('announces the timetable platform where there is one and never changes the origin platform', () => {
    const planned = planRun(run);
    expect(planned.announcedPlatforms).toEqual(['1', '2', '3', '4']);
    for (let day = 0; day < 366; day++) {
      const long = planRun(longRun(addDays('2026-01-01', day)));
      expect(long.finalPlatforms[0]).toBe(long.announcedPlatforms[0]);
      for (const platform of long.announcedPlatforms) expect(['1', '2', '3', '4', '5', '6', '7', '8']).toContain(platform);
    }
  });
});

describe('reportWindow', () => {
  it('runs from 2 h before scheduled departure to 1 h + the 300 min delay cap after scheduled arrival', () => {
    expect(reportWindow(run)).toEqual([at('2026-11-24T14:30:00Z'), at('2026-11-25T07:00:00Z')]);
  });
});

describe('simulateRun', () => {
  it('is scheduled before the (delayed) departure, with the origin platform', () => {
    expect(simulateRun(run, at('2026-11-24T16:29:59Z'), plan)).toEqual({
      ...base,
      phase: 'SCHEDULED',
      delayMinutes: 0,
      lastStopSequence: null,
      departedLastStop: false,
      platform: '1',
      stopTimes: [],
    });
    const late = { ...plan, delays: [15, 15, 15, 15] };
    expect(simulateRun(run, at('2026-11-24T16:40:00Z'), late)).toMatchObject({ phase: 'SCHEDULED', delayMinutes: 15, lastStopSequence: null });
  });

  it('is running from the origin from the departure instant, with the announced platform of stop 2', () => {
    expect(simulateRun(run, at('2026-11-24T16:30:00Z'), plan)).toEqual({
      ...base,
      phase: 'RUNNING',
      delayMinutes: 0,
      lastStopSequence: 1,
      departedLastStop: true,
      platform: '2',
      stopTimes: [{ sequence: 1, arrivedAt: null, departedAt: at('2026-11-24T16:30:00Z') }],
    });
  });

  it('stands at stop 2 from its expected arrival until its expected departure, 5 min late', () => {
    const standing = {
      ...base,
      phase: 'RUNNING',
      delayMinutes: 5,
      lastStopSequence: 2,
      departedLastStop: false,
      platform: '2',
      stopTimes: [{ sequence: 1, arrivedAt: null, departedAt: at('2026-11-24T16:30:00Z') }, { sequence: 2, arrivedAt: at('2026-11-24T18:25:00Z'), departedAt: null }],
    };
    expect(simulateRun(run, at('2026-11-24T18:25:00Z'), plan)).toEqual(standing);
    expect(simulateRun(run, at('2026-11-24T18:30:00Z'), plan)).toEqual(standing);
    expect(simulateRun(run, at('2026-11-24T18:39:59Z'), plan)).toEqual(standing);
    expect(simulateRun(run, at('2026-11-24T18:24:59Z'), plan)).toMatchObject({ lastStopSequence: 1, departedLastStop: true, delayMinutes: 0 });
  });

  it('leaves stop 2 at its expected departure, keeping the delay it had there', () => {
    expect(simulateRun(run, at('2026-11-24T18:40:00Z'), plan)).toEqual({
      ...base,
      phase: 'RUNNING',
      delayMinutes: 5,
      lastStopSequence: 2,
      departedLastStop: true,
      platform: '3',
      stopTimes: [{ sequence: 1, arrivedAt: null, departedAt: at('2026-11-24T16:30:00Z') }, { sequence: 2, arrivedAt: at('2026-11-24T18:25:00Z'), departedAt: at('2026-11-24T18:40:00Z') }],
    });
  });

  it('announces a platform change only from halfway to the station', () => {
    // Leaves stop 2 at 18:40, reaches stop 3 at 20:42 (12 min late): halfway is 19:41.
    expect(simulateRun(run, at('2026-11-24T19:40:59Z'), plan).platform).toBe('3');
    expect(simulateRun(run, at('2026-11-24T19:41:00Z'), plan).platform).toBe('5');
    expect(simulateRun(run, at('2026-11-24T20:00:00Z'), plan).platform).toBe('5');
    expect(simulateRun(run, at('2026-11-24T20:45:00Z'), plan)).toMatchObject({ lastStopSequence: 3, departedLastStop: false, delayMinutes: 12, platform: '5' });
  });

  it('has arrived from the expected arrival at the destination', () => {
    const arrived = {
      ...base,
      phase: 'ARRIVED',
      delayMinutes: 20,
      lastStopSequence: 4,
      departedLastStop: false,
      platform: '4',
      // Every stop behind it, with the delay planned at each: 0, 5, 12, 20 min.
      stopTimes: [
        { sequence: 1, arrivedAt: null, departedAt: at('2026-11-24T16:30:00Z') },
        { sequence: 2, arrivedAt: at('2026-11-24T18:25:00Z'), departedAt: at('2026-11-24T18:40:00Z') },
        { sequence: 3, arrivedAt: at('2026-11-24T20:42:00Z'), departedAt: at('2026-11-24T20:52:00Z') },
        { sequence: 4, arrivedAt: at('2026-11-25T01:20:00Z'), departedAt: null },
      ],
    };
    expect(simulateRun(run, at('2026-11-25T01:20:00Z'), plan)).toEqual(arrived);
    expect(simulateRun(run, at('2026-11-25T06:00:00Z'), plan)).toEqual(arrived);
    expect(simulateRun(run, at('2026-11-25T01:19:59Z'), plan)).toMatchObject({ phase: 'RUNNING', lastStopSequence: 3, departedLastStop: true, delayMinutes: 12 });
  });

  it('reports a cancelled plan as cancelled at any time', () => {
    const cancelled = {
      ...base,
      phase: 'CANCELLED',
      delayMinutes: 0,
      lastStopSequence: null,
      departedLastStop: false,
      platform: null,
      stopTimes: [],
    };
    for (const instant of ['2026-11-24T15:00:00Z', '2026-11-24T19:00:00Z', '2026-11-25T02:00:00Z']) {
      expect(simulateRun(run, at(instant), { ...plan, cancelled: true })).toEqual(cancelled);
    }
  });

  it('uses the planned run when no plan is given', () => {
    for (const instant of ['2026-11-24T15:00:00Z', '2026-11-24T18:30:00Z', '2026-11-24T19:30:00Z', '2026-11-25T06:00:00Z']) {
      expect(simulateRun(run, at(instant))).toEqual(simulateRun(run, at(instant), planRun(run)));
    }
  });
});
