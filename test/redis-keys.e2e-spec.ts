import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { CLOCK } from '../src/common/clock/clock.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { TRAIN_STATUS_PROVIDER } from '../src/tracking/train-status-provider.js';
import { testEnv, useTestApp } from './app.factory.js';
import { runningStatus } from './builders/observed-status.js';
import { ScriptedStatusProvider, TestClock } from './live-helpers.js';
import { withClient } from './test-database.js';

/** A database of this file's own: the run it writes is not another file's. */
const DATABASE = 'train_tracker_test_redis_keys';
const SERVICE_DATE = '2026-11-24';

describe('Redis keys', () => {
  const env = testEnv(DATABASE);
  const prefix = env.REDIS_KEY_PREFIX;
  const feed = new ScriptedStatusProvider();
  const api = useTestApp(env, {
    override: (builder) => builder.overrideProvider(TRAIN_STATUS_PROVIDER).useValue(feed).overrideProvider(CLOCK).useValue(new TestClock(new Date('2026-11-24T14:00:00Z'))),
  });
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true });
  let trainId: string;

  beforeAll(async () => {
    [{ id: trainId }] = await withClient(env.DATABASE_URL, async (client) => (await client.query<{ id: string }>(`SELECT id FROM trains WHERE number = '12951'`)).rows);
  });
  afterAll(() => redis.disconnect());

  it('caches a run state under exactly <REDIS_KEY_PREFIX>run:<trainId>:<serviceDate>', async () => {
    feed.observations = [runningStatus({ trainId, serviceDate: SERVICE_DATE, delayMinutes: 12, lastDepartedAt: new Date('2026-11-24T11:32:00Z') })];
    expect(await api.app.get(TrackerService).tick()).toMatchObject({ written: 1 });

    const keys = await redis.keys(`${prefix}*`);
    expect(keys.filter((key) => key.includes('run:'))).toEqual([`${prefix}run:${trainId}:${SERVICE_DATE}`]);
    // The prefix once, at the start of every key of this app.
    expect(keys.filter((key) => key.slice(prefix.length).includes(prefix.replace(/:+$/, '')))).toEqual([]);
    const cached = JSON.parse((await redis.get(`${prefix}run:${trainId}:${SERVICE_DATE}`))!) as { value: { delayMinutes: number; version: number } };
    expect(cached.value).toMatchObject({ delayMinutes: 12, version: 1 });
    // And the app reads what it wrote there.
    const { body } = await api.http.get(`/api/v1/trains/12951/status?date=${SERVICE_DATE}`).expect(200);
    expect(body).toMatchObject({ delayMinutes: 12, version: 1 });
  });
});
