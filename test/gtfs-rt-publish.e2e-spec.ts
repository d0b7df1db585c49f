import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CLOCK } from '../src/common/clock/clock.js';
import { Metrics } from '../src/common/observability/metrics.js';
import type { TimelineDto } from '../src/live/dto/live-status.dto.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { createTestApp, TEST_JWT_SECRET, testEnv } from './app.factory.js';
import { fixtureFeedPath } from './builders/gtfs-feeds.js';
import { decodeFeed, encodeFeed, FeedServer, NOW, trip1115, trip1116, trip2120 } from './builders/trip-updates.js';
import { runImport, SOUND_TRANSIT_RULES } from './gtfs-import.js';
import { freePort, InstanceProcess } from './instance-process.js';
import { TestClock } from './live-helpers.js';
import { waitFor } from './redis-process.js';
import { databaseUrl, prepareDatabase } from './test-database.js';

/**
 * GET /gtfs-rt/trip-updates publishes the live state as GTFS-Realtime, and a second instance of
 * the app whose provider reads it ends up with the same run states. Instance A reads an operator
 * feed (skipped and no-data stops, a cancelled trip, platform changes) on a clock held at NOW;
 * instance B is a real process from dist/ with its own database (the same static feed imported),
 * its clock held at the same instant, ticking every second on A's published feed.
 */
const DATABASE_A = 'train_tracker_test_gtfs_rt_pub';
const DATABASE_B = 'train_tracker_test_gtfs_rt_pub_b';
const FEED_PATH = '/api/v1/gtfs-rt/trip-updates';
const TRAINS = ['51115', '51116', '52120'];

