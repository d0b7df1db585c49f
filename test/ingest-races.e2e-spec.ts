import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CLOCK } from '../src/common/clock/clock.js';
import type { TrainLiveView } from '../src/live/live.model.js';
import { runKey, type RunState } from '../src/live/run-state.js';
import { RunStateCache } from '../src/live/run-state.cache.js';
import { RunStatesService } from '../src/live/run-states.service.js';
import type { Notification } from '../src/notifications/notification.entity.js';
import { LiveGateway } from '../src/tracking/live.gateway.js';
import { RunIngestService } from '../src/tracking/run-ingest.service.js';
import type { ObservedRunStatus } from '../src/tracking/train-status-provider.js';
import { createTestApp, testEnv } from './app.factory.js';
import { bearer, registerUser } from './auth-helpers.js';
import { observedStatus, runningStatus } from './builders/observed-status.js';
import { collect, connectLive, drain, type LiveClientSocket, subscribeTo, TestClock } from './live-helpers.js';
import { holdNextCall } from './hold.js';
import { query } from './test-database.js';

/**
 * Two writers of the same runs at once, as two instances of a cluster are when the tick lock is
 * lost (it only saves work), or a feed and an operator are: the promises that hold without the
 * lock. Both instances run in this process against the same PostgreSQL and Redis; each test
 * holds one writer right after it has read the runs' states, so the interleaving is the test's,
 * not the scheduler's.
 */

// 19:30 in India on Tuesday 2026-11-24: every train used here has left its origin today.
const NOW = new Date('2026-11-24T14:00:00Z');
const DATE = '2026-11-24';
const LEFT_ORIGIN_AT = new Date('2026-11-24T11:32:00Z');
const ENV = testEnv('train_tracker_test_ingest_races');

/** Holds an instance's next ingest right after it has read the states it will build on, until released. */
const holdAfterRead = (app: INestApplication) => holdNextCall(app.get(RunStatesService), 'load');

/** What an instance's gateway is asked to push (to sockets on every instance, through Redis); the pushes still go out. */
function pushesOf(app: INestApplication) {
  const gateway = app.get(LiveGateway);
  const status = jest.spyOn(gateway, 'publishStatus');
  const notification = jest.spyOn(gateway, 'publishNotification');
  return {
    get statuses(): TrainLiveView[] {
      return status.mock.calls.map(([view]) => view);
    },
    get notifications(): Notification[] {
      return notification.mock.calls.map(([sent]) => sent);
    },
  };
}

