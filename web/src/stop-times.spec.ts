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
  arrival: { scheduled: '2026-11-24T11:52:00.000Z', expected: '2026-11-24T12:02:00.000Z', source: 'PROPAGATED' },
  departure: { scheduled: '2026-11-24T11:54:00.000Z', expected: '2026-11-24T12:04:00.000Z', source: 'REALTIME' },
  platforms: { planned: '5', current: '7' },
  ...overrides,
});

describe('reading a stop’s times', () => {
  it('takes recorded actual times as realtime', () => {
    const times = timelineTimes(stop({ actualTimes: 'RECORDED', actualArrival: '2026-11-24T11:58:00.000Z', actualDeparture: '2026-11-24T12:00:00.000Z' }));
    expect(times.arrival).toEqual({ scheduled: '2026-11-24T11:52:00.000Z', expected: '2026-11-24T11:58:00.000Z', source: 'realtime' });
    expect(times.departure).toEqual({ scheduled: '2026-11-24T11:54:00.000Z', expected: '2026-11-24T12:00:00.000Z', source: 'realtime' });
  });

  it('says where each expected time comes from, as the API does', () => {
    const times = timelineTimes(stop());
    expect(times.arrival).toEqual({ scheduled: '2026-11-24T11:52:00.000Z', expected: '2026-11-24T12:02:00.000Z', source: 'propagated' });
    expect(times.departure).toEqual({ scheduled: '2026-11-24T11:54:00.000Z', expected: '2026-11-24T12:04:00.000Z', source: 'realtime' });
  });

  it('shows only the timetable where the API has only the schedule, rather than an expected time that looks live', () => {
    const times = timelineTimes(stop({ arrival: { scheduled: '2026-11-24T11:52:00.000Z', expected: '2026-11-24T11:52:00.000Z', source: 'SCHEDULE' } }));
    expect(times.arrival).toEqual({ scheduled: '2026-11-24T11:52:00.000Z', expected: null, source: 'scheduled' });
  });

  it('has no arrival at an origin and no departure at a destination', () => {
    expect(timelineTimes(stop({ scheduledArrival: null, expectedArrival: null, arrival: null })).arrival).toBeNull();
    const call = { arrival: { scheduled: '2026-11-24T14:13:00.000Z', expected: '2026-11-24T14:20:00.000Z', source: 'PROPAGATED' }, departure: null } as Schemas['BoardCallDto'];
    expect(boardTimes(call)).toEqual({ arrival: { scheduled: '2026-11-24T14:13:00.000Z', expected: '2026-11-24T14:20:00.000Z', source: 'propagated' }, departure: null });
  });

  it('gives the planned and current platform', () => {
    expect(platformOf({ planned: '5', current: '7' })).toEqual({ planned: '5', current: '7' });
    expect(platformOf({ planned: '5', current: null })).toEqual({ planned: '5', current: null });
  });
});

describe('data age and position', () => {
  const run = { lastDataAt: '2026-11-24T14:00:00.000Z', dataAgeSeconds: 20 * 60 + 59, state: 'RUNNING' as const, realtime: false };

  it('counts whole minutes since the latest data, and calls a moving run stale once the server says it has no live data', () => {
    expect(dataAgeMinutes(run)).toBe(20);
    expect(dataAgeMinutes({ dataAgeSeconds: null })).toBeNull();
    expect(isStale(run)).toBe(true);
    expect(isStale({ ...run, realtime: true })).toBe(false);
    expect(isStale({ ...run, state: 'ARRIVED' })).toBe(false);
    // Never reported on: timetable only, which is not a feed that stopped.
    expect(isStale({ ...run, lastDataAt: null })).toBe(false);
  });

  it('places the train between stations by time, from leaving the last to arriving at the next', () => {
    const between = (asOf: string) =>
      progressBetweenStations({
        asOf,
        lastStation: { code: 'BVI', name: 'Borivali', arrivedAt: null, departedAt: '2026-11-24T12:00:00.000Z' },
        nextStation: {
          code: 'ST',
          name: 'Surat',
          scheduledArrival: '2026-11-24T14:00:00.000Z',
          expectedArrival: '2026-11-24T14:00:00.000Z',
          platform: null,
          arrival: { scheduled: '2026-11-24T14:00:00.000Z', expected: '2026-11-24T14:00:00.000Z', source: 'SCHEDULE' },
          platforms: { planned: null, current: null },
        },
      });
    expect(between('2026-11-24T13:00:00.000Z')).toBe(0.5);
    expect(between('2026-11-24T15:00:00.000Z')).toBe(1);
    expect(between('2026-11-24T11:00:00.000Z')).toBe(0);
  });
});
