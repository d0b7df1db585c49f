import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CLOCK } from '../src/common/clock/clock.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { TRAIN_STATUS_PROVIDER } from '../src/tracking/train-status-provider.js';
import { createTestApp, testEnv } from './app.factory.js';
import { runningStatus } from './builders/observed-status.js';
import { ScriptedStatusProvider, TestClock } from './live-helpers.js';
import { RedisProcess, waitFor } from './redis-process.js';
import { query } from './test-database.js';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';

describe('losing Redis and getting it back', () => {
  const redis = new RedisProcess(16_379 + Math.floor(Math.random() * 1000));
  const feed = new ScriptedStatusProvider();
  let app: INestApplication;
  let trainId: string;

  beforeAll(async () => {
    await redis.start();
    app = await createTestApp(
      { ...testEnv('train_tracker_test_cache_recovery'), REDIS_URL: redis.url, CACHE_TIMEOUT_MS: '200' },
      {
        override: (builder) =>
          builder.overrideProvider(TRAIN_STATUS_PROVIDER).useValue(feed).overrideProvider(CLOCK).useValue(new TestClock(new Date('2026-11-24T14:00:00Z'))),
      },
    );
    [{ id: trainId }] = await query<{ id: string }>(`SELECT id FROM trains WHERE number = '12951'`);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await redis.stop();
  });

  const observe = (delayMinutes: number) => {
    feed.observations = [
      runningStatus({ trainId, delayMinutes }),
    ];
  };
  const tick = () => app.get(TrackerService).tick();

  it('compares against the cache while Redis is up', async () => {
    await waitFor(async () => (await tick()).comparedWith === 'cache', 5000, 'the cache to connect');
    observe(10);
    expect(await tick()).toMatchObject({ changed: 1, written: 1, comparedWith: 'cache' });
  });

  it('falls back to PostgreSQL without hanging or crashing, and keeps serving', async () => {
    await redis.stop();
    observe(25);
    const report = await tick();
    expect(report).toMatchObject({ changed: 1, written: 1, comparedWith: 'database' });
    expect(await tick()).toMatchObject({ changed: 0, comparedWith: 'database' });
    const { body } = await request(app.getHttpServer()).get('/api/v1/trains/12951/status?date=2026-11-24').expect(200);
    expect(body).toMatchObject({ delayMinutes: 25, version: 2 });
  });

  it('returns to the cache when Redis is back, with no lost or repeated change', async () => {
    await redis.start();
    await waitFor(async () => (await tick()).comparedWith === 'cache', 10_000, 'the cache to reconnect');
    observe(40);
    expect(await tick()).toMatchObject({ changed: 1, written: 1, comparedWith: 'cache' });
    const rows = await query<{ version: number; delay_minutes: number }>(
      `SELECT version, delay_minutes FROM train_runs WHERE train_id = $1 AND service_date = '2026-11-24'`,
      [trainId],
    );
    expect(rows).toEqual([{ version: 3, delay_minutes: 40 }]);
  });
});
