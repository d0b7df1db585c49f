import { describe, expect, it } from '@jest/globals';
import { overnightRoute } from '../../test/builders/route-stops.js';
import { INDIAN_TIME_ZONE as IST } from '../trains/service-time.js';
import { liveView } from './live-view.js';
import type { LiveStop } from './live.model.js';
import { type RunState, scheduledState } from './run-state.js';

const route = overnightRoute();

const at = (iso: string) => new Date(iso);
/** A run some source has reported on (version 1): its delay is live data. */
const state = (overrides: Partial<RunState>): RunState => ({ ...scheduledState('t1', '12951', '2026-11-24'), phase: 'RUNNING', version: 1, ...overrides });

describe('scheduledState', () => {
  it('is scheduled, on time, unreported, version 0', () => {
    expect(scheduledState('t1', '12951', '2026-11-24')).toEqual({
      trainId: 't1',
      trainNumber: '12951',
      serviceDate: '2026-11-24',
      phase: 'SCHEDULED',
      delayMinutes: 0,
      lastStopSequence: null,
      departedLastStop: false,
      platform: null,
      stopUpdates: [],
      actuals: [],
      notifiedDelay: 0,
      source: 'PROVIDER',
      observedAt: null,
      version: 0,
      updatedAt: '1970-01-01T00:00:00.000Z',
    });
  });
});

