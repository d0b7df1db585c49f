import { describe, expect, it } from '@jest/globals';
import { overnightRoute, routeStop, station } from '../../test/builders/route-stops.js';
import { INDIAN_TIME_ZONE as IST } from '../trains/service-time.js';
import { expectedStops, predictStops } from './expected-times.js';
import type { StopUpdate } from './observed-run.js';
import { type RunState, scheduledState } from './run-state.js';

/** Six stops 10 minutes apart from 10:00 IST (04:30 UTC) on 2026-11-24, each with a minute of dwell. */
const line = () =>
  [0, 1, 2, 3, 4, 5].map((i) =>
    routeStop(i + 1, i === 0 ? null : [600 + 10 * i, 0], i === 5 ? null : [601 + 10 * i, 0], i * 10, `P${i + 1}`, station(`S${i + 1}`, `Stop ${i + 1}`, 20, 70 + i)),
  );
const utc = (hhmm: string) => new Date(`2026-11-24T${hhmm}:00Z`);
const update = (sequence: number, fields: Partial<StopUpdate>): StopUpdate => ({ sequence, arrival: null, departure: null, relationship: 'SCHEDULED', platform: null, ...fields });
const summary = (stops: ReturnType<typeof predictStops>) =>
  stops.map((stop) => [stop.arrival?.predicted.toISOString().slice(11, 16) ?? null, stop.arrival?.source ?? null, stop.skipped]);

describe('predictStops', () => {
  it('gives every stop the run’s one delay when the source reports no more (simulator, operator)', () => {
    const stops = predictStops(line(), '2026-11-24', IST, { delayMinutes: 5, stopUpdates: [] });
    expect(summary(stops)).toEqual([
      [null, null, false],
      ['04:45', 'PROPAGATED', false],
      ['04:55', 'PROPAGATED', false],
      ['05:05', 'PROPAGATED', false],
      ['05:15', 'PROPAGATED', false],
      ['05:25', 'PROPAGATED', false],
    ]);
    expect(stops[0].departure).toEqual({ scheduled: utc('04:31'), predicted: utc('04:36'), source: 'PROPAGATED' });
  });

  it('carries a stop’s delay forward through a SKIPPED stop until a NO_DATA stop, and from the next stop with a prediction', () => {
    const stops = predictStops(line(), '2026-11-24', IST, {
      delayMinutes: 0,
      stopUpdates: [
        update(2, { arrival: utc('04:43').toISOString() }),
        update(3, { relationship: 'SKIPPED' }),
        update(5, { relationship: 'NO_DATA' }),
        update(6, { arrival: utc('05:22').toISOString() }),
      ],
    });
    expect(summary(stops)).toEqual([
      // Before the first update nothing is known (no propagation backwards).
      [null, null, false],
      ['04:43', 'REALTIME', false],
      ['04:53', 'PROPAGATED', true],
      ['05:03', 'PROPAGATED', false],
      ['05:10', 'SCHEDULE', false],
      ['05:22', 'REALTIME', false],
    ]);
    expect(stops[0].departure).toMatchObject({ predicted: utc('04:31'), source: 'SCHEDULE' });
    // Stop 2's departure follows its arrival's delay.
    expect(stops[1].departure).toEqual({ scheduled: utc('04:41'), predicted: utc('04:44'), source: 'PROPAGATED' });
  });

  it('takes the departure’s delay forward over the arrival’s, and never departs before arriving', () => {
    const stops = predictStops(line(), '2026-11-24', IST, {
      delayMinutes: 0,
      stopUpdates: [update(2, { arrival: utc('04:50').toISOString(), departure: utc('04:46').toISOString() })],
    });
    expect(stops[1].arrival).toMatchObject({ predicted: utc('04:46'), source: 'REALTIME' });
    expect(stops[1].departure).toMatchObject({ predicted: utc('04:46'), source: 'REALTIME' });
    expect(stops[2].arrival).toMatchObject({ predicted: utc('04:55'), source: 'PROPAGATED' });
  });

  it('takes an assigned platform for its stop only', () => {
    const stops = predictStops(line(), '2026-11-24', IST, { delayMinutes: 0, stopUpdates: [update(4, { arrival: utc('05:00').toISOString(), platform: 'P9' })] });
    expect(stops.map((stop) => stop.assignedPlatform)).toEqual([null, null, null, 'P9', null, null]);
  });
});

describe('expectedStops', () => {
  const running = (overrides: Partial<RunState>): RunState => ({ ...scheduledState('t1', '12951', '2026-11-24'), phase: 'RUNNING', version: 3, ...overrides });

  it('says the timetable’s times are the timetable’s when the run has no live data, not that it is on time', () => {
    const stops = expectedStops(running({ delayMinutes: 20 }), overnightRoute(), IST, false);
    expect(stops[1].arrival).toEqual({ scheduled: utc('18:20'), expected: utc('18:20'), source: 'SCHEDULE' });
    expect(stops.every((stop) => [stop.arrival, stop.departure].every((time) => time === null || time.source === 'SCHEDULE'))).toBe(true);
  });

  it('gives passed stops their recorded times (REALTIME) or none, and skipped or cancelled stops no expected time', () => {
    const state = running({
      lastStopSequence: 2,
      departedLastStop: true,
      actuals: [{ sequence: 2, arrivedAt: '2026-11-24T18:24:00.000Z', departedAt: '2026-11-24T18:38:00.000Z' }],
      stopUpdates: [update(3, { relationship: 'SKIPPED' }), update(4, { arrival: '2026-11-25T01:10:00.000Z' })],
    });
    const stops = expectedStops(state, overnightRoute(), IST, true);
    expect(stops.map((stop) => [stop.arrival?.expected?.toISOString() ?? null, stop.arrival?.source ?? null, stop.skipped])).toEqual([
      [null, null, false],
      ['2026-11-24T18:24:00.000Z', 'REALTIME', false],
      [null, null, true],
      ['2026-11-25T01:10:00.000Z', 'REALTIME', false],
    ]);
    expect(stops[0].departure).toEqual({ scheduled: utc('16:30'), expected: null, source: null });
    const cancelled = expectedStops(running({ phase: 'CANCELLED' }), overnightRoute(), IST, true);
    expect(cancelled.flatMap((stop) => [stop.arrival, stop.departure]).filter(Boolean).every((time) => time!.expected === null && time!.source === null)).toBe(true);
  });

  it('shows a platform change as planned and current', () => {
    const stops = expectedStops(running({ lastStopSequence: 1, departedLastStop: true, platform: '7' }), overnightRoute(), IST, true);
    expect(stops.map((stop) => stop.platform)).toEqual([
      { planned: '1', current: '1' },
      { planned: '2', current: '7' },
      { planned: '3', current: '3' },
      { planned: '4', current: '4' },
    ]);
  });
});
