import { describe, expect, it } from '@jest/globals';
import { overnightRoute, routeStop, station } from '../../test/builders/route-stops.js';
import { runState, runView } from '../../test/builders/run-views.js';
import { callAt } from './station-call.js';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-11-24T17:00:00Z');

// CCC: arrives 20:30Z, leaves 20:40Z, platform 3 by the timetable.
describe('callAt', () => {
  it('gives a run without live data its timetable times, and says so', () => {
    const call = callAt(runView(runState(), NOW), 'CCC')!;
    expect(call).toMatchObject({
      status: 'EXPECTED',
      expectedArrival: at('2026-11-24T20:30:00Z'),
      expectedDeparture: at('2026-11-24T20:40:00Z'),
      delayMinutes: 0,
      platform: '3',
      scheduledPlatform: '3',
      realtime: false,
    });
    expect(call.stop.stationName).toBe('Chandrapur');
  });

  it('expects a late run later by its delay, with the platform reported for the stop it heads to', () => {
    const heading = runState({ delayMinutes: 25, lastStopSequence: 2, departedLastStop: true, platform: '5' });
    expect(callAt(runView(heading, NOW), 'CCC')).toMatchObject({
      status: 'EXPECTED',
      expectedArrival: at('2026-11-24T20:55:00Z'),
      expectedDeparture: at('2026-11-24T21:05:00Z'),
      delayMinutes: 25,
      platform: '5',
      scheduledPlatform: '3',
      realtime: true,
    });
    // The reported platform is not DDD's yet.
    expect(callAt(runView(heading, NOW), 'DDD')).toMatchObject({ platform: '4', scheduledPlatform: '4' });
  });

  it('says the train stands there, has passed, or the run is cancelled', () => {
    expect(callAt(runView(runState({ lastStopSequence: 3, departedLastStop: false }), NOW), 'CCC')).toMatchObject({
      status: 'AT_STATION',
      expectedArrival: null,
      expectedDeparture: at('2026-11-24T20:40:00Z'),
    });
    expect(callAt(runView(runState({ lastStopSequence: 3, departedLastStop: true }), NOW), 'CCC')).toMatchObject({ status: 'PASSED', expectedArrival: null, expectedDeparture: null });
    expect(callAt(runView(runState({ phase: 'CANCELLED' }), NOW), 'CCC')).toMatchObject({ status: 'CANCELLED', expectedArrival: null });
  });

  it('has no arrival where the train starts and no departure where it ends', () => {
    expect(callAt(runView(runState(), at('2026-11-24T15:00:00Z')), 'AAA')).toMatchObject({ expectedArrival: null, expectedDeparture: at('2026-11-24T16:30:00Z') });
    expect(callAt(runView(runState(), NOW), 'DDD')).toMatchObject({ expectedArrival: at('2026-11-25T01:00:00Z'), expectedDeparture: null });
  });

  it('is null for a station the run does not call at', () => {
    expect(callAt(runView(runState(), NOW), 'KOTA')).toBeNull();
  });

  it('takes a station a route passes twice at its first call still to come', () => {
    const loop = [...overnightRoute(), routeStop(5, [420, 1], null, 600, null, station('BBB', 'Bhopal Jn', 27, 78))];
    const pastFirst = runState({ lastStopSequence: 2, departedLastStop: true });
    expect(callAt(runView(pastFirst, NOW, loop), 'BBB')!.stop.sequence).toBe(5);
    expect(callAt(runView(runState(), NOW, loop), 'BBB')!.stop.sequence).toBe(2);
  });

  it('places a run nothing is known of by its timetable at the instant asked', () => {
    const call = (now: string) => callAt(runView(runState(), at(now)), 'CCC')!;
    expect(call('2026-11-24T20:29:00Z')).toMatchObject({ status: 'EXPECTED', expectedArrival: at('2026-11-24T20:30:00Z') });
    expect(call('2026-11-24T20:30:00Z')).toMatchObject({ status: 'AT_STATION', expectedArrival: null, expectedDeparture: at('2026-11-24T20:40:00Z') });
    expect(call('2026-11-24T20:40:00Z')).toMatchObject({ status: 'PASSED', expectedArrival: null, expectedDeparture: null });
    expect(callAt(runView(runState(), at('2026-11-25T01:00:00Z')), 'DDD')).toMatchObject({ status: 'PASSED' });
  });
});
