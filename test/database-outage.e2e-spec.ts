import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CLOCK } from '../src/common/clock/clock.js';
import { CATALOG_RELOAD, type CatalogReloadPolicy, DEFAULT_CATALOG_RELOAD } from '../src/catalog/catalog-snapshot.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { TRAIN_STATUS_PROVIDER } from '../src/tracking/train-status-provider.js';
import { createTestApp, testEnv } from './app.factory.js';
import { freePort } from './instance-process.js';
import { runningStatus } from './builders/observed-status.js';
import { ScriptedStatusProvider, TestClock } from './live-helpers.js';
import { PostgresProcess } from './postgres-process.js';
import { waitFor } from './redis-process.js';
import { migrateAndSeed, withClient } from './test-database.js';

describe('losing PostgreSQL and getting it back', () => {
  let postgres: PostgresProcess;
  let app: INestApplication;
  let trainId: string;
  const feed = new ScriptedStatusProvider();
  /** The timetable's reload clock, moved by the test: reloads are due when it says so, not after real minutes. */
  let reloadClockMs = 0;
  const reload: CatalogReloadPolicy = { ...DEFAULT_CATALOG_RELOAD, now: () => reloadClockMs };

  beforeAll(async () => {
    postgres = new PostgresProcess(await freePort());
    await postgres.init();
    await postgres.start();
    await migrateAndSeed(postgres.url);
    [{ id: trainId }] = await withClient(postgres.url, async (client) => (await client.query(`SELECT id FROM trains WHERE number = '12951'`)).rows);
    app = await createTestApp(
      { ...testEnv(), DATABASE_URL: postgres.url },
      {
        override: (builder) =>
          builder
            .overrideProvider(TRAIN_STATUS_PROVIDER)
            .useValue(feed)
            .overrideProvider(CLOCK)
            .useValue(new TestClock(new Date('2026-11-24T14:00:00Z')))
            .overrideProvider(CATALOG_RELOAD)
            .useValue(reload),
      },
    );
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    postgres?.destroy();
  }, 30_000);

  const observe = (delayMinutes: number) => {
    feed.observations = [
      runningStatus({ trainId, delayMinutes }),
    ];
  };
  const tick = () => app.get(TrackerService).tick();
  const http = () => request(app.getHttpServer());
  const reloads = async (outcome: 'ok' | 'unchanged' | 'failed') => {
    const { text } = await http().get('/metrics').expect(200);
    return Number(new RegExp(`^timetable_reloads_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  };
  const status = () => http().get('/api/v1/trains/12951/status?date=2026-11-24');

  it('is ready and ticks while PostgreSQL is up', async () => {
    await waitFor(async () => (await http().get('/health/ready')).status === 200, 10_000, 'readiness');
    // Loads the station index (catalog reads are served from memory from then on).
    await http().get('/api/v1/stations/NDLS').expect(200);
    observe(10);
    expect(await tick()).toMatchObject({ written: 1 });
  });

  it('reports not ready, refuses the tick without crashing, serves live status and the catalog from memory and answers 503 where the database is needed', async () => {
    await postgres.stop();
    const ready = await http().get('/health/ready').expect(503);
    expect(ready.body).toMatchObject({ code: 'NOT_READY', checks: { database: { status: 'down' } } });
    await http().get('/health/live').expect(200);

    observe(25);
    await expect(tick()).rejects.toThrow();
    // Live status comes from the timetable in memory and the Redis cache: still served.
    const status = await http().get('/api/v1/trains/12951/status?date=2026-11-24').expect(200);
    expect(status.body).toMatchObject({ delayMinutes: 10, version: 1 });
    expect((await http().get('/api/v1/stations/NDLS').expect(200)).body).toMatchObject({ code: 'NDLS', name: 'New Delhi' });
    expect((await http().get('/api/v1/trains/12951/route').expect(200)).body.stops.length).toBeGreaterThan(2);
    // Train search is still a query.
    const search = await http().get('/api/v1/trains?q=rajdhani').expect(503);
    expect(search.body).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
  }, 20_000);

  it('keeps serving the last good timetable when its reload fails, retrying with backoff', async () => {
    // The catalog version was last checked an interval ago: the next read checks it (and fails).
    reloadClockMs += reload.intervalMs + 1;
    expect((await status().expect(200)).body).toMatchObject({ delayMinutes: 10, version: 1 });
    await waitFor(async () => (await reloads('failed')) === 1, 10_000, 'the reload to fail');
    expect((await status().expect(200)).body).toMatchObject({ delayMinutes: 10, version: 1 });
    // Not again before the first retry is due (a second), then again; the next after two seconds.
    expect(await reloads('failed')).toBe(1);
    reloadClockMs += reload.firstRetryMs;
    await status().expect(200);
    await waitFor(async () => (await reloads('failed')) === 2, 10_000, 'the first retry to fail');
    reloadClockMs += reload.firstRetryMs;
    await status().expect(200);
    expect(await reloads('failed')).toBe(2);
    reloadClockMs += reload.firstRetryMs;
    await status().expect(200);
    await waitFor(async () => (await reloads('failed')) === 3, 10_000, 'the second retry to fail');
  }, 30_000);

  it('recovers when PostgreSQL is back: the missed change is written once', async () => {
    await postgres.start();
    await waitFor(async () => (await http().get('/health/ready')).status === 200, 15_000, 'readiness');
    await waitFor(async () => (await tick().catch(() => ({ written: -1 }))).written === 1, 10_000, 'a tick to succeed');
    const { body } = await http().get('/api/v1/trains/12951/status?date=2026-11-24').expect(200);
    expect(body).toMatchObject({ delayMinutes: 25, version: 2 });
    // The timetable is checked again at the next retry; the catalog did not change meanwhile, so it is kept as it is.
    const unchanged = await reloads('unchanged');
    reloadClockMs += reload.intervalMs;
    await status().expect(200);
    await waitFor(async () => (await reloads('unchanged')) === unchanged + 1, 10_000, 'the timetable to be checked');
  }, 40_000);
});
