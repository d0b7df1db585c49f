import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { CLOCK } from '../src/common/clock/clock.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { TRAIN_STATUS_PROVIDER, type ObservedRunStatus } from '../src/tracking/train-status-provider.js';
import { createAdmin } from '../src/users/create-admin.command.js';
import { testEnv, useTestApp } from './app.factory.js';
import { bearer, login, registerUser } from './auth-helpers.js';
import { trainData } from './demo-data.js';
import { runningStatus } from './builders/observed-status.js';
import { collect, connectLive, drain, type LiveClientSocket, ScriptedStatusProvider, subscribeTo, TestClock, unsubscribeFrom } from './live-helpers.js';
import { waitFor } from './redis-process.js';
import { query } from './test-database.js';

// 19:30 in India on Tuesday 2026-11-24: every train these tests move (12951 leaves Mumbai at
// 17:00, 12301 Howrah at 16:50, ...) has left its origin and is on its way.
//
// Each test moves trains no other test here moves, so any one of them passes alone (-t) and in
// any order; those that only subscribe or read share trains nobody moves.
const NOW = new Date('2026-11-24T14:00:00Z');
const SERVICE_DATE = '2026-11-24';

describe('live tracking', () => {
  const feed = new ScriptedStatusProvider();
  const clock = new TestClock(NOW);
  const api = useTestApp(
    { ...testEnv('train_tracker_test_tracking'), SOCKET_MAX_SUBSCRIPTIONS: '3', CORS_ORIGINS: 'https://app.example.com' },
    { listen: true, override: (builder) => builder.overrideProvider(TRAIN_STATUS_PROVIDER).useValue(feed).overrideProvider(CLOCK).useValue(clock) },
  );
  const sockets: LiveClientSocket[] = [];
  const connect = async (options: Parameters<typeof connectLive>[1] = {}) => {
    const socket = await connectLive(api.url, options);
    sockets.push(socket);
    return socket;
  };
  const subscribe = (socket: LiveClientSocket, trainNumber: unknown) => subscribeTo(socket, { trainNumber });
  const tick = () => api.app.get(TrackerService).tick();
  let ids: Record<string, string>;
  const observe = (number: string, changes: Parameters<typeof runningStatus>[0] = {}): ObservedRunStatus =>
    runningStatus({
      trainId: ids[number],
      trainNumber: number,
      serviceDate: SERVICE_DATE,
      // Left its origin at 11:32 UTC, unless the test moves the train on.
      ...(changes.lastStopSequence === undefined && { lastDepartedAt: new Date('2026-11-24T11:32:00Z') }),
      ...changes,
    });
  const runRows = async (number: string) =>
    query<{ version: number; delay_minutes: number; events: number }>(
      `SELECT r.version, r.delay_minutes, (SELECT count(*)::int FROM train_run_events e WHERE e.run_id = r.id) AS events
       FROM train_runs r JOIN trains t ON t.id = r.train_id WHERE t.number = $1 AND r.service_date = $2`,
      [number, SERVICE_DATE],
    );

  beforeAll(async () => {
    const rows = await query<{ id: string; number: string }>(`SELECT id, number FROM trains WHERE number IN ('12951', '12952', '12002', '12001', '12301', '12302', '12841', '20834', '22435', '12860', '12723')`);
    ids = Object.fromEntries(rows.map((row) => [row.number, row.id]));
  });
  afterAll(() => sockets.forEach((socket) => socket.close()));

  it('acknowledges a subscription with the current snapshot', async () => {
    const socket = await connect();
    const ack = await subscribe(socket, '12951');
    expect(ack).toMatchObject({ ok: true, status: { train: { number: '12951', name: trainData('12951').name }, serviceDate: SERVICE_DATE, state: 'SCHEDULED', version: 0 } });
  });

  it('pushes a change once to the train’s subscribers only, writing one row and one history entry', async () => {
    const watcher = await connect();
    const other = await connect();
    await subscribe(watcher, '12301');
    await subscribe(other, '12951');
    const seen = collect(watcher, 'train.status');
    const unrelated = collect(other, 'train.status');

    feed.observations = [observe('12301', { delayMinutes: 20 })];
    const report = await tick();
    expect(report).toMatchObject({ ran: true, observed: 1, changed: 1, written: 1 });
    await drain(watcher);
    await drain(other);

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ train: { number: '12301' }, state: 'RUNNING', delayMinutes: 20, version: 1, lastStation: { code: trainData('12301').stops[0].stationCode } });
    expect(unrelated).toEqual([]);
    expect(await runRows('12301')).toEqual([{ version: 1, delay_minutes: 20, events: 1 }]);

    // The REST status is the same object that was pushed.
    const { body } = await api.http.get('/api/v1/trains/12301/status').expect(200);
    expect(body).toEqual(seen[0]);
  });

  it('publishes a change to Redis only when someone watches the train, and writes every change', async () => {
    // The Redis adapter's channels of /live: one message per emit to a room, for every instance.
    const listener = new Redis('redis://127.0.0.1:6379');
    const channels: string[] = [];
    listener.on('pmessage', (_pattern, channel: string) => void channels.push(channel));
    await listener.psubscribe(`${process.env.REDIS_KEY_PREFIX}socket.io#/live#*`);
    try {
      const watcher = await connect();
      await subscribe(watcher, '12860');
      const seen = collect(watcher, 'train.status');
      // The unwatched train first: had it been published, its message would come before the watched one's.
      feed.observations = [observe('12723', { delayMinutes: 15 }), observe('12860', { delayMinutes: 25 })];
      expect(await tick()).toMatchObject({ changed: 2, written: 2 });
      await waitFor(() => channels.some((channel) => channel.includes('#train:12860#')), 5000, 'the watched train’s publish');
      expect(channels.filter((channel) => channel.includes('#train:'))).toEqual([`${process.env.REDIS_KEY_PREFIX}socket.io#/live#train:12860#`]);
      await drain(watcher);
      expect(seen.map((status) => [status.train.number, status.delayMinutes])).toEqual([['12860', 25]]);
      expect(await runRows('12723')).toEqual([{ version: 1, delay_minutes: 15, events: 1 }]);
      // Nobody watched it, yet its REST status is the new state.
      expect((await api.http.get('/api/v1/trains/12723/status').expect(200)).body).toMatchObject({ delayMinutes: 15, version: 1 });
    } finally {
      listener.disconnect();
    }
  });

  it('writes nothing and pushes nothing when nothing changed', async () => {
    feed.observations = [observe('20834', { delayMinutes: 20 })];
    expect(await tick()).toMatchObject({ written: 1 });
    const watcher = await connect();
    await subscribe(watcher, '20834');
    const seen = collect(watcher, 'train.status');
    const before = await query<{ runs: number; events: number; notifications: number }>(
      `SELECT (SELECT count(*)::int FROM train_runs) AS runs, (SELECT count(*)::int FROM train_run_events) AS events,
              (SELECT count(*)::int FROM notifications) AS notifications`,
    );
    const report = await tick();
    expect(report).toMatchObject({ ran: true, observed: 1, changed: 0, written: 0, comparedWith: 'cache' });
    await drain(watcher);
    expect(seen).toEqual([]);
    const after = await query(
      `SELECT (SELECT count(*)::int FROM train_runs) AS runs, (SELECT count(*)::int FROM train_run_events) AS events,
              (SELECT count(*)::int FROM notifications) AS notifications`,
    );
    expect(after).toEqual(before);
    expect(await runRows('20834')).toEqual([{ version: 1, delay_minutes: 20, events: 1 }]);
  });

  it('notifies followers of the train live and in their inbox, once per event', async () => {
    const follower = await registerUser(api);
    const bystander = await registerUser(api);
    await api.http.put('/api/v1/me/favorites/12002').set('authorization', bearer(follower.body.accessToken)).expect(201);
    const followerSocket = await connect({ token: follower.body.accessToken });
    const bystanderSocket = await connect({ token: bystander.body.accessToken });
    const pushed = collect(followerSocket, 'notification');
    const notPushed = collect(bystanderSocket, 'notification');

    // 12002 leaves Bhopal 20 minutes late.
    feed.observations = [observe('12002', { delayMinutes: 20, lastDepartedAt: null })];
    await tick();
    await tick(); // the same status again notifies nobody
    await drain(followerSocket);
    await drain(bystanderSocket);

    expect(pushed.map((n) => n.type).sort()).toEqual(['DELAY', 'DEPARTED']);
    expect(notPushed).toEqual([]);
    const delay = pushed.find((n) => n.type === 'DELAY')!;
    expect(delay).toMatchObject({ train: { number: '12002' }, runDate: SERVICE_DATE, title: '12002 (24 Nov) is running 20 min late', readAt: null });
    expect(delay.body).toMatch(/^12002 .+ is running 20 min late, expected at .+ \d{2}:\d{2}\.$/);

    const inbox = await api.http.get('/api/v1/me/notifications').set('authorization', bearer(follower.body.accessToken)).expect(200);
    expect(inbox.body.items.map((n: { id: string }) => n.id).sort()).toEqual(pushed.map((n) => n.id).sort());
    const count = await api.http.get('/api/v1/me/notifications/unread-count').set('authorization', bearer(follower.body.accessToken)).expect(200);
    expect(count.body).toEqual({ count: 2 });
    const rows = await query('SELECT 1 FROM notifications WHERE user_id = $1', [follower.body.user.id]);
    expect(rows).toHaveLength(2);
  });

  it('stops pushing to a socket that unsubscribed', async () => {
    const socket = await connect();
    await subscribe(socket, '22435');
    expect(await unsubscribeFrom(socket, { trainNumber: '22435' })).toEqual({ ok: true });
    const seen = collect(socket, 'train.status');
    feed.observations = [observe('22435', { delayMinutes: 26 })];
    expect((await tick()).written).toBe(1);
    await drain(socket);
    expect(seen).toEqual([]);
  });

  it('refuses a bad payload, an unknown train and more subscriptions than allowed, in the error shape', async () => {
    const socket = await connect();
    const bad = await subscribeTo(socket, { trainNumber: 'abc', extra: 1 });
    expect(bad).toMatchObject({ ok: false, error: { status: 400, code: 'VALIDATION_FAILED', instance: 'subscribe' } });
    expect(!bad.ok && bad.error.errors?.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'trainNumber']);
    expect(await subscribe(socket, '99999')).toMatchObject({ ok: false, error: { status: 404, code: 'TRAIN_NOT_FOUND' } });
    for (const number of ['12951', '12952', '12001']) expect(await subscribe(socket, number)).toMatchObject({ ok: true });
    expect(await subscribe(socket, '12951')).toMatchObject({ ok: true }); // already following: no new slot needed
    expect(await subscribe(socket, '12002')).toMatchObject({ ok: false, error: { status: 422, code: 'TOO_MANY_SUBSCRIPTIONS' } });
  });

  it('refuses invalid or expired tokens at connect and accepts anonymous sockets', async () => {
    await expect(connectLive(api.url, { token: 'not-a-jwt' })).rejects.toMatchObject({ message: 'Invalid or expired access token' });
    const { default: jwt } = await import('jsonwebtoken');
    const expired = jwt.sign({ role: 'user', sid: randomUUID() }, 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz', {
      subject: randomUUID(),
      issuer: 'train-tracker',
      audience: 'train-tracker-api',
      expiresIn: -10,
    });
    const refused = await connectLive(api.url, { token: expired }).catch((error: { message: string; data: unknown }) => error);
    expect(refused).toMatchObject({ message: 'Invalid or expired access token', data: { status: 401, code: 'INVALID_ACCESS_TOKEN' } });
    const anonymous = await connect();
    expect(anonymous.connected).toBe(true);
  });

  it('checks the Origin of browser handshakes against the allow-list', async () => {
    await expect(connectLive(api.url, { origin: 'https://evil.example.net' })).rejects.toBeInstanceOf(Error);
    const allowed = await connect({ origin: 'https://app.example.com' });
    expect(allowed.connected).toBe(true);
  });

  it('pushes an admin’s status report to subscribers and keeps it over the feed', async () => {
    const email = `admin-${randomUUID()}@example.com`;
    await createAdmin([email, '--password', 'admin-password-123']);
    const admin = bearer((await login(api, email, 'admin-password-123')).accessToken);
    const socket = await connect();
    await subscribe(socket, '12952');
    const seen = collect(socket, 'train.status');

    const station = trainData('12952').stops[2].stationCode;
    const { body } = await api.http
      .post('/api/v1/admin/trains/12952/status')
      .set('authorization', admin)
      .send({ date: '2026-11-23', delayMinutes: 45, lastStationCode: station, departed: false, platform: '6' })
      .expect(200);
    expect(body).toMatchObject({ serviceDate: '2026-11-23', state: 'RUNNING', delayMinutes: 45, platform: '6', source: 'OPERATOR', lastStation: { code: station } });
    await drain(socket);
    expect(seen).toEqual([body]);

    // The feed's view of that run no longer overwrites the operator's.
    feed.observations = [{ ...observe('12952', { delayMinutes: 5 }), serviceDate: '2026-11-23' }];
    expect(await tick()).toMatchObject({ changed: 0 });
    const status = await api.http.get('/api/v1/trains/12952/status?date=2026-11-23').expect(200);
    expect(status.body).toMatchObject({ delayMinutes: 45, source: 'OPERATOR' });

    await api.http.post('/api/v1/admin/trains/12952/status').set('authorization', admin).send({ lastStationCode: 'QQQQ' }).expect(400);
    const user = await registerUser(api);
    await api.http.post('/api/v1/admin/trains/12952/status').set('authorization', bearer(user.body.accessToken)).send({ delayMinutes: 1 }).expect(403);
  });

  describe('REST', () => {
    it('gives the timeline with scheduled, actual and expected times', async () => {
      // Seen once, at its second stop: the feed also says when it left the first.
      feed.observations = [
        observe('12841', {
          delayMinutes: 30,
          lastStopSequence: 2,
          departedLastStop: false,
          stopTimes: [
            { sequence: 1, arrivedAt: null, departedAt: new Date('2026-11-24T11:32:00Z') },
            { sequence: 2, arrivedAt: new Date('2026-11-24T13:40:00Z'), departedAt: null },
          ],
        }),
      ];
      expect(await tick()).toMatchObject({ written: 1 });
      const { body } = await api.http.get(`/api/v1/trains/12841/timeline?date=${SERVICE_DATE}`).expect(200);
      const stops = trainData('12841').stops;
      expect(body.stops).toHaveLength(stops.length);
      expect(body.stops[0]).toMatchObject({ stationCode: stops[0].stationCode, status: 'PASSED', actualDeparture: '2026-11-24T11:32:00.000Z', expectedDeparture: null });
      expect(body.stops[1]).toMatchObject({ stationCode: stops[1].stationCode, status: 'CURRENT', actualArrival: '2026-11-24T13:40:00.000Z' });
      const third = body.stops[2];
      expect(third.status).toBe('UPCOMING');
      expect(Date.parse(third.expectedArrival) - Date.parse(third.scheduledArrival)).toBe(30 * 60_000);
      expect(body).toMatchObject({ delayMinutes: 30, nextStation: { code: stops[2].stationCode } });
    });

    it('answers 404 for a date the train does not run and 400 for a malformed date', async () => {
      const weekly = (await query<{ number: string; runs_on: string[] }>(`SELECT number, runs_on FROM trains WHERE cardinality(runs_on) < 7 ORDER BY number LIMIT 1`))[0];
      const days = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
      const offDay = days.findIndex((day) => !weekly.runs_on.includes(day));
      const date = new Date(Date.UTC(2026, 10, 23 + offDay)).toISOString().slice(0, 10); // 2026-11-23 is a Monday
      const missing = await api.http.get(`/api/v1/trains/${weekly.number}/status?date=${date}`).expect(404);
      expect(missing.body.code).toBe('RUN_NOT_FOUND');
      await api.http.get('/api/v1/trains/12951/status?date=2026-02-30').expect(400);
      await api.http.get('/api/v1/trains/99999/status').expect(404);
    });

    it('lists live arrivals and departures at a station by expected time', async () => {
      const { body } = await api.http.get('/api/v1/stations/NDLS/board?hours=12').expect(200);
      expect(body.station).toEqual({ code: 'NDLS', name: 'New Delhi' });
      expect(body.calls.length).toBeGreaterThan(0);
      const times = body.calls.map((call: Record<string, string | null>) => Date.parse((call.expectedDeparture ?? call.expectedArrival ?? call.scheduledDeparture ?? call.scheduledArrival)!));
      expect(times).toEqual([...times].sort((a: number, b: number) => a - b));
      for (const time of times) expect(time).toBeGreaterThanOrEqual(NOW.getTime());
      for (const time of times) expect(time).toBeLessThanOrEqual(NOW.getTime() + 12 * 3_600_000);
      await api.http.get('/api/v1/stations/NDLS/board?hours=48').expect(400);
      await api.http.get('/api/v1/stations/QQQQ/board').expect(404);
    });

    it('includes each favorite’s live status', async () => {
      feed.observations = [observe('12302', { delayMinutes: 30 })];
      expect(await tick()).toMatchObject({ written: 1 });
      const user = await registerUser(api);
      await api.http.put('/api/v1/me/favorites/12302').set('authorization', bearer(user.body.accessToken)).expect(201);
      const { body } = await api.http.get('/api/v1/me/favorites').set('authorization', bearer(user.body.accessToken)).expect(200);
      const status = await api.http.get('/api/v1/trains/12302/status').expect(200);
      expect(body[0].status).toEqual(status.body);
      expect(body[0].status.delayMinutes).toBe(30);
    });
  });
});
