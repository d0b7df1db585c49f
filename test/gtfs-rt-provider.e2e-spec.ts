import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CLOCK } from '../src/common/clock/clock.js';
import { Metrics } from '../src/common/observability/metrics.js';
import type { TimelineDto } from '../src/live/dto/live-status.dto.js';
import type { StationBoardDto } from '../src/live/dto/board.dto.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { createAdmin } from '../src/users/create-admin.command.js';
import { bearer, login } from './auth-helpers.js';
import { createTestApp, testEnv } from './app.factory.js';
import { fixtureFeedPath } from './builders/gtfs-feeds.js';
import { encodeFeed, FeedServer, NOW, pdt, trip1115, trip1116, trip2120, unshowable } from './builders/trip-updates.js';
import { runImport, SOUND_TRANSIT_RULES } from './gtfs-import.js';
import { collect, connectLive, drain, type LiveClientSocket, subscribeTo, TestClock } from './live-helpers.js';
import { databaseUrl, prepareDatabase } from './test-database.js';

/**
 * The GTFS-Realtime provider end to end, on feeds written with the bindings for what the recorded
 * Sound Transit feeds lack: SKIPPED and NO_DATA stops, a CANCELED trip, platform changes, trips the
 * catalog cannot show, and a feed that goes quiet. The Sound Transit timetable is imported into a
 * database of its own; the app polls a local feed server at every tick, on a clock the test sets.
 */
const DATABASE = 'train_tracker_test_gtfs_rt';
const url = databaseUrl(DATABASE);

