import { describe, expect, it } from '@jest/globals';
import type { Schemas } from './api/client';
import { boardTimes, dataAgeMinutes, isStale, platformOf, progressBetweenStations, timelineTimes } from './stop-times';

const stop = (overrides: Partial<Schemas['TimelineStopDto']> = {}): Schemas['TimelineStopDto'] => ({
  sequence: 2,
  stationCode: 'BVI',
  stationName: 'Borivali',
  scheduledArrival: '2026-11-24T11:52:00.000Z',
  scheduledDeparture: '2026-11-24T11:54:00.000Z',
  actualArrival: null,
  actualDeparture: null,
  actualTimes: 'PENDING',
  expectedArrival: '2026-11-24T12:02:00.000Z',
  expectedDeparture: '2026-11-24T12:04:00.000Z',
  platform: null,
  status: 'UPCOMING',
  ...overrides,
});

describe('reading a stop’s times', () => {
  it('takes recorded actual times as realtime', () => {
    const times = timelineTimes(stop({ actualTimes: 'RECORDED', actualArrival: '2026-11-24T11:58:00.000Z', actualDeparture: '2026-11-24T12:00:00.000Z', expectedArrival: null, expectedDeparture: null }), { realtime: true });
    expect(times.arrival).toEqual({ scheduled: '2026-11-24T11:52:00.000Z', expected: '2026-11-24T11:58:00.000Z', source: 'realtime' });
    expect(times.departure?.source).toBe('realtime');
  });

  it('takes expected times of a run with live data as propagated from its delay', () => {
    expect(timelineTimes(stop(), { realtime: true }).arrival).toEqual({ scheduled: '2026-11-24T11:52:00.000Z', expected: '2026-11-24T12:02:00.000Z', source: 'propagated' });
  });

  it('shows only the timetable for a run nobody reported on, rather than an expected time that looks live', () => {
    expect(timelineTimes(stop(), { realtime: false }).arrival).toEqual({ scheduled: '2026-11-24T11:52:00.000Z', expected: null, source: 'scheduled' });
  });

  it('has no arrival at an origin and no departure at a destination', () => {
    expect(timelineTimes(stop({ scheduledArrival: null, expectedArrival: null }), { realtime: true }).arrival).toBeNull();
    const call = { scheduledArrival: '2026-11-24T14:13:00.000Z', scheduledDeparture: null, expectedArrival: '2026-11-24T14:20:00.000Z', expectedDeparture: null, realtime: true } as Schemas['BoardCallDto'];
    expect(boardTimes(call)).toEqual({ arrival: { scheduled: '2026-11-24T14:13:00.000Z', expected: '2026-11-24T14:20:00.000Z', source: 'propagated' }, departure: null });
  });

  it('gives the planned and current platform', () => {
    expect(platformOf('7', '5')).toEqual({ planned: '5', current: '7' });
    expect(platformOf(null, '5')).toEqual({ planned: '5', current: null });
  });
});

describe('data age and position', () => {
  const run = { updatedAt: '2026-11-24T14:00:00.000Z', asOf: '2026-11-24T14:20:00.000Z', state: 'RUNNING' as const, realtime: true };

  it('counts minutes since the last report on the app clock, and calls a running train stale past 15', () => {
    expect(dataAgeMinutes(run)).toBe(20);
    expect(isStale(run)).toBe(true);
    expect(isStale({ ...run, asOf: '2026-11-24T14:15:00.000Z' })).toBe(false);
    expect(isStale({ ...run, state: 'ARRIVED' })).toBe(false);
    expect(dataAgeMinutes({ updatedAt: null, asOf: run.asOf })).toBeNull();
  });

  it('places the train between stations by time, from leaving the last to arriving at the next', () => {
    const between = (asOf: string) =>
      progressBetweenStations({
        asOf,
        lastStation: { code: 'BVI', name: 'Borivali', arrivedAt: null, departedAt: '2026-11-24T12:00:00.000Z' },
        nextStation: { code: 'ST', name: 'Surat', scheduledArrival: '2026-11-24T14:00:00.000Z', expectedArrival: '2026-11-24T14:00:00.000Z', platform: null },
      });
    expect(between('2026-11-24T13:00:00.000Z')).toBe(0.5);
    expect(between('2026-11-24T15:00:00.000Z')).toBe(1);
    expect(between('2026-11-24T11:00:00.000Z')).toBe(0);
  });
});