describe('GTFS-Realtime: our own TripUpdates feed', () => {
  const operator = new FeedServer();
  const clock = new TestClock(NOW);
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let base: string;
  const builds = async () => (await app.get(Metrics).gtfsRtFeedBuilds.get()).values.reduce((sum, value) => sum + value.value, 0);
  const timeline = async (from: string, number: string) => {
    const response = await fetch(`${from}/api/v1/trains/${number}/timeline?date=2023-05-10`);
    expect(response.status).toBe(200);
    return (await response.json()) as TimelineDto;
  };

  beforeAll(async () => {
    await prepareDatabase(DATABASE_A);
    expect((await runImport(databaseUrl(DATABASE_A), fixtureFeedPath('sound-transit'), SOUND_TRANSIT_RULES)).code).toBe(0);
    await operator.start();
    app = await createTestApp(
      { ...testEnv(DATABASE_A), STATUS_PROVIDER: 'gtfs-rt', GTFS_RT_TRIP_UPDATES_URL: operator.url, GTFS_RT_TIMEOUT_MS: '1000' },
      { listen: true, override: (builder) => builder.overrideProvider(CLOCK).useValue(clock) },
    );
    http = request(app.getHttpServer());
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    operator.serve(encodeFeed(NOW, [trip1115, trip1116, trip2120]));
    await app.get(TrackerService).tick();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await operator.stop();
  });

  it('serves every run with live data as a FeedMessage that decodes with the bindings, named by the imported trip ids', async () => {
    const response = await http.get(FEED_PATH).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-protobuf/);
    const feed = decodeFeed(response.body as Buffer);
    expect(feed.header).toEqual({ gtfsRealtimeVersion: '2.0', incrementality: 'FULL_DATASET', timestamp: NOW.getTime() / 1000 });
    const trips = Object.fromEntries((feed.entity ?? []).map((entity) => [entity.tripUpdate.trip.tripId as string, entity.tripUpdate]));
    expect(Object.keys(trips).sort()).toEqual([trip1115, trip1116, trip2120].map((entity) => entity.tripUpdate.trip.tripId).sort());
    expect(trips[trip1116.tripUpdate.trip.tripId].trip).toMatchObject({ startDate: '20230510', startTime: '20:56:00', scheduleRelationship: 'CANCELED' });
    const stops = trips[trip1115.tripUpdate.trip.tripId].stopTimeUpdate!;
    const bySequence = new Map(stops.map((stop) => [stop.stopSequence, stop]));
    // Passed stops without recorded times are left out; skipped, no-data and reassigned stops say so.
    expect(Math.min(...bySequence.keys() as Iterable<number>)).toBe(4);
    expect(bySequence.get(4)).toMatchObject({ stopId: '55578', arrival: { delay: 240 }, departure: { delay: 240 } });
    expect(bySequence.get(5)).toMatchObject({ stopId: '55656', scheduleRelationship: 'SKIPPED' });
    expect(bySequence.get(10)).toMatchObject({ scheduleRelationship: 'NO_DATA' });
    expect(bySequence.get(19)).toMatchObject({ stopId: '990006', arrival: { delay: 120 }, stopTimeProperties: { assignedStopId: '990005' } });
    // Propagated times are left for the consumer to propagate.
    expect(bySequence.has(6)).toBe(false);
  });

  it('gives the same message as JSON with the proto’s field names', async () => {
    const { body } = await http.get(`${FEED_PATH}?format=json`).expect(200).expect('content-type', /application\/json/);
    expect(body.header).toEqual({ gtfs_realtime_version: '2.0', incrementality: 'FULL_DATASET', timestamp: NOW.getTime() / 1000 });
    const cancelled = body.entity.find((entity: { trip_update: { trip: { trip_id: string } } }) => entity.trip_update.trip.trip_id === trip1116.tripUpdate.trip.tripId);
    expect(cancelled.trip_update.trip).toMatchObject({ start_date: '20230510', schedule_relationship: 'CANCELED' });
  });

  it('refuses an unknown format with a 400 problem', async () => {
    const { body } = await http.get(`${FEED_PATH}?format=xml`).expect(400).expect('content-type', /application\/problem\+json/);
    expect(body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('builds the feed once between ticks, answers 304 to its ETag, and builds it again after a tick', async () => {
    await app.get(TrackerService).tick();
    const before = await builds();
    const first = await http.get(FEED_PATH).expect(200);
    for (let i = 0; i < 4; i++) await http.get(FEED_PATH).expect(200).expect('etag', first.headers.etag);
    await http.get(FEED_PATH).set('if-none-match', first.headers.etag).expect(304);
    expect(await builds()).toBe(before + 1);
    await app.get(TrackerService).tick();
    await http.get(FEED_PATH).expect(200);
    expect(await builds()).toBe(before + 2);
  });

  describe('read by a second instance', () => {
    let second: InstanceProcess;

    beforeAll(async () => {
      await prepareDatabase(DATABASE_B);
      expect((await runImport(databaseUrl(DATABASE_B), fixtureFeedPath('sound-transit'), SOUND_TRANSIT_RULES)).code).toBe(0);
      second = new InstanceProcess(await freePort(), {
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl(DATABASE_B),
        DB_MIGRATE_ON_START: 'false',
        CATALOG_WHEN_EMPTY: 'none',
        JWT_SECRET: TEST_JWT_SECRET,
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_KEY_PREFIX: `test:${randomUUID().slice(0, 8)}:`,
        STATUS_PROVIDER: 'gtfs-rt',
        GTFS_RT_TRIP_UPDATES_URL: `${base}${FEED_PATH}`,
        // The same instant as the first instance's clock, held still.
        CLOCK_START: NOW.toISOString(),
        SIMULATION_SPEED: '0',
        TRACKING_ENABLED: 'true',
        TRACKING_CRON: '* * * * * *',
        // This process's environment holds the validated config of the app above (its lock TTL, its headers): this one's own.
        TRACKING_LOCK_TTL_MS: '800',
        GTFS_RT_HEADERS: '{}',
        LOG_LEVEL: 'error',
        LOG_FORMAT: 'json',
      });
      await second.start();
    }, 120_000);

    afterAll(async () => {
      await second?.stop();
    });

    it('ends up with the same run states: positions, delays, every expected time and its source, skipped stops, platforms, cancellation', async () => {
      const comparable = ({ version: _version, ...line }: TimelineDto) => line;
      const expected = await Promise.all(TRAINS.map(async (number) => comparable(await timeline(base, number))));
      let seen: unknown[] = [];
      await waitFor(
        async () => {
          seen = await Promise.all(TRAINS.map(async (number) => comparable(await timeline(second.url, number))));
          return JSON.stringify(seen) === JSON.stringify(expected);
        },
        30_000,
        'the second instance to show the first one’s runs',
        500,
      ).catch(() => undefined);
      expect(seen).toEqual(expected);
      expect(expected[0]).toMatchObject({ state: 'RUNNING', delayMinutes: 4, realtime: true });
      expect(expected[1]).toMatchObject({ state: 'CANCELLED' });
    }, 60_000);
  });
});
