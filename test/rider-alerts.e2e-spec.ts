import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CLOCK } from '../src/common/clock/clock.js';
import { ArmedAlertsCleanupService } from '../src/favorites/armed-alerts-cleanup.service.js';
import { ArmedAlertsService } from '../src/favorites/armed-alerts.service.js';
import { AlertScheduler } from '../src/tracking/alert-scheduler.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { TRAIN_STATUS_PROVIDER, type ObservedRunStatus } from '../src/tracking/train-status-provider.js';
import { createAdmin } from '../src/users/create-admin.command.js';
import { createTestApp, testEnv, useTestApp } from './app.factory.js';
import { bearer, login, registerUser } from './auth-helpers.js';
import { runningStatus } from './builders/observed-status.js';
import { collect, connectLive, drain, type EventPayload, type LiveClientSocket, ScriptedStatusProvider, TestClock } from './live-helpers.js';
import { holdNextCall } from './hold.js';
import { query } from './test-database.js';

const FAVORITES = '/api/v1/me/favorites';
const RUN = '2026-11-24';
const at = (iso: string) => new Date(iso);
/** One environment for the file: ConfigModule reads it once per file, when AppModule is first imported. */
const ENV = testEnv('train_tracker_test_rider_alerts');
const RIDER_ALERTS = new Set(['ARRIVING_SOON', 'DEPARTING_SOON', 'PLATFORM_AT_STATION', 'DELAY_AT_STATION', 'STOP_SKIPPED']);

type Notification = EventPayload<'notification'>;

interface ArmedRow {
  kind: string;
  service_date: string;
  due_at: Date | null;
  sent_count: number;
}

const armedAlertsOf = (userId: string) =>
  query<ArmedRow>(
    `SELECT kind, to_char(service_date, 'YYYY-MM-DD') AS service_date, due_at, sent_count FROM armed_alerts WHERE user_id = $1 ORDER BY kind, service_date`,
    [userId],
  );

const trainIds = async (numbers: string[]) =>
  Object.fromEntries((await query<{ id: string; number: string }>(`SELECT id, number FROM trains WHERE number = ANY($1)`, [numbers])).map((row) => [row.number, row.id]));

/**
 * Rider alerts end to end: a favorite with a station and alerts over REST, the scripted feed and
 * the app clock moving the trains, notifications read over REST and received over Socket.IO.
 * Times of 12951 (daily) on 2026-11-24: Kota Junction at 03:15 IST on the 25th, 21:45 UTC.
 * Each test moves trains no other test here moves, and follows them with a rider of its own.
 */
