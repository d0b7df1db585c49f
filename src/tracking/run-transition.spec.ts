import { describe, expect, it } from '@jest/globals';
import { scheduledState } from '../live/run-state.js';
import type { RunState } from '../live/run-state.js';
import { advance } from './run-transition.js';
import { observedStatus } from '../../test/builders/observed-status.js';

const observed = observedStatus;

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
  it('records the first observation of a run even when it is "scheduled, on time", so the run is known to have live data', () => {
    expect(advance(undefined, observed(), 'PROVIDER', now)).toEqual({
      previous: scheduledState('t1', '12951', '2026-11-24'),
      next: { ...scheduledState('t1', '12951', '2026-11-24'), version: 1, updatedAt: '2026-11-24T18:30:00.000Z' },
    });
  });

  describe('a provider never moves a run backwards (a restarted simulator, a feed replaying old data)', () => {
    const atStop3 = stored({ phase: 'RUNNING', lastStopSequence: 3, departedLastStop: true, platform: '4' });
    const arrived = stored({ phase: 'ARRIVED', lastStopSequence: 4, platform: '4' });

    it('ignores an arrived run reported scheduled or running again', () => {
      expect(advance(arrived, observed({ phase: 'SCHEDULED' }), 'PROVIDER', now)).toBeNull();
      expect(advance(arrived, observed({ phase: 'RUNNING', lastStopSequence: 1, departedLastStop: true }), 'PROVIDER', now)).toBeNull();
    });

    it('ignores an earlier stop, and standing at a station already left', () => {
      expect(advance(atStop3, observed({ phase: 'RUNNING', lastStopSequence: 2, departedLastStop: true, platform: '4' }), 'PROVIDER', now)).toBeNull();
      expect(advance(atStop3, observed({ phase: 'RUNNING', lastStopSequence: 3, departedLastStop: false, platform: '4' }), 'PROVIDER', now)).toBeNull();
    });

    it('still takes news at the same point or further on', () => {
      expect(advance(atStop3, observed({ phase: 'RUNNING', lastStopSequence: 3, departedLastStop: true, delayMinutes: 9, platform: '4' }), 'PROVIDER', now)?.next).toMatchObject({ delayMinutes: 9, version: 5 });
      expect(advance(atStop3, observed({ phase: 'ARRIVED', lastStopSequence: 4, platform: '4' }), 'PROVIDER', now)?.next).toMatchObject({ phase: 'ARRIVED', version: 5 });
    });

    it('lets a run be cancelled and restored at any point', () => {
      expect(advance(arrived, observed({ phase: 'CANCELLED' }), 'PROVIDER', now)?.next.phase).toBe('CANCELLED');
      const cancelled = stored({ phase: 'CANCELLED', lastStopSequence: 3 });
      expect(advance(cancelled, observed({ phase: 'RUNNING', lastStopSequence: 2, departedLastStop: true }), 'PROVIDER', now)?.next.phase).toBe('RUNNING');
    });

    it('lets an operator correct a run backwards', () => {
      expect(advance(arrived, observed({ phase: 'RUNNING', lastStopSequence: 3, departedLastStop: true, platform: '4' }), 'OPERATOR', now)?.next).toMatchObject({
        phase: 'RUNNING',
        lastStopSequence: 3,
        source: 'OPERATOR',
      });
    });
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

    it('takes the times of every stop already passed from a source that knows them, and stamps none it does not', () => {
      const transition = advance(
        undefined,
        observed({
          phase: 'RUNNING',
          lastStopSequence: 3,
          departedLastStop: false,
          stopTimes: [
            { sequence: 1, arrivedAt: null, departedAt: at('2026-11-24T16:31:00Z') },
            { sequence: 3, arrivedAt: at('2026-11-24T20:35:00Z'), departedAt: null },
          ],
        }),
        'PROVIDER',
        now,
      );
      // Stop 2 passed without times from the source: no actuals (shown as "no data").
      expect(transition?.next.actuals).toEqual([
        { sequence: 1, arrivedAt: null, departedAt: '2026-11-24T16:31:00.000Z' },
        { sequence: 3, arrivedAt: '2026-11-24T20:35:00.000Z', departedAt: null },
      ]);
    });

    it('drops the departure from the last stop when an operator says the train has not left', () => {
      const left = stored({ phase: 'RUNNING', lastStopSequence: 2, departedLastStop: true, actuals: [{ sequence: 2, arrivedAt: '2026-11-24T18:25:00.000Z', departedAt: '2026-11-24T18:40:00.000Z' }] });
      const transition = advance(left, observed({ phase: 'RUNNING', lastStopSequence: 2, departedLastStop: false }), 'OPERATOR', now);
      expect(transition?.next.actuals).toEqual([{ sequence: 2, arrivedAt: '2026-11-24T18:25:00.000Z', departedAt: null }]);
    });

    it('leaves the actuals alone when there is no last stop', () => {
      const transition = advance(atStop2, observed({ phase: 'CANCELLED' }), 'OPERATOR', now);
      expect(transition?.next.actuals).toEqual(atStop2.actuals);
    });
  });

  describe('a source whose data ages (a feed: observedAt)', () => {
    const freshness = { staleAfterMs: 300_000 };
    const feedAt = (iso: string) => ({ observedAt: at(iso) });
    const running = stored({ phase: 'RUNNING', lastStopSequence: 3, departedLastStop: true, delayMinutes: 4, observedAt: '2026-11-24T18:29:00.000Z', updatedAt: '2026-11-24T18:29:00.000Z' });
    const same = (overrides: Parameters<typeof observed>[0] = {}) =>
      observed({ phase: 'RUNNING', lastStopSequence: 3, departedLastStop: true, delayMinutes: 4, ...overrides });

    it('sees the same per-stop updates as the same, whatever order the database gives their keys in', () => {
      const update = { sequence: 4, arrival: '2026-11-24T18:40:00.000Z', departure: null, relationship: 'SCHEDULED' as const, platform: null };
      // jsonb gives keys back shortest first.
      const fromDatabase = JSON.parse('[{"platform":null,"sequence":4,"arrival":"2026-11-24T18:40:00.000Z","departure":null,"relationship":"SCHEDULED"}]');
      expect(advance({ ...running, stopUpdates: fromDatabase }, same({ stopUpdates: [update], ...feedAt('2026-11-24T18:29:30Z') }), 'PROVIDER', now, freshness)).toBeNull();
      expect(advance({ ...running, stopUpdates: fromDatabase }, same({ stopUpdates: [{ ...update, platform: 'B' }], ...feedAt('2026-11-24T18:29:30Z') }), 'PROVIDER', now, freshness)).not.toBeNull();
    });

    it('records when the data was produced, and no "now" as the time a stop was reached', () => {
      const transition = advance(undefined, observed({ phase: 'RUNNING', lastStopSequence: 2, departedLastStop: false, ...feedAt('2026-11-24T18:29:00Z') }), 'PROVIDER', now, freshness);
      expect(transition?.next).toMatchObject({ observedAt: '2026-11-24T18:29:00.000Z', actuals: [] });
    });

    it('ignores data older than what is stored (a replay)', () => {
      expect(advance(running, same({ delayMinutes: 9, ...feedAt('2026-11-24T18:28:00Z') }), 'PROVIDER', now, freshness)).toBeNull();
    });

    it('takes newer data that puts the train behind as revised times, keeping the position', () => {
      const transition = advance(running, same({ lastStopSequence: 2, delayMinutes: 6, ...feedAt('2026-11-24T18:30:00Z') }), 'PROVIDER', now, freshness);
      expect(transition?.next).toMatchObject({ lastStopSequence: 3, departedLastStop: true, delayMinutes: 6, observedAt: '2026-11-24T18:30:00.000Z' });
    });

    it('records unchanged data only once it has moved on by a quarter of the freshness limit', () => {
      expect(advance(running, same(feedAt('2026-11-24T18:30:00Z')), 'PROVIDER', now, freshness)).toBeNull();
      expect(advance(running, same(feedAt('2026-11-24T18:34:00Z')), 'PROVIDER', at('2026-11-24T18:34:00Z'), freshness)?.next).toMatchObject({
        observedAt: '2026-11-24T18:34:00.000Z',
        version: 5,
      });
    });

    it('records once that the data has gone stale, so followers hear it, and not again', () => {
      const quiet = same(feedAt('2026-11-24T18:29:00Z'));
      const stale = advance(running, quiet, 'PROVIDER', at('2026-11-24T18:34:01Z'), freshness);
      expect(stale?.next).toMatchObject({ version: 5, observedAt: '2026-11-24T18:29:00.000Z', updatedAt: '2026-11-24T18:34:01.000Z' });
      expect(advance(stale!.next, quiet, 'PROVIDER', at('2026-11-24T18:34:11Z'), freshness)).toBeNull();
      expect(advance(running, quiet, 'PROVIDER', at('2026-11-24T18:33:59Z'), freshness)).toBeNull();
    });
  });
});