describe('GTFS-Realtime provider: rules on feeds written for them', () => {
  const feed = new FeedServer();
  const clock = new TestClock(NOW);
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let base: string;
  let socket: LiveClientSocket;
  let statuses: ReturnType<typeof collect<'train.status'>>;

  const tick = () => app.get(TrackerService).tick();
  const counter = async (metric: 'gtfsRtPolls' | 'gtfsRtTripUpdates' | 'gtfsRtStopUpdatesDropped', label: string) => {
    const { values } = await app.get(Metrics)[metric].get();
    return values.filter((value) => Object.values(value.labels).includes(label)).reduce((sum, value) => sum + value.value, 0);
  };
  const timeline = async (number: string) => (await http.get(`/api/v1/trains/${number}/timeline?date=2023-05-10`).expect(200)).body as TimelineDto;

  beforeAll(async () => {
    await prepareDatabase(DATABASE);
    const imported = await runImport(url, fixtureFeedPath('sound-transit'), SOUND_TRANSIT_RULES);
    expect(imported.code).toBe(0);
    await feed.start();
    app = await createTestApp(
      {
        ...testEnv(DATABASE),
        STATUS_PROVIDER: 'gtfs-rt',
        GTFS_RT_TRIP_UPDATES_URL: feed.url,
        GTFS_RT_HEADERS: '{"x-api-key":"key-of-the-test"}',
        GTFS_RT_TIMEOUT_MS: '300',
      },
      { listen: true, override: (builder) => builder.overrideProvider(CLOCK).useValue(clock) },
    );
    http = request(app.getHttpServer());
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    socket = await connectLive(base);
    statuses = collect(socket, 'train.status');
    for (const number of ['51115', '51116', '52120']) expect(await subscribeTo(socket, { trainNumber: number })).toMatchObject({ ok: true });
    feed.serve(encodeFeed(NOW, [trip1115, trip1116, trip2120, ...unshowable]), '"v1"');
    await tick();
    await drain(socket);
  }, 120_000);

  afterAll(async () => {
    socket?.close();
    await app?.close();
    await feed.stop();
  });

  it('polls the feed with the configured API key header', () => {
    expect(feed.requests[0]).toMatchObject({ 'x-api-key': 'key-of-the-test' });
  });

  it('carries a delay forward through a SKIPPED stop until a NO_DATA stop, and shows the skipped stop as skipped', async () => {
    const { stops, state, delayMinutes, realtime } = await timeline('51115');
    expect({ state, delayMinutes, realtime }).toEqual({ state: 'RUNNING', delayMinutes: 4, realtime: true });
    const arrivals = stops.map((stop) => [stop.sequence, stop.status, stop.arrival?.expected ?? null, stop.arrival?.source ?? null]);
    const late = (clock: string, minutes: number) => new Date(pdt(clock).getTime() + minutes * 60_000).toISOString();
    expect(arrivals).toEqual([
      // Stops 1-3 are behind the train (the first update's delay puts them in the past), with no times given.
      [1, 'PASSED', null, null],
      [2, 'PASSED', null, null],
      [3, 'PASSED', null, null],
      [4, 'UPCOMING', late('21:01:00', 4), 'REALTIME'],
      [5, 'SKIPPED', null, null],
      [6, 'UPCOMING', late('21:08:00', 4), 'PROPAGATED'],
      [7, 'UPCOMING', late('21:11:00', 4), 'PROPAGATED'],
      [8, 'UPCOMING', late('21:14:00', 4), 'PROPAGATED'],
      [9, 'UPCOMING', late('21:17:00', 4), 'PROPAGATED'],
      [10, 'UPCOMING', late('21:19:00', 0), 'SCHEDULE'],
      [11, 'UPCOMING', late('21:21:00', 0), 'SCHEDULE'],
      [12, 'UPCOMING', late('21:23:00', 2), 'REALTIME'],
      [13, 'UPCOMING', late('21:24:00', 2), 'PROPAGATED'],
      [14, 'UPCOMING', late('21:26:00', 2), 'PROPAGATED'],
      [15, 'UPCOMING', late('21:29:00', 2), 'PROPAGATED'],
      [16, 'UPCOMING', late('21:33:00', 2), 'PROPAGATED'],
      [17, 'UPCOMING', late('21:36:00', 2), 'PROPAGATED'],
      [18, 'UPCOMING', late('21:38:00', 2), 'PROPAGATED'],
      [19, 'UPCOMING', late('21:42:00', 2), 'REALTIME'],
    ]);
    // Stop 4's departure is its own; stop 12's follows its arrival's delay.
    expect(stops[3].departure).toEqual({ scheduled: pdt('21:02:00').toISOString(), expected: pdt('21:06:00').toISOString(), source: 'REALTIME' });
    expect(stops[11].departure).toEqual({ scheduled: pdt('21:24:00').toISOString(), expected: late('21:24:00', 2), source: 'PROPAGATED' });
    // The legacy fields agree with the new ones.
    expect(stops.map((stop) => stop.expectedArrival)).toEqual(stops.map((stop) => (stop.status === 'UPCOMING' ? stop.arrival!.expected : null)));
  });

  it('shows a platform assigned to another platform of the same station as a platform change', async () => {
    const { stops } = await timeline('51115');
    expect(stops[18]).toMatchObject({ stationCode: 'N11', platform: 'T1', platforms: { planned: 'T2', current: 'T1' } });
    const origin = await timeline('52120');
    expect(origin.stops[0]).toMatchObject({ stationCode: 'N11', platform: 'T2', platforms: { planned: 'T1', current: 'T2' } });
    expect(origin.platform).toBe('T2');
    const board = (await http.get('/api/v1/stations/N11/board?hours=2').expect(200)).body as StationBoardDto;
    const calls = Object.fromEntries(board.calls.map((call) => [call.train.number, call]));
    expect(calls['51115']).toMatchObject({ platform: 'T1', platforms: { planned: 'T2', current: 'T1' }, realtime: true, arrival: { source: 'REALTIME' } });
    expect(calls['52120']).toMatchObject({ platform: 'T2', platforms: { planned: 'T1', current: 'T2' }, departure: { source: 'REALTIME' } });
  });

  it('keeps the first of a repeated stop_sequence and drops a stop assigned to another station', async () => {
    const { stops } = await timeline('52120');
    expect(stops[0].departure).toMatchObject({ expected: pdt('21:14:00').toISOString(), source: 'REALTIME' });
    // Stop 2's update was dropped: the origin's delay carries on to it.
    expect(stops[1].arrival).toMatchObject({ expected: pdt('21:17:00').toISOString(), source: 'PROPAGATED' });
    expect(await counter('gtfsRtStopUpdatesDropped', 'repeated_sequence')).toBe(1);
    expect(await counter('gtfsRtStopUpdatesDropped', 'other_station')).toBe(1);
  });

  it('shows a CANCELED trip as a cancelled run, pushed to its subscribers', async () => {
    expect(await timeline('51116')).toMatchObject({ state: 'CANCELLED', realtime: true, source: 'PROVIDER' });
    const pushed = statuses.filter((status) => status.train.number === '51116');
    expect(pushed.at(-1)).toMatchObject({ state: 'CANCELLED', serviceDate: '2023-05-10', realtime: true });
  });

  it('pushes where each expected time comes from over the socket', () => {
    const pushed = statuses.filter((status) => status.train.number === '51115').at(-1)!;
    expect(pushed).toMatchObject({
      realtime: true,
      dataAgeSeconds: 0,
      lastDataAt: NOW.toISOString(),
      nextStation: { arrival: { scheduled: pdt('21:01:00').toISOString(), expected: pdt('21:05:00').toISOString(), source: 'REALTIME' } },
    });
  });

  it('counts what it cannot show, one outcome per entity, and shows none of it', async () => {
    expect(await counter('gtfsRtTripUpdates', 'matched')).toBe(2);
    expect(await counter('gtfsRtTripUpdates', 'cancelled')).toBe(1);
    expect(await counter('gtfsRtTripUpdates', 'added')).toBe(1);
    expect(await counter('gtfsRtTripUpdates', 'unknown_trip')).toBe(1);
    expect(await counter('gtfsRtTripUpdates', 'not_running')).toBe(1);
    expect(await counter('gtfsRtTripUpdates', 'duplicate_entity')).toBe(1);
    // The Sunday trip's train (71107) has no run on that Wednesday.
    await http.get('/api/v1/trains/71107/status?date=2023-05-10').expect(404);
  });

  it('asks again with the ETag and keeps the runs when the feed has not changed', async () => {
    clock.advance(30_000);
    const before = await counter('gtfsRtPolls', 'not_modified');
    expect(await tick()).toMatchObject({ ran: true, written: 0 });
    expect(feed.requests.at(-1)).toMatchObject({ 'if-none-match': '"v1"' });
    expect(await counter('gtfsRtPolls', 'not_modified')).toBe(before + 1);
    expect(await timeline('51115')).toMatchObject({ realtime: true, dataAgeSeconds: 30 });
  });

  it('logs and counts HTTP errors and bodies that are no FeedMessage, and keeps the last data', async () => {
    feed.respond({ kind: 'status', status: 500 });
    await tick();
    feed.respond({ kind: 'garbage' });
    await tick();
    expect(await counter('gtfsRtPolls', 'http_error')).toBe(1);
    expect(await counter('gtfsRtPolls', 'undecodable')).toBe(1);
    expect(await timeline('51115')).toMatchObject({ state: 'RUNNING', delayMinutes: 4, realtime: true });
  });

  it('refuses a feed older than the one it read, and one older than the freshness limit', async () => {
    const before = await counter('gtfsRtPolls', 'stale');
    feed.serve(encodeFeed(new Date(NOW.getTime() - 60_000), [{ ...trip1115, tripUpdate: { ...trip1115.tripUpdate, stopTimeUpdate: [] } }]));
    await tick();
    feed.serve(encodeFeed(new Date(clock.now().getTime() - 301_000), [trip1115]));
    await tick();
    expect(await counter('gtfsRtPolls', 'stale')).toBe(before + 2);
    expect((await timeline('51115')).stops[3].arrival).toMatchObject({ source: 'REALTIME' });
  });

  describe('a feed that stops answering', () => {
    let quiet: TimelineDto;

    beforeAll(async () => {
      feed.respond({ kind: 'silent' });
      statuses.length = 0;
      // Past the freshness limit (300 s) since the last feed read (at NOW).
      clock.at = new Date(NOW.getTime() + 301_000);
      await tick();
      await drain(socket);
      quiet = await timeline('51115');
    });

    it('times out, and the run shows no live data with the age of its last data, not "on time"', async () => {
      expect(await counter('gtfsRtPolls', 'timeout')).toBeGreaterThanOrEqual(1);
      expect(quiet).toMatchObject({ realtime: false, dataAgeSeconds: 301, lastDataAt: NOW.toISOString(), state: 'RUNNING' });
      const upcoming = quiet.stops.filter((stop) => stop.status === 'UPCOMING');
      expect(upcoming.length).toBeGreaterThan(0);
      expect(upcoming.every((stop) => stop.arrival!.source === 'SCHEDULE' && stop.arrival!.expected === stop.arrival!.scheduled)).toBe(true);
    });

    it('says so on the status, the board and the socket', async () => {
      expect((await http.get('/api/v1/trains/51115/status?date=2023-05-10').expect(200)).body).toMatchObject({ realtime: false, dataAgeSeconds: 301 });
      const board = (await http.get('/api/v1/stations/N11/board?hours=2').expect(200)).body as StationBoardDto;
      expect(board.calls.find((call) => call.train.number === '51115')).toMatchObject({ realtime: false, dataAgeSeconds: 301, arrival: { source: 'SCHEDULE' } });
      expect(statuses.filter((status) => status.train.number === '51115')).toEqual([expect.objectContaining({ realtime: false, dataAgeSeconds: 301 })]);
    });

    it('keeps the last word of a run that is over (cancelled)', async () => {
      expect(await timeline('51116')).toMatchObject({ state: 'CANCELLED', realtime: true });
    });

    it('pushes "no live data" once, not at every tick', async () => {
      clock.advance(10_000);
      expect(await tick()).toMatchObject({ written: 0 });
    });
  });

  describe('an operator report', () => {
    it('outranks the feed when it answers again', async () => {
      const email = `admin-${randomUUID()}@example.com`;
      await createAdmin([email, '--password', 'admin-password-123']);
      const admin = bearer((await login({ http }, email, 'admin-password-123')).accessToken);
      await http.post('/api/v1/admin/trains/51115/status').set('authorization', admin).send({ date: '2023-05-10', delayMinutes: 12 }).expect(200);
      feed.serve(encodeFeed(clock.now(), [trip1115]));
      await tick();
      expect(await timeline('51115')).toMatchObject({ source: 'OPERATOR', delayMinutes: 12, realtime: true });
    });
  });
});