describe('rider alerts', () => {
  const feed = new ScriptedStatusProvider();
  const clock = new TestClock(at('2026-11-24T20:00:00Z'));
  const api = useTestApp(ENV, {
    listen: true,
    override: (builder) => builder.overrideProvider(TRAIN_STATUS_PROVIDER).useValue(feed).overrideProvider(CLOCK).useValue(clock),
  });
  const sockets: LiveClientSocket[] = [];
  let ids: Record<string, string>;
  const tick = () => api.app.get(TrackerService).tick();
  /** Ticks at each instant, in order. */
  const tickAt = async (...instants: string[]) => {
    const reports = [];
    for (const instant of instants) {
      clock.at = at(instant);
      reports.push(await tick());
    }
    return reports;
  };
  const rider = async () => {
    const { body } = await registerUser(api);
    const socket = await connectLive(api.url, { token: body.accessToken });
    sockets.push(socket);
    return { id: body.user.id, auth: bearer(body.accessToken), socket, pushed: collect(socket, 'notification') };
  };
  const follow = (auth: string, number: string, body?: object) => {
    const put = api.http.put(`${FAVORITES}/${number}`).set('Authorization', auth);
    return body === undefined ? put : put.send(body);
  };
  const inbox = async (auth: string): Promise<Notification[]> => (await api.http.get('/api/v1/me/notifications?limit=100').set('Authorization', auth).expect(200)).body.items;
  const observe = (number: string, changes: Partial<ObservedRunStatus>): ObservedRunStatus =>
    runningStatus({ trainId: ids[number], trainNumber: number, serviceDate: RUN, ...changes });

  beforeAll(async () => {
    ids = await trainIds(['12951', '12952', '12002', '12001']);
  });
  afterAll(() => sockets.forEach((socket) => socket.close()));

  it('sends a rider getting off at Kota exactly one "arriving soon" alarm, at its lead before the arrival with the delay applied', async () => {
    clock.at = at('2026-11-24T20:00:00Z');
    const getsOff = await rider();
    const added = await follow(getsOff.auth, '12951', { stationCode: 'kota', alerts: { beforeArrivalMinutes: 10 } }).expect(201);
    expect(added.body).toMatchObject({
      station: { code: 'KOTA', name: 'Kota Junction' },
      alerts: { beforeArrivalMinutes: 10, beforeDepartureMinutes: null, platformChange: false, delayAtStationMinutes: null },
      atStation: { serviceDate: RUN, status: 'EXPECTED', scheduledArrival: '2026-11-24T21:45:00.000Z', expectedArrival: '2026-11-24T21:45:00.000Z', delayMinutes: 0, realtime: false },
    });
    // Armed on tonight's run, due by the timetable until something is known.
    expect(await armedAlertsOf(getsOff.id)).toEqual([{ kind: 'ARRIVAL', service_date: RUN, due_at: at('2026-11-24T21:35:00Z'), sent_count: 0 }]);

    // The train has left Ratlam 25 minutes late, heading for platform 3 at Kota: expected 22:10, alarm due 22:00.
    feed.observations = [observe('12951', { delayMinutes: 25, lastStopSequence: 5, departedLastStop: true, platform: '3' })];
    expect(await tick()).toMatchObject({ written: 1, alertsEvaluated: 1, alertsSent: 0 });
    const listed = await api.http.get(FAVORITES).set('Authorization', getsOff.auth).expect(200);
    expect(listed.body[0].atStation).toMatchObject({ expectedArrival: '2026-11-24T22:10:00.000Z', delayMinutes: 25, platform: '3', realtime: true });

    // Not at the timetable's 21:35, not a minute early.
    const before = await tickAt('2026-11-24T21:35:00Z', '2026-11-24T21:50:00Z', '2026-11-24T21:59:00Z');
    expect(before.map((report) => report.alertsSent)).toEqual([0, 0, 0]);
    const due = await tickAt('2026-11-24T22:00:00Z');
    expect(due[0]).toMatchObject({ alertsSent: 1 });
    // The prediction wobbles (28 min late): nothing again.
    feed.observations = [observe('12951', { delayMinutes: 28, lastStopSequence: 5, departedLastStop: true, platform: '3' })];
    const after = await tickAt('2026-11-24T22:01:00Z', '2026-11-24T22:05:00Z', '2026-11-24T22:09:00Z');
    expect(after.map((report) => report.alertsSent)).toEqual([0, 0, 0]);

    await drain(getsOff.socket);
    const alarms = getsOff.pushed.filter((notification) => RIDER_ALERTS.has(notification.type));
    expect(alarms).toEqual([
      expect.objectContaining({
        type: 'ARRIVING_SOON',
        train: { number: '12951', name: 'Mumbai Rajdhani Express' },
        runDate: RUN,
        title: '12951 arrives at Kota Junction in about 10 min (platform 3, 25 min late)',
        body: '12951 Mumbai Rajdhani Express (24 Nov) is expected at Kota Junction at 03:40.',
        data: expect.objectContaining({ stationCode: 'KOTA', expectedArrival: '2026-11-24T22:10:00.000Z', delayMinutes: 25, realtime: true }),
        createdAt: '2026-11-24T22:00:00.000Z',
      }),
    ]);
    const stored = (await inbox(getsOff.auth)).filter((notification) => RIDER_ALERTS.has(notification.type));
    expect(stored.map((notification) => notification.id)).toEqual([alarms[0].id]);
    // Sent for tonight's run, and armed on tomorrow's.
    expect(await armedAlertsOf(getsOff.id)).toEqual([
      { kind: 'ARRIVAL', service_date: RUN, due_at: null, sent_count: 1 },
      { kind: 'ARRIVAL', service_date: '2026-11-25', due_at: at('2026-11-25T21:35:00Z'), sent_count: 0 },
    ]);
  });

  it('tells a rider of a run cancelled before the alarm only that it is cancelled', async () => {
    // 12952 reaches Kota at 21:35 IST (16:05 UTC): a 15-minute alarm would be due at 15:50.
    clock.at = at('2026-11-24T14:00:00Z');
    const getsOff = await rider();
    await follow(getsOff.auth, '12952', { stationCode: 'KOTA', alerts: { beforeArrivalMinutes: 15 } }).expect(201);
    feed.observations = [observe('12952', { phase: 'CANCELLED', lastStopSequence: null, departedLastStop: false })];
    await tickAt('2026-11-24T15:00:00Z', '2026-11-24T15:50:00Z', '2026-11-24T16:05:00Z', '2026-11-24T17:00:00Z');

    await drain(getsOff.socket);
    expect(getsOff.pushed.map((notification) => notification.type)).toEqual(['CANCELLED']);
    expect((await inbox(getsOff.auth)).map((notification) => notification.type)).toEqual(['CANCELLED']);
    // Settled for the cancelled run, armed on tomorrow's.
    expect(await armedAlertsOf(getsOff.id)).toEqual([
      { kind: 'ARRIVAL', service_date: RUN, due_at: null, sent_count: 0 },
      { kind: 'ARRIVAL', service_date: '2026-11-25', due_at: at('2026-11-25T15:50:00Z'), sent_count: 0 },
    ]);
  });

  it('goes by the timetable for a run nothing is known of, and says so', async () => {
    // 12002 leaves Bhopal at 15:30 IST (10:00 UTC); no feed reports it.
    clock.at = at('2026-11-24T09:00:00Z');
    feed.observations = [];
    const boards = await rider();
    await follow(boards.auth, '12002', { stationCode: 'BPL', alerts: { beforeDepartureMinutes: 20 } }).expect(201);
    const reports = await tickAt('2026-11-24T09:39:00Z', '2026-11-24T09:40:00Z', '2026-11-24T09:45:00Z');
    expect(reports.map((report) => report.alertsSent)).toEqual([0, 1, 0]);
    await drain(boards.socket);
    expect(boards.pushed).toEqual([
      expect.objectContaining({
        type: 'DEPARTING_SOON',
        title: '12002 leaves Bhopal Junction in about 20 min (timetable time, no live data)',
        body: '12002 Bhopal Shatabdi Express (24 Nov) is due to leave Bhopal Junction at 15:30 by the timetable: nothing has been reported of this run yet.',
        data: expect.objectContaining({ realtime: false }),
      }),
    ]);
  });

  it('sends the platform and delay alerts at the rider’s station when an operator reports them, once per run', async () => {
    // 12841 left Shalimar at 15:20 IST; Balasore (no platform in the timetable) comes at 18:28 IST, 12:58 UTC.
    clock.at = at('2026-11-24T10:30:00Z');
    const email = `admin-${randomUUID()}@example.com`;
    await createAdmin([email, '--password', 'admin-password-123']);
    const admin = bearer((await login(api, email, 'admin-password-123')).accessToken);
    const waits = await rider();
    await follow(waits.auth, '12841', { stationCode: 'BLS', alerts: { platformChange: true, delayAtStationMinutes: 30 } }).expect(201);
    const report = (body: object) => api.http.post('/api/v1/admin/trains/12841/status').set('Authorization', admin).send({ date: RUN, ...body }).expect(200);

    await report({ delayMinutes: 40, lastStationCode: 'KGP', departed: true, platform: '4' });
    await drain(waits.socket);
    const alerts = () => waits.pushed.filter((notification) => RIDER_ALERTS.has(notification.type));
    // Both from one evaluation: in no particular order.
    const byType = (a: { type: string }, b: { type: string }) => a.type.localeCompare(b.type);
    expect(alerts().map(({ type, title, body, createdAt }) => ({ type, title, body, createdAt })).sort(byType)).toEqual([
      {
        type: 'DELAY_AT_STATION',
        title: '12841 is expected at Balasore 40 min late',
        body: '12841 Coromandel Express (24 Nov) is expected at Balasore at 19:08 instead of 18:28.',
        createdAt: '2026-11-24T10:30:00.000Z',
      },
      {
        type: 'PLATFORM_AT_STATION',
        title: '12841 will be on platform 4 at Balasore',
        body: '12841 Coromandel Express (24 Nov) will be on platform 4 at Balasore, expected at 19:08.',
        createdAt: '2026-11-24T10:30:00.000Z',
      },
    ]);

    // Another platform, later: every follower hears it as PLATFORM_CHANGE; the rider's alert was once.
    clock.at = at('2026-11-24T10:40:00Z');
    await report({ delayMinutes: 45, platform: '5' });
    await drain(waits.socket);
    expect(alerts()).toHaveLength(2);
    expect(waits.pushed.at(-1)).toMatchObject({ type: 'PLATFORM_CHANGE', title: expect.stringContaining('Balasore') });
  });

  describe('settings', () => {
    it('keeps a favorite’s settings when followed again without a body, replaces them with one, and clears them with a null station', async () => {
      clock.at = at('2026-11-24T09:00:00Z');
      const { auth } = await rider();
      await follow(auth, '12001', { stationCode: 'AGC', alerts: { beforeArrivalMinutes: 5, platformChange: true, delayAtStationMinutes: 20 } }).expect(201);
      const again = await follow(auth, '12001').expect(200);
      expect(again.body).toMatchObject({ station: { code: 'AGC' }, alerts: { beforeArrivalMinutes: 5, platformChange: true, delayAtStationMinutes: 20 } });
      const replaced = await follow(auth, '12001', { stationCode: 'GWL', alerts: { beforeDepartureMinutes: 30 } }).expect(200);
      expect(replaced.body).toMatchObject({ station: { code: 'GWL' }, alerts: { beforeArrivalMinutes: null, beforeDepartureMinutes: 30, platformChange: false, delayAtStationMinutes: null } });
      const cleared = await follow(auth, '12001', { stationCode: null }).expect(200);
      expect(cleared.body).toMatchObject({ station: null, atStation: null, alerts: { beforeArrivalMinutes: null, beforeDepartureMinutes: null, platformChange: false, delayAtStationMinutes: null } });
      const { body: list } = await api.http.get(FAVORITES).set('Authorization', auth).expect(200);
      expect(list).toEqual([expect.objectContaining({ station: null, atStation: null })]);
    });

    it('refuses settings the station cannot give with a problem naming the field, and writes nothing', async () => {
      const { id, auth } = await rider();
      const refused = async (body: object, code: string, field: string, message: string) => {
        const response = await follow(auth, '12951', body).expect(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject({ status: 400, code, errors: [{ field, messages: [message] }] });
      };
      await refused({ stationCode: 'NGP', alerts: { platformChange: true } }, 'STATION_NOT_ON_ROUTE', 'stationCode', 'NGP is not a stop of train 12951');
      await refused({ alerts: { beforeArrivalMinutes: 10 } }, 'INVALID_ALERT_SETTINGS', 'stationCode', 'stationCode is required with alerts: the station they are about');
      await refused({ stationCode: 'MMCT', alerts: { beforeArrivalMinutes: 10 } }, 'INVALID_ALERT_SETTINGS', 'alerts.beforeArrivalMinutes', '12951 starts at MMCT: it does not arrive there');
      await refused({ stationCode: 'NDLS', alerts: { beforeDepartureMinutes: 10 } }, 'INVALID_ALERT_SETTINGS', 'alerts.beforeDepartureMinutes', '12951 ends at NDLS: it does not leave from there');
      await refused({ stationCode: 'KOTA', alerts: { beforeArrivalMinutes: 121 } }, 'VALIDATION_FAILED', 'alerts.beforeArrivalMinutes', 'beforeArrivalMinutes must not be greater than 120');
      await refused({ stationCode: 'KOTA', alerts: { beforeDepartureMinutes: 0 } }, 'VALIDATION_FAILED', 'alerts.beforeDepartureMinutes', 'beforeDepartureMinutes must not be less than 1');
      await refused({ stationCode: 'KOTA', alerts: { platformChange: 'yes' } }, 'VALIDATION_FAILED', 'alerts.platformChange', 'platformChange must be a boolean value');
      await refused({ stationCode: 'KOTA', alerts: { snooze: 5 } }, 'VALIDATION_FAILED', 'alerts.snooze', 'property snooze should not exist');
      expect((await api.http.get(FAVORITES).set('Authorization', auth).expect(200)).body).toEqual([]);
      expect(await armedAlertsOf(id)).toEqual([]);
    });

    it('drops a favorite’s armed alerts when it is unfollowed', async () => {
      const { id, auth } = await rider();
      await follow(auth, '12951', { stationCode: 'BRC', alerts: { beforeArrivalMinutes: 10, beforeDepartureMinutes: 5 } }).expect(201);
      expect((await armedAlertsOf(id)).map((row) => row.kind)).toEqual(['ARRIVAL', 'DEPARTURE']);
      await api.http.delete(`${FAVORITES}/12951`).set('Authorization', auth).expect(204);
      expect(await armedAlertsOf(id)).toEqual([]);
    });

    it('forgets the alerts of a run once it is a day past the served days', async () => {
      clock.at = at('2026-11-24T09:00:00Z');
      const { id, auth } = await rider();
      await follow(auth, '12951', { stationCode: 'NDLS', alerts: { beforeArrivalMinutes: 10 } }).expect(201);
      expect((await armedAlertsOf(id)).map((row) => row.service_date)).toEqual([RUN]);
      const cleanup = api.app.get(ArmedAlertsCleanupService);
      await cleanup.deleteOldRuns(at('2026-12-02T12:00:00Z'));
      expect((await armedAlertsOf(id)).map((row) => row.service_date)).toEqual([RUN]);
      await cleanup.deleteOldRuns(at('2026-12-03T12:00:00Z'));
      expect(await armedAlertsOf(id)).toEqual([]);
    });
  });
});

/**
 * Two instances on one PostgreSQL and Redis, in this process (as in ingest-races): an alarm is
 * sent once whoever evaluates it, and an instance started again does not send it again.
 * 12301 of 2026-11-24 reaches Dhanbad at 19:58 IST (14:28 UTC); 12302 reaches Kanpur at 21:35
 * IST (16:05 UTC) and leaves at 21:40 (16:10 UTC). No feed reports either: timetable times.
 */
describe('rider alerts on several instances', () => {
  const clock = new TestClock(at('2026-11-24T14:00:00Z'));
  const apps: INestApplication[] = [];
  const sockets: LiveClientSocket[] = [];
  const boot = async () => {
    const app = await createTestApp(ENV, {
      listen: true,
      override: (builder) => builder.overrideProvider(TRAIN_STATUS_PROVIDER).useValue(new ScriptedStatusProvider()).overrideProvider(CLOCK).useValue(clock),
    });
    apps.push(app);
    return app;
  };
  const urlOf = (app: INestApplication) => {
    const address = app.getHttpServer().address() as { port: number };
    return `http://127.0.0.1:${address.port}`;
  };
  let a: INestApplication;
  let b: INestApplication;

  beforeAll(async () => {
    a = await boot();
    b = await boot();
  }, 60_000);
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await Promise.all(apps.map((app) => app.close()));
  });

  /** A rider signed in with a socket on each instance. */
  const riderOnBoth = async (number: string, settings: object) => {
    const { body } = await registerUser({ http: request(a.getHttpServer()) });
    await request(a.getHttpServer()).put(`${FAVORITES}/${number}`).set('Authorization', bearer(body.accessToken)).send(settings).expect(201);
    const connected = await Promise.all([a, b].map((app) => connectLive(urlOf(app), { token: body.accessToken })));
    sockets.push(...connected);
    return { id: body.user.id, sockets: connected, pushed: connected.map((socket) => collect(socket, 'notification')) };
  };
  const sentTo = (userId: string) => query<{ type: string }>(`SELECT type FROM notifications WHERE user_id = $1 ORDER BY created_at`, [userId]);

  it('sends an alarm two instances evaluate at once only once', async () => {
    clock.at = at('2026-11-24T14:00:00Z');
    const getsOff = await riderOnBoth('12301', { stationCode: 'DHN', alerts: { beforeArrivalMinutes: 10 } });
    clock.at = at('2026-11-24T14:18:00Z');
    // Both instances' timers fire for the alarm due at 14:18; A has read it before B sends it.
    const held = holdNextCall(a.get(ArmedAlertsService), 'toEvaluate');
    const first = a.get(AlertScheduler).evaluate([], clock.now());
    await held.hasReturned;
    const second = await b.get(AlertScheduler).evaluate([], clock.now());
    held.release();
    expect([(await first).sent, second.sent]).toEqual([0, 1]);
    // And the ticks of both after it send nothing more.
    await Promise.all([a.get(TrackerService).tick(), b.get(TrackerService).tick()]);

    await Promise.all(getsOff.sockets.map((socket) => drain(socket)));
    expect(getsOff.pushed.map((received) => received.map((notification) => notification.type))).toEqual([['ARRIVING_SOON'], ['ARRIVING_SOON']]);
    expect(getsOff.pushed[0][0].id).toBe(getsOff.pushed[1][0].id);
    expect(await sentTo(getsOff.id)).toEqual([{ type: 'ARRIVING_SOON' }]);
  });

  it('does not send again after a restart what was sent before it, and sends what falls due after it', async () => {
    clock.at = at('2026-11-24T15:00:00Z');
    const getsOff = await riderOnBoth('12302', { stationCode: 'CNB', alerts: { beforeArrivalMinutes: 10, beforeDepartureMinutes: 5 } });
    clock.at = at('2026-11-24T15:55:00Z');
    expect(await a.get(TrackerService).tick()).toMatchObject({ alertsSent: 1 });

    // A is restarted mid-run; its successor and B tick on.
    await a.close();
    apps.splice(apps.indexOf(a), 1);
    const restarted = await boot();
    for (const instant of ['2026-11-24T15:56:00Z', '2026-11-24T16:00:00Z', '2026-11-24T16:05:00Z', '2026-11-24T16:06:00Z']) {
      clock.at = at(instant);
      for (const app of [restarted, b]) await app.get(TrackerService).tick();
    }
    expect(await sentTo(getsOff.id)).toEqual([{ type: 'ARRIVING_SOON' }, { type: 'DEPARTING_SOON' }]);
    await drain(getsOff.sockets[1]);
    expect(getsOff.pushed[1].map((notification) => [notification.type, notification.createdAt])).toEqual([
      ['ARRIVING_SOON', '2026-11-24T15:55:00.000Z'],
      ['DEPARTING_SOON', '2026-11-24T16:05:00.000Z'],
    ]);
  });
});
