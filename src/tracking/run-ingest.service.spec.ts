import { describe, expect, it } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import { observedStatus, runningStatus } from '../../test/builders/observed-status.js';
import { overnightRoute, weeklyTimetable } from '../../test/builders/route-stops.js';
import { Metrics } from '../common/observability/metrics.js';
import type { TransactionRunner } from '../database/transaction-runner.js';
import type { FavoritesService } from '../favorites/favorites.service.js';
import type { TrainLiveView } from '../live/live.model.js';
import { type RunRef, runKey, type RunState, scheduledState } from '../live/run-state.js';
import type { RunStatesService } from '../live/run-states.service.js';
import type { Notification } from '../notifications/notification.entity.js';
import type { NotificationEvent } from '../notifications/notification-event.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import type { TimetableService, TrainTimetable } from '../routes/timetable.service.js';
import type { LiveGateway } from './live.gateway.js';
import { DEFAULT_FRESHNESS } from '../live/live-view.js';
import { RunIngestService } from './run-ingest.service.js';

const NOW = new Date('2026-11-24T18:30:00Z');
const timetable: TrainTimetable = weeklyTimetable({ id: 't1', number: '12951', name: 'Mumbai Rajdhani', runsOn: ['TUE', 'WED'] }, overnightRoute());
const train = timetable.train;
const key = (state: RunRef) => runKey(state.trainId, state.serviceDate);

/** Run states in memory; `newerElsewhere` are runs another writer has moved on, so writes to them lose. */
class FakeStates {
  stored = new Map<string, RunState>();
  newerElsewhere = new Set<string>();
  reloaded: RunRef[] = [];
  cached: RunState[] = [];
  looked: RunRef[] = [];
  async load(refs: RunRef[]) {
    this.looked.push(...refs);
    return { states: new Map(refs.flatMap((ref) => (this.stored.has(key(ref)) ? [[key(ref), this.stored.get(key(ref))!] as const] : []))), fromCache: true };
  }
  async record(states: RunState[]) {
    const written = states.filter((state) => !this.newerElsewhere.has(key(state)));
    for (const state of written) this.stored.set(key(state), state);
    return written;
  }
  async reload(refs: RunRef[]) {
    this.reloaded.push(...refs);
    return [];
  }
  async remember(states: RunState[]) {
    this.cached.push(...states);
    return true;
  }
}

class FakeNotifications {
  created: Array<{ userId: string; event: NotificationEvent; at: Date }> = [];
  async createMany(batches: Array<{ userIds: string[]; event: NotificationEvent }>, at: Date) {
    const made = batches.flatMap(({ userIds, event }) => userIds.map((userId) => ({ userId, event, at })));
    this.created.push(...made);
    return made.map(({ userId, event }, index) => ({ id: `n${index}`, userId, ...event, createdAt: at, readAt: null }) as unknown as Notification);
  }
}

class FakeGateway {
  /** Null: unknown (as when an instance did not answer), so every change is pushed. */
  watched: ReadonlySet<string> | null = null;
  statuses: TrainLiveView[] = [];
  async watchedTrains() {
    return this.watched;
  }
  notifications: Array<{ notification: Notification; train: { number: string } }> = [];
  publishStatus(view: TrainLiveView) {
    this.statuses.push(view);
  }
  publishNotification(notification: Notification, train: { number: string }) {
    this.notifications.push({ notification, train });
  }
}

function setUp() {
  const states = new FakeStates();
  const notifications = new FakeNotifications();
  const gateway = new FakeGateway();
  let transactions = 0;
  const service = new RunIngestService(
    states as unknown as RunStatesService,
    { all: async () => new Map([['t1', timetable]]) } as unknown as TimetableService,
    { followersOf: async (trainIds: string[]) => new Map(trainIds.map((id) => [id, ['u1', 'u2']])) } as unknown as FavoritesService,
    notifications as unknown as NotificationsService,
    { run: async <T>(work: (manager: EntityManager) => Promise<T>) => (transactions++, work({} as EntityManager)) } as unknown as TransactionRunner,
    gateway as unknown as LiveGateway,
    new Metrics(),
    DEFAULT_FRESHNESS,
  );
  return { service, states, notifications, gateway, transactions: () => transactions };
}

