import { describe, expect, it } from '@jest/globals';
import { observedStatus } from '../../test/builders/observed-status.js';
import { overnightRoute } from '../../test/builders/route-stops.js';
import { liveView } from '../live/live-view.js';
import { scheduledState } from '../live/run-state.js';
import type { RunState } from '../live/run-state.js';
import { notificationsFor } from './notification-rules.js';
import { advance } from './run-transition.js';
import type { ObservedRunStatus } from './train-status-provider.js';

const route = overnightRoute();

const train = { number: '12951', name: 'Mumbai Rajdhani', timeZone: 'Asia/Kolkata' };
const now = new Date('2026-11-24T18:30:00Z');

const state = (overrides: Partial<RunState>): RunState => ({
  ...scheduledState('t1', '12951', '2026-11-24'),
  phase: 'RUNNING',
  version: 3,
  updatedAt: '2026-11-24T18:29:50.000Z',
  ...overrides,
});

/** The rules applied as the tracker does: the view is the live view of the new state. */
const rules = (previous: RunState, next: RunState, at = now) => notificationsFor(previous, next, () => liveView(next, route, at, train.timeZone), train);

/** Standing at BBB (stop 2); CCC comes next at 02:00 IST + delay. */
const atStop2 = (delayMinutes: number, notifiedDelay: number, version = 3): RunState =>
  state({
    delayMinutes,
    notifiedDelay,
    version,
    lastStopSequence: 2,
    departedLastStop: false,
    platform: '2',
    actuals: [
      { sequence: 1, arrivedAt: null, departedAt: '2026-11-24T16:30:00.000Z' },
      { sequence: 2, arrivedAt: '2026-11-24T18:25:00.000Z', departedAt: null },
    ],
  });

const common = { trainId: 't1', runDate: '2026-11-24' };
const data = (version: number, extra: Record<string, unknown>) => ({ trainNumber: '12951', serviceDate: '2026-11-24', version, ...extra });

