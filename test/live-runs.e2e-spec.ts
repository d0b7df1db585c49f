import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CLOCK } from '../src/common/clock/clock.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { TRAIN_STATUS_PROVIDER } from '../src/tracking/train-status-provider.js';
import { testEnv, useTestApp } from './app.factory.js';
import { bearer, registerUser } from './auth-helpers.js';
import { observedStatus, runningStatus } from './builders/observed-status.js';
import { trainData } from './demo-data.js';
import { collect, connectLive, drain, type LiveClientSocket, ScriptedStatusProvider, subscribeTo, TestClock } from './live-helpers.js';
import { query } from './test-database.js';

// 15:30 in India on Wednesday 2026-11-25. 12860 Gitanjali Express leaves Howrah at 13:50 daily
// and reaches Mumbai at 21:20 the next day, so its runs of the 24th and the 25th are both on the line.
const NOW = new Date('2026-11-25T10:00:00Z');

describe('runs of one train', () => {
  const feed = new ScriptedStatusProvider();
  const clock = new TestClock(NOW);
  const api = useTestApp(testEnv('train_tracker_test_live_runs'), {
    listen: true,
    override: (builder) => builder.overrideProvider(TRAIN_STATUS_PROVIDER).useValue(feed).overrideProvider(CLOCK).useValue(clock),
  });
  const sockets: LiveClientSocket[] = [];
  const tick = () => api.app.get(TrackerService).tick();
  let ids: Record<string, string>;

  beforeAll(async () => {
    const rows = await query<{ id: string; number: string }>(`SELECT id, number FROM trains WHERE number IN ('12860', '12951', '12301', '22436')`);
    ids = Object.fromEntries(rows.map((row) => [row.number, row.id]));
  });
  afterAll(() => sockets.forEach((socket) => socket.close()));
  const connect = async (token?: string) => {
    const socket = await connectLive(api.url, token === undefined ? {} : { token });
    sockets.push(socket);
    return socket;
  };

  describe('two runs on the line at once (defect a)', () => {
    it('acknowledges a subscription with every active run, each named by its service date', async () => {
      const socket = await connect();
      const ack = await subscribeTo(socket, { trainNumber: '12860' });
      expect(ack.ok).toBe(true);
      if (!ack.ok) return;
      expect(ack.runs.map((run) => [run.serviceDate, run.version, run.realtime])).toEqual([
        ['2026-11-24', 0, false],
        ['2026-11-25', 0, false],
      ]);
      // The default run is the latest one on the line, as GET /status gives it.
      expect(ack.status).toMatchObject({ serviceDate: '2026-11-25' });
    });

    it('pushes each run’s changes with its own service date and versions, and notifies of each run by date', async () => {
      const follower = await registerUser(api);
      await api.http.put('/api/v1/me/favorites/12860').set('authorization', bearer(follower.body.accessToken)).expect(201);
      const socket = await connect(follower.body.accessToken);
      await subscribeTo(socket, { trainNumber: '12860' });
      const statuses = collect(socket, 'train.status');
      const notified = collect(socket, 'notification');

      const day = (serviceDate: string, lastStopSequence: number, delayMinutes: number) =>
        runningStatus({ trainId: ids['12860'], trainNumber: '12860', serviceDate, lastStopSequence, delayMinutes });
      feed.observations = [day('2026-11-24', 12, 22), day('2026-11-25', 2, 16)];
      expect(await tick()).toMatchObject({ written: 2 });
      feed.observations = [day('2026-11-24', 12, 35)];
      expect(await tick()).toMatchObject({ written: 1 });
      await drain(socket);

      expect(statuses.map((status) => [status.serviceDate, status.version, status.delayMinutes])).toEqual([
        ['2026-11-24', 1, 22],
        ['2026-11-25', 1, 16],
        ['2026-11-24', 2, 35],
      ]);
      // Kept per run, as the README's client does, no update is stale.
      const latest = new Map<string, number>();
      for (const status of statuses) {
        const key = `${status.train.number}:${status.serviceDate}`;
        expect(status.version).toBeGreaterThan(latest.get(key) ?? 0);
        latest.set(key, status.version);
      }
      const delays = notified.filter((notification) => notification.type === 'DELAY');
      expect(delays.map((notification) => [notification.runDate, notification.title])).toEqual([
        ['2026-11-24', '12860 (24 Nov) is running 22 min late'],
        ['2026-11-25', '12860 (25 Nov) is running 16 min late'],
        ['2026-11-24', '12860 (24 Nov) is running 35 min late'],
      ]);
      for (const notification of notified) expect(notification.data).toMatchObject({ serviceDate: notification.runDate });
    });
  });

  describe('the station board (defect c)', () => {
    // 10:00 in India on the 25th: 12951 of the 24th reached New Delhi, its destination, at 08:40;
    // 12301 of the 24th is 20 min late on its last leg, due at New Delhi at 10:20.
    const boardNow = new Date('2026-11-25T04:30:00Z');

    it('lists calls still to come, not a train that finished its journey here', async () => {
      clock.at = boardNow;
      const stops12951 = trainData('12951').stops.length;
      const stops12301 = trainData('12301').stops.length;
      feed.observations = [
        observedStatus({ trainId: ids['12951'], trainNumber: '12951', serviceDate: '2026-11-24', phase: 'ARRIVED', delayMinutes: 8, lastStopSequence: stops12951 }),
        runningStatus({ trainId: ids['12301'], trainNumber: '12301', serviceDate: '2026-11-24', delayMinutes: 20, lastStopSequence: stops12301 - 1 }),
      ];
      await tick();
      const { body } = await api.http.get('/api/v1/stations/NDLS/board?hours=1').expect(200);
      const calls = body.calls.map((call: { train: { number: string }; serviceDate: string }) => `${call.train.number}:${call.serviceDate}`);
      expect(calls).not.toContain('12951:2026-11-24');
      expect(calls).toContain('12301:2026-11-24');
      const late = body.calls.find((call: { train: { number: string } }) => call.train.number === '12301');
      expect(late).toMatchObject({ realtime: true, delayMinutes: 20, expectedArrival: '2026-11-25T04:50:00.000Z' });
      expect(body).toMatchObject({ from: boardNow.toISOString(), asOf: boardNow.toISOString() });
    });

    it('keeps a late train it has live data for until it is reported at the station', async () => {
      // 10:30: 12301 was expected at 10:20 but has not been reported there yet.
      clock.at = new Date('2026-11-25T05:00:00Z');
      const { body } = await api.http.get('/api/v1/stations/NDLS/board?hours=1').expect(200);
      expect(body.calls.map((call: { train: { number: string } }) => call.train.number)).toContain('12301');
      // Reported arrived: gone from the board.
      feed.observations = [
        observedStatus({ trainId: ids['12301'], trainNumber: '12301', serviceDate: '2026-11-24', phase: 'ARRIVED', delayMinutes: 32, lastStopSequence: trainData('12301').stops.length }),
      ];
      await tick();
      const after = await api.http.get('/api/v1/stations/NDLS/board?hours=1').expect(200);
      expect(after.body.calls.map((call: { train: { number: string } }) => call.train.number)).not.toContain('12301');
    });
  });

  describe('the station board of a busy station', () => {
    it('is worked out once a second: a request within the second gets that board, a later one a new board', async () => {
      const first = new Date('2026-11-25T05:10:00Z');
      clock.at = first;
      const board = async () => (await api.http.get('/api/v1/stations/NDLS/board?hours=2').expect(200)).body;
      const worked = await board();
      expect(worked.from).toBe(first.toISOString());
      clock.at = new Date(first.getTime() + 999);
      expect(await board()).toEqual(worked);
      // Another window is another board.
      expect((await api.http.get('/api/v1/stations/NDLS/board?hours=3').expect(200)).body.from).toBe(clock.at.toISOString());
      clock.at = new Date(first.getTime() + 1000);
      expect((await board()).from).toBe(clock.at.toISOString());
    });
  });

  describe('dates served and runs without data (defect d)', () => {
    it('answers 404 RUN_NOT_FOUND for a date outside the window of served dates', async () => {
      clock.at = NOW;
      for (const date of ['2020-01-01', '2026-11-17', '2026-12-03']) {
        const { body } = await api.http.get(`/api/v1/trains/12951/status?date=${date}`).expect(404);
        expect(body).toMatchObject({ code: 'RUN_NOT_FOUND', status: 404 });
        expect(body.detail).toContain('2026-11-18 to 2026-12-02');
        await api.http.get(`/api/v1/trains/12951/timeline?date=${date}`).expect(404);
      }
    });

    it('lists the service dates it serves for a train: the days it runs within the window, and the default run', async () => {
      clock.at = NOW;
      // 22435 runs on Tuesdays, Wednesdays, Fridays, Saturdays and Sundays; today is Wednesday the 25th.
      const weekdays = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
      const expected = Array.from({ length: 15 }, (_, day) => new Date(Date.UTC(2026, 10, 18 + day)))
        .filter((date) => trainData('22435').runsOn.includes(weekdays[date.getUTCDay()]))
        .map((date) => date.toISOString().slice(0, 10));
      const { body } = await api.http.get('/api/v1/trains/22435/runs').expect(200);
      expect(body).toEqual({ train: { number: '22435', name: trainData('22435').name }, timeZone: 'Asia/Kolkata', current: '2026-11-25', serviceDates: expected });
      expect(expected).toHaveLength(11);
      for (const date of [expected[0], expected.at(-1)]) await api.http.get(`/api/v1/trains/22435/status?date=${date}`).expect(200);
      // 12951 reached New Delhi this morning; the default run is this evening's.
      const daily = await api.http.get('/api/v1/trains/12951/runs').expect(200);
      expect(daily.body).toMatchObject({ current: '2026-11-25' });
      expect(daily.body.serviceDates).toHaveLength(15);
      const unknown = await api.http.get('/api/v1/trains/99999/runs').expect(404);
      expect(unknown.body).toMatchObject({ code: 'TRAIN_NOT_FOUND' });
    });

    it('says a run nobody has reported on has no live data, rather than looking on time', async () => {
      const { body } = await api.http.get('/api/v1/trains/12951/status?date=2026-12-02').expect(200);
      expect(body).toMatchObject({ serviceDate: '2026-12-02', state: 'SCHEDULED', realtime: false, version: 0, updatedAt: null });
      const observed = await api.http.get('/api/v1/trains/12951/status?date=2026-11-24').expect(200);
      expect(observed.body).toMatchObject({ realtime: true, version: 1, state: 'ARRIVED' });
    });
  });

  describe('timeline of a source without past data (defect e)', () => {
    it('shows the stops passed without times as NO_DATA, not as blanks', async () => {
      // 22436 New Delhi 06:00 → Varanasi 14:00 on Wednesdays: first seen at its third stop.
      clock.at = new Date('2026-11-25T05:30:00Z');
      feed.observations = [runningStatus({ trainId: ids['22436'], trainNumber: '22436', serviceDate: '2026-11-25', lastStopSequence: 3, departedLastStop: false })];
      await tick();
      const { body } = await api.http.get('/api/v1/trains/22436/timeline?date=2026-11-25').expect(200);
      expect(body.stops.map((stop: { actualTimes: string }) => stop.actualTimes)).toEqual(['NO_DATA', 'NO_DATA', 'RECORDED', 'PENDING']);
      expect(body.stops[2]).toMatchObject({ status: 'CURRENT', actualArrival: '2026-11-25T05:30:00.000Z' });
    });
  });

  describe('one clock (defect i)', () => {
    it('stamps responses, events and notifications with the app clock, and says when each was computed', async () => {
      const at = new Date('2026-11-25T11:00:00Z');
      clock.at = at;
      const follower = await registerUser(api);
      const favorite = await api.http.put('/api/v1/me/favorites/12860').set('authorization', bearer(follower.body.accessToken)).expect(201);
      expect(favorite.body.addedAt).toBe(at.toISOString());
      const socket = await connect(follower.body.accessToken);
      await subscribeTo(socket, { trainNumber: '12860' });
      const statuses = collect(socket, 'train.status');
      const notified = collect(socket, 'notification');

      feed.observations = [runningStatus({ trainId: ids['12860'], trainNumber: '12860', serviceDate: '2026-11-25', lastStopSequence: 3, delayMinutes: 40 })];
      await tick();
      await drain(socket);
      expect(statuses.map((status) => [status.asOf, status.updatedAt])).toEqual([[at.toISOString(), at.toISOString()]]);
      expect(notified.map((notification) => notification.createdAt)).toEqual([at.toISOString()]);

      const inbox = await api.http.get('/api/v1/me/notifications').set('authorization', bearer(follower.body.accessToken)).expect(200);
      expect(inbox.body.items[0].createdAt).toBe(at.toISOString());
      const status = await api.http.get('/api/v1/trains/12860/status?date=2026-11-25').expect(200);
      expect(status.body.asOf).toBe(at.toISOString());
      const timeline = await api.http.get('/api/v1/trains/12860/timeline?date=2026-11-25').expect(200);
      expect(timeline.body.asOf).toBe(at.toISOString());

      clock.at = new Date('2026-11-25T11:05:00Z');
      const read = await api.http.patch(`/api/v1/me/notifications/${inbox.body.items[0].id}/read`).set('authorization', bearer(follower.body.accessToken)).expect(200);
      expect(read.body.readAt).toBe('2026-11-25T11:05:00.000Z');
    });
  });
});
