import { describe, expect, it } from '@jest/globals';
import { scheduledState } from '../live/live-view.js';
import type { RunState } from '../live/run-state.js';
import { advance } from './run-transition.js';
import type { ObservedRunStatus } from './train-status-provider.js';

const observed = (overrides: Partial<ObservedRunStatus> = {}): ObservedRunStatus => ({
  trainId: 't1',
  trainNumber: '12951',
  serviceDate: '2026-11-24',
  phase: 'SCHEDULED',
  delayMinutes: 0,
  lastStopSequence: null,
  departedLastStop: false,
  platform: null,
  lastArrivedAt: null,
  lastDepartedAt: null,
  ...overrides,
});

const stored = (overrides: Partial<RunState> = {}): RunState => ({
  ...scheduledState('t1', '12951', '2026-11-24'),
  version: 4,
  updatedAt: '2026-11-24T16:00:00.000Z',
  notifiedDelay: 15,
  ...overrides,
});

const now = new Date('2026-11-24T18:30:00Z');
const at = (iso: string) => new Date(iso);

describe('advance', () => {
  it('writes nothing for a first observation of "scheduled, on time"', () => {
    expect(advance(undefined, observed(), 'PROVIDER', now)).toBeNull();
    expect(advance(undefined, observed(), 'OPERATOR', now)).toBeNull();
  });

  it('starts a never-reported run from "scheduled, on time" at version 1', () => {
    expect(advance(undefined, observed({ delayMinutes: 10 }), 'PROVIDER', now)).toEqual({
      previous: scheduledState('t1', '12951', '2026-11-24'),
      next: { ...scheduledState('t1', '12951', '2026-11-24'), delayMinutes: 10, version: 1, updatedAt: '2026-11-24T18:30:00.000Z' },
    });
  });

  it('bumps the version and stamps the time on a changed delay, keeping everything else', () => {
    const previous = stored({
      phase: 'RUNNING',
      delayMinutes: 10,
      lastStopSequence: 1,
      departedLastStop: true,
      platform: '2',
      actuals: [{ sequence: 1, arrivedAt: null, departedAt: '2026-11-24T16:40:00.000Z' }],
    });
    const transition = advance(
      previous,
      observed({ phase: 'RUNNING', delayMinutes: 25, lastStopSequence: 1, departedLastStop: true, platform: '2', lastDepartedAt: new Date('2026-11-24T16:40:00Z') }),
      'PROVIDER',
      now,
    );
    expect(transition).toEqual({
      previous,
      next: { ...previous, delayMinutes: 25, version: 5, updatedAt: '2026-11-24T18:30:00.000Z', source: 'PROVIDER', notifiedDelay: 15 },
    });
  });

  it('writes nothing when the observation repeats the stored state (time passing is no change)', () => {
    const previous = stored({ phase: 'RUNNING', delayMinutes: 10, lastStopSequence: 2, departedLastStop: false, platform: '2' });
    const same = observed({ phase: 'RUNNING', delayMinutes: 10, lastStopSequence: 2, departedLastStop: false, platform: '2', lastArrivedAt: at('2026-11-24T18:20:00Z') });
    expect(advance(previous, same, 'PROVIDER', new Date('2026-11-24T18:31:00Z'))).toBeNull();
  });

  it('records an operator report that matches the feed, as a new version from the operator', () => {
    const previous = stored({ phase: 'RUNNING', delayMinutes: 10, lastStopSequence: 2, platform: '2', source: 'PROVIDER' });
    const transition = advance(previous, observed({ phase: 'RUNNING', delayMinutes: 10, lastStopSequence: 2, platform: '2' }), 'OPERATOR', now);
    expect(transition?.next.source).toBe('OPERATOR');
    expect(transition?.next.version).toBe(5);
    expect(transition?.next.updatedAt).toBe('2026-11-24T18:30:00.000Z');
    const again = advance(transition!.next, observed({ phase: 'RUNNING', delayMinutes: 10, lastStopSequence: 2, platform: '2' }), 'OPERATOR', now);
    expect(again).toBeNull();
  });

  it('records a change of any observed field: phase, last stop, departure, platform', () => {
    const previous = stored({ phase: 'RUNNING', delayMinutes: 10, lastStopSequence: 2, departedLastStop: false, platform: '2' });
    const same = { phase: 'RUNNING', delayMinutes: 10, lastStopSequence: 2, departedLastStop: false, platform: '2' } as const;
    for (const change of [{ phase: 'CANCELLED' }, { lastStopSequence: 3 }, { departedLastStop: true }, { platform: '6' }] as const) {
      expect(advance(previous, observed({ ...same, ...change }), 'PROVIDER', now)?.next).toMatchObject({ ...change, version: 5 });
    }
  });

  describe('actual times', () => {
    it('records the departure from the origin with no arrival there', () => {
      const transition = advance(
        undefined,
        observed({ phase: 'RUNNING', lastStopSequence: 1, departedLastStop: true, platform: '2', lastDepartedAt: at('2026-11-24T16:30:00Z') }),
        'PROVIDER',
        now,
      );
      expect(transition?.next.actuals).toEqual([{ sequence: 1, arrivedAt: null, departedAt: '2026-11-24T16:30:00.000Z' }]);
    });

    it('takes the time of the observation when the feed does not say when the train left', () => {
      const transition = advance(undefined, observed({ phase: 'RUNNING', lastStopSequence: 1, departedLastStop: true }), 'PROVIDER', now);
      expect(transition?.next.actuals).toEqual([{ sequence: 1, arrivedAt: null, departedAt: '2026-11-24T18:30:00.000Z' }]);
    });

    const leftOrigin = stored({
      phase: 'RUNNING',
      lastStopSequence: 1,
      departedLastStop: true,
      platform: '2',
      actuals: [{ sequence: 1, arrivedAt: null, departedAt: '2026-11-24T16:30:00.000Z' }],
    });

    it('records the arrival at stop 2 from the feed, keeping the earlier actuals', () => {
      const transition = advance(
        leftOrigin,
        observed({ phase: 'RUNNING', delayMinutes: 5, lastStopSequence: 2, platform: '2', lastArrivedAt: at('2026-11-24T18:25:00Z') }),
        'PROVIDER',
        now,
      );
      expect(transition?.next.actuals).toEqual([
        { sequence: 1, arrivedAt: null, departedAt: '2026-11-24T16:30:00.000Z' },
        { sequence: 2, arrivedAt: '2026-11-24T18:25:00.000Z', departedAt: null },
      ]);
    });

    it('records the arrival at stop 2 as now when the feed does not say when', () => {
      const transition = advance(leftOrigin, observed({ phase: 'RUNNING', delayMinutes: 5, lastStopSequence: 2, platform: '2' }), 'PROVIDER', now);
      expect(transition?.next.actuals).toEqual([
        { sequence: 1, arrivedAt: null, departedAt: '2026-11-24T16:30:00.000Z' },
        { sequence: 2, arrivedAt: '2026-11-24T18:30:00.000Z', departedAt: null },
      ]);
    });

    const atStop2 = stored({
      phase: 'RUNNING',
      delayMinutes: 5,
      lastStopSequence: 2,
      platform: '2',
      actuals: [
        { sequence: 1, arrivedAt: null, departedAt: '2026-11-24T16:30:00.000Z' },
        { sequence: 2, arrivedAt: '2026-11-24T18:25:00.000Z', departedAt: null },
      ],
    });

    it('records the departure from stop 2 next to its arrival', () => {
      const transition = advance(
        atStop2,
        observed({
          phase: 'RUNNING',
          delayMinutes: 5,
          lastStopSequence: 2,
          departedLastStop: true,
          platform: '3',
          lastArrivedAt: at('2026-11-24T18:25:00Z'),
          lastDepartedAt: at('2026-11-24T18:40:00Z'),
        }),
        'PROVIDER',
        new Date('2026-11-24T18:40:05Z'),
      );
      expect(transition?.next.actuals).toEqual([
        { sequence: 1, arrivedAt: null, departedAt: '2026-11-24T16:30:00.000Z' },
        { sequence: 2, arrivedAt: '2026-11-24T18:25:00.000Z', departedAt: '2026-11-24T18:40:00.000Z' },
      ]);
    });

    it('keeps a recorded arrival when a later observation at the same stop says otherwise', () => {
      const transition = advance(
        atStop2,
        observed({ phase: 'RUNNING', delayMinutes: 7, lastStopSequence: 2, platform: '2', lastArrivedAt: at('2026-11-24T18:27:00Z') }),
        'PROVIDER',
        now,
      );
      expect(transition?.next.delayMinutes).toBe(7);
      expect(transition?.next.actuals).toEqual(atStop2.actuals);
    });

    it('records the arrival at the destination', () => {
      const onTheWay = stored({
        phase: 'RUNNING',
        delayMinutes: 12,
        lastStopSequence: 3,
        departedLastStop: true,
        platform: '4',
        actuals: [{ sequence: 3, arrivedAt: '2026-11-24T20:42:00.000Z', departedAt: '2026-11-24T20:52:00.000Z' }],
      });
      const transition = advance(
        onTheWay,
        observed({ phase: 'ARRIVED', delayMinutes: 20, lastStopSequence: 4, platform: '4', lastArrivedAt: at('2026-11-25T01:20:00Z') }),
        'PROVIDER',
        new Date('2026-11-25T01:20:05Z'),
      );
      expect(transition?.next.actuals).toEqual([
        { sequence: 3, arrivedAt: '2026-11-24T20:42:00.000Z', departedAt: '2026-11-24T20:52:00.000Z' },
        { sequence: 4, arrivedAt: '2026-11-25T01:20:00.000Z', departedAt: null },
      ]);
    });

    it('leaves the actuals alone when there is no last stop', () => {
      const transition = advance(atStop2, observed({ phase: 'CANCELLED' }), 'OPERATOR', now);
      expect(transition?.next.actuals).toEqual(atStop2.actuals);
    });
  });
});