describe('liveView', () => {
  it('shows a scheduled run at its origin with timetable times and every stop upcoming', () => {
    const view = liveView(scheduledState('t1', '12951', '2026-11-24'), route, at('2026-11-24T15:00:00Z'), IST);
    const upcoming = (sequence: number, code: string, name: string, arrival: string | null, departure: string | null, platform: string): LiveStop => ({
      sequence,
      stationCode: code,
      stationName: name,
      scheduledArrival: arrival ? at(arrival) : null,
      scheduledDeparture: departure ? at(departure) : null,
      actualArrival: null,
      actualDeparture: null,
      actualTimes: 'PENDING',
      expectedArrival: arrival ? at(arrival) : null,
      expectedDeparture: departure ? at(departure) : null,
      platform,
      status: 'UPCOMING',
      // Nothing reported: the timetable's times, said to be the timetable's.
      arrival: arrival ? { scheduled: at(arrival), expected: at(arrival), source: 'SCHEDULE' } : null,
      departure: departure ? { scheduled: at(departure), expected: at(departure), source: 'SCHEDULE' } : null,
      platforms: { planned: platform, current: platform },
    });
    expect(view.stops).toEqual([
      upcoming(1, 'AAA', 'Ambala Cantt', null, '2026-11-24T16:30:00Z', '1'),
      upcoming(2, 'BBB', 'Bhopal Jn', '2026-11-24T18:20:00Z', '2026-11-24T18:35:00Z', '2'),
      upcoming(3, 'CCC', 'Chandrapur', '2026-11-24T20:30:00Z', '2026-11-24T20:40:00Z', '3'),
      upcoming(4, 'DDD', 'Dadar', '2026-11-25T01:00:00Z', null, '4'),
    ]);
    expect(view.position).toEqual({ latitude: 28, longitude: 77 });
    expect(view.lastStop).toBeNull();
    // Before departure the "next stop" is the origin itself (which has no arrival time).
    expect(view.nextStop).toBe(view.stops[0]);
  });

  it('gives a platform reported before departure to the origin and delays the expected departure', () => {
    const view = liveView({ ...scheduledState('t1', '12951', '2026-11-24'), delayMinutes: 15, platform: '6', version: 1 }, route, at('2026-11-24T15:00:00Z'), IST);
    expect(view.stops.map((s) => s.platform)).toEqual(['6', '2', '3', '4']);
    expect(view.stops[0].expectedDeparture).toEqual(at('2026-11-24T16:45:00Z'));
    expect(view.stops[1].expectedArrival).toEqual(at('2026-11-24T18:35:00Z'));
  });

  describe('a run standing at stop 2, 5 min late', () => {
    const running = state({
      delayMinutes: 5,
      lastStopSequence: 2,
      departedLastStop: false,
      platform: '7',
      actuals: [
        { sequence: 1, arrivedAt: null, departedAt: '2026-11-24T16:30:00.000Z' },
        { sequence: 2, arrivedAt: '2026-11-24T18:25:00.000Z', departedAt: null },
      ],
    });
    const view = liveView(running, route, at('2026-11-24T18:30:00Z'), IST);

    it('marks the origin passed, stop 2 current and the rest upcoming', () => {
      expect(view.stops.map((s) => s.status)).toEqual(['PASSED', 'CURRENT', 'UPCOMING', 'UPCOMING']);
      expect(view.lastStop).toBe(view.stops[1]);
      expect(view.nextStop).toBe(view.stops[2]);
    });

    it('says which passed stops have recorded times and which have none', () => {
      const withGap = liveView({ ...running, actuals: running.actuals.filter((actual) => actual.sequence !== 1) }, route, at('2026-11-24T18:30:00Z'), IST);
      expect(withGap.stops.map((s) => s.actualTimes)).toEqual(['NO_DATA', 'RECORDED', 'PENDING', 'PENDING']);
      expect(view.stops.map((s) => s.actualTimes)).toEqual(['RECORDED', 'RECORDED', 'PENDING', 'PENDING']);
    });

    it('is realtime, computed as of the instant asked', () => {
      expect(liveView({ ...running, version: 3 }, route, at('2026-11-24T18:30:00Z'), IST).realtime).toBe(true);
      expect(view.asOf).toEqual(at('2026-11-24T18:30:00Z'));
      expect(liveView(scheduledState('t1', '12951', '2026-11-24'), route, at('2026-11-24T15:00:00Z'), IST).realtime).toBe(false);
    });

    it('shows the recorded actual times', () => {
      expect(view.stops.map((s) => [s.actualArrival, s.actualDeparture])).toEqual([
        [null, at('2026-11-24T16:30:00Z')],
        [at('2026-11-24T18:25:00Z'), null],
        [null, null],
        [null, null],
      ]);
    });

    it('expects every time not yet passed at timetable + delay, and none for what is behind', () => {
      expect(view.stops.map((s) => [s.expectedArrival, s.expectedDeparture])).toEqual([
        [null, null],
        [null, at('2026-11-24T18:40:00Z')],
        [at('2026-11-24T20:35:00Z'), at('2026-11-24T20:45:00Z')],
        [at('2026-11-25T01:05:00Z'), null],
      ]);
      expect(view.stops[2].scheduledArrival).toEqual(at('2026-11-24T20:30:00Z'));
    });

    it('applies the reported platform to the current stop only', () => {
      expect(view.stops.map((s) => s.platform)).toEqual(['1', '7', '3', '4']);
    });

    it('places the train at the station', () => {
      expect(view.position).toEqual({ latitude: 27, longitude: 78 });
    });
  });

  describe('a run that has left stop 2, 5 min late', () => {
    const departed = state({
      delayMinutes: 5,
      lastStopSequence: 2,
      departedLastStop: true,
      platform: '5',
      actuals: [
        { sequence: 1, arrivedAt: null, departedAt: '2026-11-24T16:30:00.000Z' },
        { sequence: 2, arrivedAt: '2026-11-24T18:25:00.000Z', departedAt: '2026-11-24T18:40:00.000Z' },
      ],
    });
    // Left BBB (27, 78) at 18:40, expected at CCC (26, 80) at 20:35: 115 minutes.
    const view = (now: string) => liveView(departed, route, at(now), IST);

    it('marks stop 2 passed and heads for stop 3 with the reported platform', () => {
      const { stops, lastStop, nextStop } = view('2026-11-24T19:00:00Z');
      expect(stops.map((s) => s.status)).toEqual(['PASSED', 'PASSED', 'UPCOMING', 'UPCOMING']);
      expect(stops.map((s) => s.platform)).toEqual(['1', '2', '5', '4']);
      expect(stops[1].expectedDeparture).toBeNull();
      expect(stops[1].actualDeparture).toEqual(at('2026-11-24T18:40:00Z'));
      expect(lastStop!.sequence).toBe(2);
      expect(nextStop!.sequence).toBe(3);
    });

    it('is halfway between the stations halfway between actual departure and expected arrival', () => {
      expect(view('2026-11-24T19:37:30Z').position).toEqual({ latitude: 26.5, longitude: 79 });
    });

    it('interpolates linearly in time', () => {
      expect(view('2026-11-24T19:08:45Z').position).toEqual({ latitude: 26.75, longitude: 78.5 });
    });

    it('stays at the station left before the departure time and at the next one after the expected arrival', () => {
      expect(view('2026-11-24T18:00:00Z').position).toEqual({ latitude: 27, longitude: 78 });
      expect(view('2026-11-24T18:40:00Z').position).toEqual({ latitude: 27, longitude: 78 });
      expect(view('2026-11-24T20:35:00Z').position).toEqual({ latitude: 26, longitude: 80 });
      expect(view('2026-11-24T23:00:00Z').position).toEqual({ latitude: 26, longitude: 80 });
    });
  });

  it('shows an arrived run at its destination with no next stop', () => {
    const arrived = state({
      phase: 'ARRIVED',
      delayMinutes: 20,
      lastStopSequence: 4,
      platform: '4',
      actuals: [{ sequence: 4, arrivedAt: '2026-11-25T01:20:00.000Z', departedAt: null }],
    });
    const view = liveView(arrived, route, at('2026-11-25T02:00:00Z'), IST);
    expect(view.position).toEqual({ latitude: 25, longitude: 81 });
    expect(view.nextStop).toBeNull();
    expect(view.lastStop).toBe(view.stops[3]);
    expect(view.stops.map((s) => s.status)).toEqual(['PASSED', 'PASSED', 'PASSED', 'CURRENT']);
    expect(view.stops[3].actualArrival).toEqual(at('2026-11-25T01:20:00Z'));
    expect(view.stops[3].expectedArrival).toBeNull();
  });

  it('shows a cancelled run with no position, every stop cancelled and no expected times', () => {
    const view = liveView(state({ phase: 'CANCELLED' }), route, at('2026-11-24T17:00:00Z'), IST);
    expect(view.position).toBeNull();
    expect(view.nextStop).toBeNull();
    expect(view.lastStop).toBeNull();
    expect(view.stops.map((s) => s.status)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
    expect(view.stops.flatMap((s) => [s.expectedArrival, s.expectedDeparture])).toEqual([null, null, null, null, null, null, null, null]);
    expect(view.stops.map((s) => s.scheduledDeparture)).toEqual([at('2026-11-24T16:30:00Z'), at('2026-11-24T18:35:00Z'), at('2026-11-24T20:40:00Z'), null]);
  });

  it('keeps the actual times of a run cancelled on the way', () => {
    const cancelled = state({
      phase: 'CANCELLED',
      lastStopSequence: 2,
      actuals: [
        { sequence: 1, arrivedAt: null, departedAt: '2026-11-24T16:30:00.000Z' },
        { sequence: 2, arrivedAt: '2026-11-24T18:25:00.000Z', departedAt: null },
      ],
    });
    const view = liveView(cancelled, route, at('2026-11-24T19:00:00Z'), IST);
    expect(view.position).toBeNull();
    expect(view.nextStop).toBeNull();
    expect(view.lastStop!.sequence).toBe(2);
    expect(view.stops[0].actualDeparture).toEqual(at('2026-11-24T16:30:00Z'));
    expect(view.stops[1].actualArrival).toEqual(at('2026-11-24T18:25:00Z'));
    expect(view.stops.map((s) => s.status)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
  });

  it('has no position between stations whose coordinates are unknown, but keeps the known one', () => {
    const unknown = route.map((s) => (s.sequence === 3 ? { ...s, station: { ...s.station!, latitude: null, longitude: null } } : s));
    const departed = state({
      lastStopSequence: 2,
      departedLastStop: true,
      actuals: [{ sequence: 2, arrivedAt: '2026-11-24T18:20:00.000Z', departedAt: '2026-11-24T18:35:00.000Z' }],
    });
    expect(liveView(departed, unknown, at('2026-11-24T19:30:00Z'), IST).position).toEqual({ latitude: 27, longitude: 78 });
  });
});