describe('racing writers (no tick lock)', () => {
  const clock = new TestClock(NOW);
  const apps: INestApplication[] = [];
  const sockets: LiveClientSocket[] = [];
  let a: INestApplication;
  let b: INestApplication;
  let ids: Record<string, string>;

  beforeAll(async () => {
    const boot = () => createTestApp(ENV, { listen: true, override: (builder) => builder.overrideProvider(CLOCK).useValue(clock) });
    a = await boot();
    b = await boot();
    apps.push(a, b);
    const rows = await query<{ id: string; number: string }>(`SELECT id, number FROM trains WHERE number IN ('12951', '12301', '12302', '12002')`);
    ids = Object.fromEntries(rows.map((row) => [row.number, row.id]));
  }, 60_000);
  afterEach(() => {
    jest.restoreAllMocks();
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await Promise.all(apps.map((app) => app.close()));
  });

  const ingest = (app: INestApplication, observations: ObservedRunStatus[], source: 'PROVIDER' | 'OPERATOR' = 'PROVIDER') =>
    app.get(RunIngestService).apply(observations, source, clock.now());
  const urlOf = (app: INestApplication) => `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const observe = (number: string, changes: Partial<ObservedRunStatus> = {}) =>
    runningStatus({ trainId: ids[number], trainNumber: number, serviceDate: DATE, lastDepartedAt: LEFT_ORIGIN_AT, ...changes });
  const follower = async (...numbers: string[]) => {
    const http = request(a.getHttpServer());
    const { body } = await registerUser({ http });
    for (const number of numbers) await http.put(`/api/v1/me/favorites/${number}`).set('authorization', bearer(body.accessToken)).expect(201);
    return body.user.id;
  };
  /** A socket on instance B watching the trains: only changes of watched trains are pushed, from whichever instance writes them. */
  const watch = async (...numbers: string[]) => {
    const watcher = await connectLive(urlOf(b));
    sockets.push(watcher);
    for (const trainNumber of numbers) await subscribeTo(watcher, { trainNumber });
  };
  const runOf = async (number: string) => {
    const [run] = await query<{ version: number; delay: number; history: Array<[number, number]> }>(
      `SELECT r.version, r.delay_minutes AS delay,
              (SELECT json_agg(json_build_array(e.version, e.delay_minutes) ORDER BY e.version) FROM train_run_events e WHERE e.run_id = r.id) AS history
       FROM train_runs r WHERE r.train_id = $1 AND r.service_date = $2`,
      [ids[number], DATE],
    );
    return run;
  };
  const notificationsOf = (userId: string) =>
    query<{ type: string; event_key: string; delay: number | null }>(
      `SELECT type, event_key, (data->>'delayMinutes')::int AS delay FROM notifications WHERE user_id = $1 ORDER BY event_key`,
      [userId],
    );
  const cached = async (app: INestApplication, number: string): Promise<RunState | undefined> =>
    (await app.get(RunStateCache).getMany([runKey(ids[number], DATE)]))![0];

  describe('a stale write loses', () => {
    it('keeps the newer version, pushes and notifies nothing for the loser, and refreshes the cache it was misled by', async () => {
      const [first] = (await ingest(a, [observe('12951', { delayMinutes: 5 })])).states;
      expect(first).toMatchObject({ version: 1, delayMinutes: 5 });
      const user = await follower('12951');
      const watcher = await connectLive(urlOf(b));
      sockets.push(watcher);
      await subscribeTo(watcher, { trainNumber: '12951' });
      const seen = collect(watcher, 'train.status');
      const [pushedByA, pushedByB] = [pushesOf(a), pushesOf(b)];

      // A reads version 1 and is held; B reads version 1 too and writes version 2 (20 min late).
      const held = holdAfterRead(a);
      const stale = ingest(a, [observe('12951', { delayMinutes: 40 })]);
      await held.hasReturned;
      expect(await ingest(b, [observe('12951', { delayMinutes: 20 })])).toMatchObject({ changed: 1, written: 1, notifications: 1 });
      // B's cache write is lost (a Redis blip, or B stopped right after its commit): the cache still says version 1.
      await a.get(RunStateCache).setMany([first]);
      held.release();

      // A's change, built on version 1, is also "version 2": it must lose.
      expect(await stale).toMatchObject({ changed: 1, written: 0, notifications: 0, states: [] });
      expect(await runOf('12951')).toEqual({ version: 2, delay: 20, history: [[1, 5], [2, 20]] });
      expect(pushedByA.statuses).toEqual([]);
      expect(pushedByA.notifications).toEqual([]);
      expect(pushedByB.statuses.map((view) => [view.state.version, view.state.delayMinutes])).toEqual([[2, 20]]);
      await drain(watcher);
      expect(seen.map((status) => [status.version, status.delayMinutes])).toEqual([[2, 20]]);
      expect(await notificationsOf(user)).toEqual([{ type: 'DELAY', event_key: `12951:${DATE}:DELAY:20:v2`, delay: 20 }]);
      // The loser took PostgreSQL's word for it: the cache holds the winner's state again.
      expect(await cached(a, '12951')).toMatchObject({ version: 2, delayMinutes: 20 });

      // So the next observation builds on version 2 instead of losing again.
      expect(await ingest(a, [observe('12951', { delayMinutes: 40 })])).toMatchObject({ written: 1, states: [expect.objectContaining({ version: 3, delayMinutes: 40 })] });
      expect(await runOf('12951')).toMatchObject({ version: 3, delay: 40 });
    });
  });

  describe('each notification once across instances', () => {
    it('two instances applying the same observations at once write each change once, push it once and notify each follower once', async () => {
      const users = [await follower('12301', '12302'), await follower('12301', '12302')];
      await watch('12301', '12302');
      const [pushedByA, pushedByB] = [pushesOf(a), pushesOf(b)];
      const observations = [observe('12301', { delayMinutes: 20 }), observe('12302', { delayMinutes: 35 })];

      // Both read "never reported" before either writes, then both write at once.
      const [heldA, heldB] = [holdAfterRead(a), holdAfterRead(b)];
      const applies = Promise.all([ingest(a, observations), ingest(b, observations)]);
      await Promise.all([heldA.hasReturned, heldB.hasReturned]);
      heldA.release();
      heldB.release();
      const reports = await applies;

      expect(reports.map((report) => report.changed)).toEqual([2, 2]);
      expect(reports[0].written + reports[1].written).toBe(2);
      expect(await runOf('12301')).toEqual({ version: 1, delay: 20, history: [[1, 20]] });
      expect(await runOf('12302')).toEqual({ version: 1, delay: 35, history: [[1, 35]] });
      for (const user of users) {
        expect((await notificationsOf(user)).map(({ event_key }) => event_key)).toEqual([
          `12301:${DATE}:DELAY:20:v1`,
          `12301:${DATE}:DEPARTED`,
          `12302:${DATE}:DELAY:35:v1`,
          `12302:${DATE}:DEPARTED`,
        ]);
      }
      const statuses = [...pushedByA.statuses, ...pushedByB.statuses];
      expect(statuses.map((view) => `${view.train.number} v${view.state.version}`).sort()).toEqual(['12301 v1', '12302 v1']);
      const notifications = [...pushedByA.notifications, ...pushedByB.notifications];
      expect(notifications).toHaveLength(8);
      expect(new Set(notifications.map((n) => `${n.userId} ${n.eventKey}`)).size).toBe(8);
      expect(reports[0].notifications + reports[1].notifications).toBe(8);
    });

    it('a change that repeats an event already notified, applied by two instances at once, is written and pushed once and notifies nobody twice', async () => {
      // With versioned writes only one of two racing writers gets as far as notifying, so the
      // natural key is what keeps an event that comes round again (an operator moves a run back
      // to the platform and then reports it gone again) from being told twice, and from failing
      // the whole write on the unique constraint.
      const user = await follower('12002');
      await watch('12002');
      expect(await ingest(a, [observe('12002')])).toMatchObject({ written: 1, notifications: 1 });
      const atOrigin = observedStatus({ trainId: ids['12002'], trainNumber: '12002', serviceDate: DATE, phase: 'RUNNING', lastStopSequence: 1, departedLastStop: false });
      expect(await ingest(b, [atOrigin], 'OPERATOR')).toMatchObject({ written: 1, notifications: 0 });
      const [pushedByA, pushedByB] = [pushesOf(a), pushesOf(b)];

      const leftAgain = { ...atOrigin, departedLastStop: true };
      const [heldA, heldB] = [holdAfterRead(a), holdAfterRead(b)];
      const applies = Promise.all([ingest(a, [leftAgain], 'OPERATOR'), ingest(b, [leftAgain], 'OPERATOR')]);
      await Promise.all([heldA.hasReturned, heldB.hasReturned]);
      heldA.release();
      heldB.release();
      const reports = await applies;

      expect(reports.map((report) => [report.changed, report.notifications])).toEqual([
        [1, 0],
        [1, 0],
      ]);
      expect(reports[0].written + reports[1].written).toBe(1);
      expect(await runOf('12002')).toMatchObject({ version: 3 });
      expect([...pushedByA.statuses, ...pushedByB.statuses].map((view) => view.state.version)).toEqual([3]);
      expect([...pushedByA.notifications, ...pushedByB.notifications]).toEqual([]);
      expect(await notificationsOf(user)).toEqual([{ type: 'DEPARTED', event_key: `12002:${DATE}:DEPARTED`, delay: 0 }]);
    });
  });
});
