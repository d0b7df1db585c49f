import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CLOCK } from '../src/common/clock/clock.js';
import { Metrics } from '../src/common/observability/metrics.js';
import type { LiveStatusDto, TimelineDto } from '../src/live/dto/live-status.dto.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { createTestApp, testEnv } from './app.factory.js';
import { fixtureFeedPath } from './builders/gtfs-feeds.js';
import { FeedServer, recording, recordingJson, type RecordedEntity } from './builders/trip-updates.js';
import { runImport, SOUND_TRANSIT_RULES } from './gtfs-import.js';
import { collect, connectLive, drain, type LiveClientSocket, subscribeTo, TestClock } from './live-helpers.js';
import { databaseUrl, prepareDatabase } from './test-database.js';

/**
 * The 8 recorded Sound Transit TripUpdates feeds (test/fixtures/gtfs/README.md lists their
 * defects), served in time order by a local server, each read at the instant of its header
 * timestamp. Expected times come from the recordings' original JSON, not from the code under test.
 */
const DATABASE = 'train_tracker_test_gtfs_rt_replay';
const url = databaseUrl(DATABASE);

const TRIP = (schedule: string, number: number) => `LLR_2023-03-18_${schedule}_100479_${number}`;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('GTFS-Realtime provider: the recorded Sound Transit feeds', () => {
  const feed = new FeedServer();
  const clock = new TestClock(new Date(0));
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let socket: LiveClientSocket;
  let statuses: ReturnType<typeof collect<'train.status'>>;

  const count = async (metric: 'gtfsRtTripUpdates' | 'gtfsRtStopUpdatesDropped' | 'gtfsRtTripDelaysIgnored', label?: string) => {
    const { values } = await app.get(Metrics)[metric].get();
    return values.filter((value) => label === undefined || Object.values(value.labels).includes(label)).reduce((sum, value) => sum + value.value, 0);
  };
  /** Each counter's value by its label, as numbers (prom-client's own values are live objects). */
  const snapshot = async (metric: 'gtfsRtTripUpdates' | 'gtfsRtStopUpdatesDropped') =>
    new Map((await app.get(Metrics)[metric].get()).values.map((value) => [String(Object.values(value.labels)[0]), value.value]));
  /** Serves one recording and ticks at its header's instant; what the counters gained during that tick. */
  const replay = async (name: string) => {
    clock.at = new Date(recordingJson(name).header.timestamp * 1000);
    feed.serve(recording(name));
    const before = { trips: await snapshot('gtfsRtTripUpdates'), drops: await snapshot('gtfsRtStopUpdatesDropped') };
    const report = await app.get(TrackerService).tick();
    const gained = async (metric: 'gtfsRtTripUpdates' | 'gtfsRtStopUpdatesDropped', earlier: Map<string, number>) =>
      Object.fromEntries([...(await snapshot(metric))].map(([label, value]) => [label, value - (earlier.get(label) ?? 0)] as const).filter(([, change]) => change > 0));
    return { report, trips: await gained('gtfsRtTripUpdates', before.trips), drops: await gained('gtfsRtStopUpdatesDropped', before.drops) };
  };
  const timeline = async (number: string, date: string) => (await http.get(`/api/v1/trains/${number}/timeline?date=${date}`).expect(200)).body as TimelineDto;
  const entity = (name: string, tripId: string): RecordedEntity => recordingJson(name).entity.find((candidate) => candidate.trip_update.trip.trip_id === tripId)!;

  /** Every stop still to come has the recording's own time for it. */
  const expectRecordedTimes = (line: TimelineDto, recorded: RecordedEntity, now: Date) => {
    for (const update of recorded.trip_update.stop_time_update ?? []) {
      const stop = line.stops[update.stop_sequence - 1];
      if (update.arrival && update.arrival.time * 1000 > now.getTime()) expect([stop.sequence, stop.arrival]).toEqual([stop.sequence, expect.objectContaining({ expected: iso(update.arrival.time), source: 'REALTIME' })]);
      // The destination keeps only its arrival (the catalog's rule), though Sound Transit sends a departure there too.
      if (update.departure && stop.departure && update.departure.time * 1000 > now.getTime()) expect([stop.sequence, stop.departure]).toEqual([stop.sequence, expect.objectContaining({ expected: iso(update.departure.time), source: 'REALTIME' })]);
    }
  };
  /**
   * The delay a run should show, from the recording: leaving the stop it stands at (or its origin),
   * else arriving at the next stop, against the timetable, in whole minutes.
   */
  const recordedDelay = (line: TimelineDto, recorded: RecordedEntity) => {
    const current = line.stops.find((stop) => stop.status === 'CURRENT');
    const next = line.stops.find((stop) => stop.status === 'UPCOMING')!;
    const [stop, event] = current ? [current, 'departure' as const] : next.arrival ? [next, 'arrival' as const] : [next, 'departure' as const];
    const update = recorded.trip_update.stop_time_update!.find((candidate) => candidate.stop_sequence === stop.sequence)!;
    return Math.round((update[event]!.time * 1000 - Date.parse(stop[event]!.scheduled)) / 60_000) || 0;
  };

  beforeAll(async () => {
    await prepareDatabase(DATABASE);
    expect((await runImport(url, fixtureFeedPath('sound-transit'), SOUND_TRANSIT_RULES)).code).toBe(0);
    await feed.start();
    app = await createTestApp(
      { ...testEnv(DATABASE), STATUS_PROVIDER: 'gtfs-rt', GTFS_RT_TRIP_UPDATES_URL: feed.url, GTFS_RT_TIMEOUT_MS: '300' },
      { listen: true, override: (builder) => builder.overrideProvider(CLOCK).useValue(clock) },
    );
    http = request(app.getHttpServer());
    socket = await connectLive(`http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`);
    statuses = collect(socket, 'train.status');
  }, 120_000);

  afterAll(async () => {
    socket?.close();
    await app?.close();
    await feed.stop();
  });

  describe('Wednesday 10 May 2023, 10:44:58 and 10:46:38', () => {
    const FIRST = 'trip_update_1683740698';
    let first: Awaited<ReturnType<typeof replay>>;

    beforeAll(async () => {
      expect(await subscribeTo(socket, { trainNumber: '51047' })).toMatchObject({ ok: true });
      first = await replay(FIRST);
      await drain(socket);
    });

    it('takes the scheduled trips, skips the DUPLICATED one and the one predicted two hours early, and counts them', () => {
      // 14 entities: 13 SCHEDULED (12 taken, Weekday 2062 at -2 h 20 min has nothing plausible left), 1 DUPLICATED (Weekday 1043).
      expect(first.trips).toEqual({ matched: 12, duplicated: 1, no_prediction: 1 });
      expect(first.drops).toEqual({ implausible_early: entity(FIRST, TRIP('Weekday', 2062)).trip_update.stop_time_update!.length });
      expect(first.report).toMatchObject({ ran: true, written: 12 });
    });

    it('never announces the early trip: it keeps no live data', async () => {
      expect((await http.get('/api/v1/trains/52062/status?date=2023-05-10').expect(200)).body).toMatchObject({ realtime: false, version: 0 });
      expect((await http.get('/api/v1/trains/51043/status?date=2023-05-10').expect(200)).body).toMatchObject({ realtime: false, version: 0 });
    });

    it('places a trip by its recorded times: passed stops with their times, the rest expected at theirs', async () => {
      const line = await timeline('51047', '2023-05-10');
      const recorded = entity(FIRST, TRIP('Weekday', 1047));
      const [third] = recorded.trip_update.stop_time_update!;
      // Stop 3's arrival (10:43:04) and departure (10:44:35) are behind 10:44:58.
      expect(third.stop_sequence).toBe(3);
      expect(line).toMatchObject({ state: 'RUNNING', realtime: true, lastStation: { arrivedAt: iso(third.arrival!.time), departedAt: iso(third.departure!.time) } });
      expect(line.stops[2]).toMatchObject({ status: 'PASSED', actualTimes: 'RECORDED', arrival: { expected: iso(third.arrival!.time), source: 'REALTIME' } });
      expect(line.stops.slice(0, 2).map((stop) => [stop.status, stop.actualTimes])).toEqual([['PASSED', 'NO_DATA'], ['PASSED', 'NO_DATA']]);
      expectRecordedTimes(line, recorded, clock.now());
      expect(line.delayMinutes).toBe(recordedDelay(line, recorded));
    });

    it('takes the stop times over a trip-level delay that contradicts them (Weekday 1048: -839 s, stops on time)', async () => {
      const recorded = entity(FIRST, TRIP('Weekday', 1048));
      expect(recorded.trip_update.delay).toBe(-839);
      const line = await timeline('51048', '2023-05-10');
      expect(line).toMatchObject({ state: 'SCHEDULED', delayMinutes: 0, realtime: true });
      expectRecordedTimes(line, recorded, clock.now());
      expect(await count('gtfsRtTripDelaysIgnored')).toBeGreaterThanOrEqual(1);
    });

    it('follows the next feed: new times, pushed to subscribers', async () => {
      const SECOND = 'trip_update_1683740798';
      const second = await replay(SECOND);
      await drain(socket);
      expect(second.trips).toEqual({ matched: 12, duplicated: 1, no_prediction: 1 });
      const line = await timeline('51047', '2023-05-10');
      expectRecordedTimes(line, entity(SECOND, TRIP('Weekday', 1047)), clock.now());
      const pushed = statuses.filter((status) => status.train.number === '51047');
      expect(pushed.map((status) => status.version)).toEqual([1, 2]);
      expect(pushed.at(-1)).toMatchObject({ realtime: true, lastDataAt: clock.now().toISOString(), nextStation: { arrival: { source: 'REALTIME' } } });
    });
  });

  it('a Sunday trip sent on a Wednesday (12:17:03) has no run that day: skipped and counted', async () => {
    const bad = await replay('trip_update_1683746223_bad');
    // Sunday 1107 (DUPLICATED) does not run on Wednesdays; Weekday 1068 is predicted 2 h 21 min early.
    expect(bad.trips).toEqual({ matched: 12, not_running: 1, no_prediction: 1 });
    await http.get('/api/v1/trains/71107/status?date=2023-05-10').expect(404);
  });

  describe('Friday 12 May 2023: three feeds of one morning', () => {
    const FEEDS = ['trip_update_1683914528', 'trip_update_1683915543', 'trip_update_1683915993'];
    const runs: Array<{ name: string; replayed: Awaited<ReturnType<typeof replay>>; status: LiveStatusDto; line: TimelineDto }> = [];

    beforeAll(async () => {
      expect(await subscribeTo(socket, { trainNumber: '52049' })).toMatchObject({ ok: true });
      statuses.length = 0;
      for (const name of FEEDS) {
        const replayed = await replay(name);
        runs.push({ name, replayed, status: (await http.get('/api/v1/trains/52049/status?date=2023-05-12').expect(200)).body, line: await timeline('52049', '2023-05-12') });
      }
      await drain(socket);
    });

    it('skips the second of two entities for the same trip, and counts it', () => {
      expect(runs[0].replayed.trips).toMatchObject({ duplicate_entity: 1, duplicated: 1 });
      expect(runs[1].replayed.trips).toMatchObject({ duplicate_entity: 1, duplicated: 1 });
      expect(runs[2].replayed.trips.duplicate_entity).toBeUndefined();
    });

    it('moves Weekday 2049 on with each feed: its recorded times, and the delay at its next stop', () => {
      for (const { name, status, line } of runs) {
        const recorded = entity(name, TRIP('Weekday', 2049));
        expect(status.realtime).toBe(true);
        expectRecordedTimes(line, recorded, new Date(recordingJson(name).header.timestamp * 1000));
        expect(status.delayMinutes).toBe(recordedDelay(line, recorded));
      }
      const progress = runs.map(({ line }) => line.stops.filter((stop) => stop.status === 'PASSED').length);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress[2]).toBeGreaterThan(progress[0]);
    });

    it('pushes each change to subscribers', () => {
      const pushed = statuses.filter((status) => status.train.number === '52049');
      expect(pushed.map((status) => status.delayMinutes)).toEqual(runs.map(({ status }) => status.delayMinutes));
    });

    it('shows no live data once the server stops answering, with the age of the last feed', async () => {
      feed.respond({ kind: 'silent' });
      const last = new Date(recordingJson(FEEDS[2]).header.timestamp * 1000);
      clock.at = new Date(last.getTime() + 6 * 60_000);
      statuses.length = 0;
      await app.get(TrackerService).tick();
      await drain(socket);
      const status = (await http.get('/api/v1/trains/52049/status?date=2023-05-12').expect(200)).body as LiveStatusDto;
      expect(status).toMatchObject({ realtime: false, dataAgeSeconds: 360, lastDataAt: last.toISOString(), state: 'RUNNING' });
      expect(status.nextStation!.arrival).toEqual({ scheduled: status.nextStation!.arrival.scheduled, expected: status.nextStation!.arrival.scheduled, source: 'SCHEDULE' });
      expect(statuses.filter((pushed) => pushed.train.number === '52049')).toEqual([expect.objectContaining({ realtime: false, dataAgeSeconds: 360 })]);
    });
  });

  it('Saturday 29 July: drops the repeated stop sequences of the DUPLICATED trip and skips the trip', async () => {
    const saturday = await replay('TripUpdate-DUPLICATED-1690679342');
    // Saturday 2021 (DUPLICATED) lists stop_sequence 10-19 twice.
    expect(saturday.drops).toEqual({ repeated_sequence: 10 });
    expect(saturday.trips).toEqual({ matched: 14, duplicated: 1 });
  });

  it('Monday 31 July, a day past the calendar: no trip runs that day, so none is taken, the empty DUPLICATED one included', async () => {
    const monday = await replay('TripUpdate-DUPLICATED-Empty-1690865133');
    expect(monday.trips).toEqual({ not_running: 15 });
    expect(monday.report).toMatchObject({ written: 0 });
    await http.get('/api/v1/trains/51115/status?date=2023-07-31').expect(404);
  });
});