describe('RunIngestService', () => {
  it('writes a changed run, pushes its status, and notifies each follower once, stamped with the time of the change', async () => {
    const { service, states, notifications, gateway } = setUp();
    const report = await service.apply([runningStatus({ delayMinutes: 20 })], 'PROVIDER', NOW);
    expect(report).toMatchObject({ observed: 1, changed: 1, written: 1, comparedWith: 'cache' });
    expect(states.stored.get('t1:2026-11-24')).toMatchObject({ delayMinutes: 20, version: 1, updatedAt: NOW.toISOString() });
    expect(states.cached.map(key)).toEqual(['t1:2026-11-24']);
    expect(gateway.statuses.map((view) => [view.train.number, view.state.version, view.asOf])).toEqual([['12951', 1, NOW]]);
    const types = notifications.created.map(({ userId, event }) => `${userId}:${event.type}`);
    expect(types.sort()).toEqual(['u1:DELAY', 'u1:DEPARTED', 'u2:DELAY', 'u2:DEPARTED']);
    expect(new Set(notifications.created.map(({ at }) => at))).toEqual(new Set([NOW]));
    expect(gateway.notifications).toHaveLength(4);
  });

  it('does not push the change of a train nobody watches, but writes it, caches it and notifies its followers', async () => {
    const { service, states, notifications, gateway } = setUp();
    gateway.watched = new Set(['22222']);
    expect(await service.apply([runningStatus({ delayMinutes: 20 })], 'PROVIDER', NOW)).toMatchObject({ changed: 1, written: 1 });
    expect(gateway.statuses).toEqual([]);
    expect(states.stored.get('t1:2026-11-24')).toMatchObject({ delayMinutes: 20, version: 1 });
    expect(states.cached.map(key)).toEqual(['t1:2026-11-24']);
    expect(notifications.created).toHaveLength(4);
    expect(gateway.notifications).toHaveLength(4);
  });

  it('pushes the change of a train someone watches', async () => {
    const { service, gateway } = setUp();
    gateway.watched = new Set(['12951']);
    await service.apply([runningStatus({ delayMinutes: 20 })], 'PROVIDER', NOW);
    expect(gateway.statuses.map((view) => [view.train.number, view.state.delayMinutes])).toEqual([['12951', 20]]);
  });

  it('writes nothing, opens no transaction and pushes nothing when nothing changed', async () => {
    const { service, states, gateway, transactions } = setUp();
    states.stored.set('t1:2026-11-24', { ...scheduledState('t1', '12951', '2026-11-24'), phase: 'RUNNING', lastStopSequence: 1, departedLastStop: true, version: 3 });
    expect(await service.apply([runningStatus()], 'PROVIDER', NOW)).toMatchObject({ changed: 0, written: 0, notifications: 0 });
    expect(transactions()).toBe(0);
    expect(gateway.statuses).toEqual([]);
  });

  it('leaves a run an operator reported to the operator', async () => {
    const { service, states, gateway } = setUp();
    states.stored.set('t1:2026-11-24', { ...scheduledState('t1', '12951', '2026-11-24'), delayMinutes: 45, source: 'OPERATOR', version: 2 });
    expect(await service.apply([runningStatus({ delayMinutes: 5 })], 'PROVIDER', NOW)).toMatchObject({ changed: 0 });
    expect(gateway.statuses).toEqual([]);
    // The operator may still change it.
    expect(await service.apply([observedStatus({ delayMinutes: 50 })], 'OPERATOR', NOW)).toMatchObject({ written: 1 });
  });

  it('neither pushes nor notifies a change that lost to a newer version, and reloads that run', async () => {
    const { service, states, notifications, gateway } = setUp();
    states.newerElsewhere.add('t1:2026-11-25');
    const report = await service.apply(
      [runningStatus({ delayMinutes: 20 }), runningStatus({ serviceDate: '2026-11-25', delayMinutes: 30 })],
      'PROVIDER',
      NOW,
    );
    expect(report).toMatchObject({ changed: 2, written: 1 });
    expect(gateway.statuses.map((view) => view.state.serviceDate)).toEqual(['2026-11-24']);
    expect(notifications.created.every(({ event }) => event.runDate === '2026-11-24')).toBe(true);
    expect(states.reloaded).toEqual([{ trainId: 't1', serviceDate: '2026-11-25' }]);
  });

  it('ignores observations of trains it has no timetable for', async () => {
    const { service, gateway } = setUp();
    expect(await service.apply([runningStatus({ trainId: 'gone', delayMinutes: 20 })], 'PROVIDER', NOW)).toMatchObject({ observed: 1, changed: 0 });
    expect(gateway.statuses).toEqual([]);
  });

  it('ignores observations of a date the train does not run (there are no stops to show them on), without reading their state', async () => {
    const { service, states, gateway } = setUp();
    // 2026-11-26 is a Thursday; the train runs on Tuesdays and Wednesdays.
    expect(await service.apply([runningStatus({ serviceDate: '2026-11-26', delayMinutes: 20 })], 'PROVIDER', NOW)).toMatchObject({ observed: 1, changed: 0 });
    expect(gateway.statuses).toEqual([]);
    // A run that does not exist is never cached, so reading it would cost a PostgreSQL query every tick.
    expect(states.looked).toEqual([]);
  });
});