describe('notificationsFor', () => {
  describe('delays', () => {
    it('announces a delay of 20 min with the next station and its expected time', () => {
      expect(rules(atStop2(0, 0), atStop2(20, 0, 4))).toEqual({
        events: [
          {
            ...common,
            type: 'DELAY',
            title: '12951 (24 Nov) is running 20 min late',
            body: '12951 Mumbai Rajdhani is running 20 min late, expected at Chandrapur 02:20.',
            data: data(4, { delayMinutes: 20, previousDelayMinutes: 0, nextStationCode: 'CCC' }),
            eventKey: '12951:2026-11-24:DELAY:20:v4',
          },
        ],
        notifiedDelay: 20,
      });
    });

    it('keeps quiet about delays under 15 min', () => {
      expect(rules(atStop2(0, 0), atStop2(14, 0, 4))).toEqual({ events: [], notifiedDelay: 0 });
    });

    it('keeps quiet about a small change after a notice (20 → 24)', () => {
      expect(rules(atStop2(20, 20), atStop2(24, 20, 4))).toEqual({ events: [], notifiedDelay: 20 });
    });

    it('announces crossing 30 min even when the change is small (20 → 31)', () => {
      const outcome = rules(atStop2(24, 20), atStop2(31, 20, 4));
      expect(outcome.events.map((e) => [e.type, e.title, e.body, e.eventKey])).toEqual([
        ['DELAY', '12951 (24 Nov) is running 31 min late', '12951 Mumbai Rajdhani is running 31 min late, expected at Chandrapur 02:31.', '12951:2026-11-24:DELAY:31:v4'],
      ]);
      expect(outcome.events[0].data).toEqual(data(4, { delayMinutes: 31, previousDelayMinutes: 20, nextStationCode: 'CCC' }));
      expect(outcome.notifiedDelay).toBe(31);
    });

    it('announces a recovery of 10 min or more (40 → 25)', () => {
      const outcome = rules(atStop2(40, 40), atStop2(25, 40, 4));
      expect(outcome.events.map((e) => [e.type, e.title, e.eventKey])).toEqual([['DELAY', '12951 (24 Nov) is running 25 min late', '12951:2026-11-24:DELAY:25:v4']]);
      expect(outcome.notifiedDelay).toBe(25);
    });

    it('announces being back on time after a notified delay (16 → 0)', () => {
      expect(rules(atStop2(16, 16), atStop2(0, 16, 4))).toEqual({
        events: [
          {
            ...common,
            type: 'DELAY',
            title: '12951 (24 Nov) is back on time',
            body: '12951 Mumbai Rajdhani has made up its delay and is running on time, expected at Chandrapur 02:00.',
            data: data(4, { delayMinutes: 0, previousDelayMinutes: 16, nextStationCode: 'CCC' }),
            eventKey: '12951:2026-11-24:DELAY:0:v4',
          },
        ],
        notifiedDelay: 0,
      });
    });
  });

  describe('departure and arrival', () => {
    const scheduled = { ...scheduledState('t1', '12951', '2026-11-24'), platform: '1', version: 1 };
    const leftOrigin = state({
      version: 2,
      lastStopSequence: 1,
      departedLastStop: true,
      platform: '2',
      updatedAt: '2026-11-24T16:30:10.000Z',
      actuals: [{ sequence: 1, arrivedAt: null, departedAt: '2026-11-24T16:30:00.000Z' }],
    });

    it('announces the departure from the origin once, with the actual time', () => {
      expect(rules(scheduled, leftOrigin, new Date('2026-11-24T16:30:10Z'))).toEqual({
        events: [
          {
            ...common,
            type: 'DEPARTED',
            title: '12951 (24 Nov) has left Ambala Cantt',
            body: '12951 Mumbai Rajdhani left Ambala Cantt at 22:00, on time.',
            data: data(2, { stationCode: 'AAA', delayMinutes: 0 }),
            eventKey: '12951:2026-11-24:DEPARTED',
          },
        ],
        notifiedDelay: 0,
      });
    });

    it('says how late the train left', () => {
      const late = state({ ...leftOrigin, delayMinutes: 7, actuals: [{ sequence: 1, arrivedAt: null, departedAt: '2026-11-24T16:37:00.000Z' }] });
      const [departed] = rules(scheduled, late).events;
      expect(departed.body).toBe('12951 Mumbai Rajdhani left Ambala Cantt at 22:07, 7 min late.');
    });

    it('tells times on the clocks of the train’s time zone', () => {
      const newYork = { ...train, timeZone: 'America/New_York' };
      const [departed] = notificationsFor(scheduled, leftOrigin, () => liveView(leftOrigin, route, new Date('2026-11-24T16:30:10Z'), newYork.timeZone), newYork).events;
      // 16:30 UTC is 11:30 in New York in November (UTC-5).
      expect(departed.body).toBe('12951 Mumbai Rajdhani left Ambala Cantt at 11:30, on time.');
    });

    it('does not announce the departure again when the train moves on', () => {
      const atBhopal = state({ ...atStop2(0, 0, 3), platform: '2' });
      expect(rules(leftOrigin, atBhopal)).toEqual({ events: [], notifiedDelay: 0 });
      const leftBhopal = state({ ...atBhopal, version: 4, departedLastStop: true, platform: '3' });
      expect(rules(atBhopal, leftBhopal).events.filter((e) => e.type === 'DEPARTED')).toEqual([]);
    });

    it('announces the arrival at the destination with the actual time, and no delay notice', () => {
      const before = state({ delayMinutes: 12, notifiedDelay: 0, lastStopSequence: 3, departedLastStop: true, platform: '4' });
      const arrived = state({
        ...before,
        phase: 'ARRIVED',
        version: 4,
        delayMinutes: 20,
        lastStopSequence: 4,
        departedLastStop: false,
        actuals: [{ sequence: 4, arrivedAt: '2026-11-25T01:20:00.000Z', departedAt: null }],
      });
      expect(rules(before, arrived, new Date('2026-11-25T01:20:05Z'))).toEqual({
        events: [
          {
            ...common,
            type: 'ARRIVED',
            title: '12951 (24 Nov) has arrived at Dadar',
            body: '12951 Mumbai Rajdhani arrived at Dadar at 06:50, 20 min late.',
            data: data(4, { stationCode: 'DDD', delayMinutes: 20 }),
            eventKey: '12951:2026-11-24:ARRIVED',
          },
        ],
        notifiedDelay: 0,
      });
    });
  });

  describe('platforms', () => {
    const leftBhopal = (platform: string, version: number) => state({ version, lastStopSequence: 2, departedLastStop: true, platform });

    it('announces a new platform for the stop the train is heading to', () => {
      expect(rules(leftBhopal('3', 5), leftBhopal('5', 6))).toEqual({
        events: [
          {
            ...common,
            type: 'PLATFORM_CHANGE',
            title: 'Platform change for 12951 (24 Nov) at Chandrapur',
            body: '12951 Mumbai Rajdhani will be on platform 5 at Chandrapur (was 3).',
            data: data(6, { stationCode: 'CCC', platform: '5', previousPlatform: '3' }),
            eventKey: '12951:2026-11-24:PLATFORM:3:5',
          },
        ],
        notifiedDelay: 0,
      });
    });

    it('announces a new platform found on arrival at the stop it was announced for', () => {
      const arrivedAtChandrapur = state({ version: 6, lastStopSequence: 3, departedLastStop: false, platform: '5' });
      expect(rules(leftBhopal('3', 5), arrivedAtChandrapur).events.map((e) => e.eventKey)).toEqual(['12951:2026-11-24:PLATFORM:3:5']);
    });

    it('announces a new platform for the stop the train stands at', () => {
      const platform6 = state({ ...atStop2(0, 0, 4), platform: '6' });
      expect(rules(atStop2(0, 0), platform6).events.map((e) => [e.eventKey, e.body])).toEqual([
        ['12951:2026-11-24:PLATFORM:2:6', '12951 Mumbai Rajdhani will be on platform 6 at Bhopal Jn (was 2).'],
      ]);
    });

    it('does not call the platform of the next stop a change when the train leaves the origin', () => {
      const scheduled = { ...scheduledState('t1', '12951', '2026-11-24'), platform: '1', version: 1 };
      const leftOrigin = state({ version: 2, lastStopSequence: 1, departedLastStop: true, platform: '2' });
      expect(rules(scheduled, leftOrigin).events.map((e) => e.type)).toEqual(['DEPARTED']);
    });

    it('does not call the platform of the next stop a change when the train leaves an intermediate stop', () => {
      // Platform 2 was BBB's, where the train stood; platform 3 is CCC's, where it now heads.
      const leaving = state({ ...atStop2(0, 0, 4), departedLastStop: true, platform: '3' });
      expect(rules(atStop2(0, 0), leaving).events).toEqual([]);
    });

    it('does not call the platform of the stop after next a change when a tick missed the train standing at a stop', () => {
      // Platform 3 was announced for CCC; platform 4 is DDD's, now that CCC is behind.
      const leftChandrapur = state({ version: 6, lastStopSequence: 3, departedLastStop: true, platform: '4' });
      expect(rules(leftBhopal('3', 5), leftChandrapur).events).toEqual([]);
    });
  });

  describe('cancellation', () => {
    const running = state({ delayMinutes: 0, notifiedDelay: 0, lastStopSequence: 2, departedLastStop: true, platform: '3', version: 6 });

    it('announces only the cancellation, however much else changed', () => {
      const cancelled = state({ ...running, phase: 'CANCELLED', delayMinutes: 45, platform: '9', version: 7 });
      expect(rules(running, cancelled)).toEqual({
        events: [
          {
            ...common,
            type: 'CANCELLED',
            title: '12951 (24 Nov) is cancelled',
            body: '12951 Mumbai Rajdhani of 2026-11-24 is cancelled.',
            data: data(7, {}),
            eventKey: '12951:2026-11-24:CANCELLED:v7',
          },
        ],
        notifiedDelay: 0,
      });
    });

    it('says nothing more while the run stays cancelled', () => {
      const cancelled = state({ phase: 'CANCELLED', version: 7 });
      expect(rules(cancelled, { ...cancelled, version: 8, delayMinutes: 30 })).toEqual({ events: [], notifiedDelay: 0 });
    });

    it('announces the restoration of a cancelled run', () => {
      const cancelled = state({ phase: 'CANCELLED', version: 7 });
      const restored = { ...scheduledState('t1', '12951', '2026-11-24'), platform: '1', version: 8 };
      expect(rules(cancelled, restored)).toEqual({
        events: [
          {
            ...common,
            type: 'RESTORED',
            title: '12951 (24 Nov) is running again',
            body: '12951 Mumbai Rajdhani of 2026-11-24 has been restored.',
            data: data(8, {}),
            eventKey: '12951:2026-11-24:RESTORED:v8',
          },
        ],
        notifiedDelay: 0,
      });
    });
  });

  describe('event identity', () => {
    const observed = (overrides: Parameters<typeof observedStatus>[0]) => observedStatus({ phase: 'RUNNING', ...overrides });

    /** What the tracker does with one observation. */
    const tick = (previous: RunState | undefined, status: ObservedRunStatus, at: Date) => {
      const transition = advance(previous, status, 'PROVIDER', at)!;
      const outcome = notificationsFor(transition.previous, transition.next, () => liveView(transition.next, route, at, train.timeZone), train);
      return { next: { ...transition.next, notifiedDelay: outcome.notifiedDelay }, events: outcome.events };
    };

    const departure = observed({ lastStopSequence: 1, departedLastStop: true, platform: '2', delayMinutes: 16, lastDepartedAt: new Date('2026-11-24T16:46:00Z') });

    it('keys every event by train number and service date, and names the train and run', () => {
      const first = tick(undefined, departure, new Date('2026-11-24T16:46:05Z'));
      const cancelled = tick(first.next, observed({ phase: 'CANCELLED' }), new Date('2026-11-24T17:00:00Z'));
      const restored = tick(cancelled.next, observed({ phase: 'RUNNING', lastStopSequence: 2, platform: '6', delayMinutes: 40 }), new Date('2026-11-24T19:00:00Z'));
      const arrived = tick(restored.next, observed({ phase: 'ARRIVED', lastStopSequence: 4, platform: '4', delayMinutes: 40 }), new Date('2026-11-25T01:40:00Z'));
      const events = [first, cancelled, restored, arrived].flatMap((outcome) => outcome.events);
      expect(events.map((e) => [e.type, e.eventKey])).toEqual([
        ['DEPARTED', '12951:2026-11-24:DEPARTED'],
        ['DELAY', '12951:2026-11-24:DELAY:16:v1'],
        ['CANCELLED', '12951:2026-11-24:CANCELLED:v2'],
        ['RESTORED', '12951:2026-11-24:RESTORED:v3'],
        ['DEPARTED', '12951:2026-11-24:DEPARTED'],
        ['DELAY', '12951:2026-11-24:DELAY:40:v3'],
        ['ARRIVED', '12951:2026-11-24:ARRIVED'],
      ]);
      for (const event of events) {
        expect(event).toMatchObject({ trainId: 't1', runDate: '2026-11-24', data: { trainNumber: '12951', serviceDate: '2026-11-24' } });
      }
    });

    it('gives the same events, keys included, when the same change is computed twice (a retried tick)', () => {
      const once = tick(undefined, departure, new Date('2026-11-24T16:46:05Z'));
      const again = tick(undefined, departure, new Date('2026-11-24T16:46:15Z'));
      expect(again.events.map((e) => e.eventKey)).toEqual(['12951:2026-11-24:DEPARTED', '12951:2026-11-24:DELAY:16:v1']);
      expect(again.events).toEqual(once.events);
    });
  });
});
