import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { Redis } from 'ioredis';
import { CLOCK } from '../src/common/clock/clock.js';
import { TrackerService, type TickReport } from '../src/tracking/tracker.service.js';
import { TRAIN_STATUS_PROVIDER, type ObservedRunStatus, type TrainStatusProvider } from '../src/tracking/train-status-provider.js';
import { createTestApp, testEnv } from './app.factory.js';
import { runningStatus } from './builders/observed-status.js';
import { TestClock } from './live-helpers.js';
import { withClient } from './test-database.js';

/** A database of this file's own: the run it writes is not another file's. */
const DATABASE = 'train_tracker_test_tick_shutdown';
const NOW = new Date('2026-11-24T14:00:00Z');
const SERVICE_DATE = '2026-11-24';

/** A status feed whose answer the test holds back: a tick asking it stays in flight until released. */
class HeldStatusProvider implements TrainStatusProvider {
  observations: ObservedRunStatus[] = [];
  private release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));
  /** Resolves when a tick has asked for statuses (and holds the tick lock). */
  readonly asked: Promise<void>;
  private markAsked!: () => void;

  constructor() {
    this.asked = new Promise((resolve) => (this.markAsked = resolve));
  }

  async activeRuns(): Promise<ObservedRunStatus[]> {
    this.markAsked();
    await this.released;
    return this.observations;
  }

  answer(): void {
    this.release();
  }
}

/** Nest's log lines, kept; `logged(pattern)` resolves when one matches. */
class LogWatcher implements LoggerService {
  private readonly lines: string[] = [];
  private readonly waiters: Array<[RegExp, () => void]> = [];

  logged(pattern: RegExp): Promise<void> {
    if (this.lines.some((line) => pattern.test(line))) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push([pattern, resolve]));
  }

  private keep(message: unknown) {
    const line = String(message);
    this.lines.push(line);
    this.waiters.filter(([pattern]) => pattern.test(line)).forEach(([, resolve]) => resolve());
  }

  log = (message: unknown) => this.keep(message);
  error = (message: unknown) => this.keep(message);
  warn = (message: unknown) => this.keep(message);
  debug = (message: unknown) => this.keep(message);
  verbose = (message: unknown) => this.keep(message);
}

/**
 * Shutdown with a tick in flight, in process: the tick is held inside the status provider, so
 * the order of events is the test's to decide, not the machine's speed.
 */
describe('shutdown with a tick in flight', () => {
  const env = testEnv(DATABASE);
  const feed = new HeldStatusProvider();
  const logs = new LogWatcher();
  let app: INestApplication;
  let redis: Redis;
  let trainId: string;
  const lockKey = `${env.REDIS_KEY_PREFIX}tracker:tick-lock`;

  beforeAll(async () => {
    app = await createTestApp(env, {
      logger: logs,
      override: (builder) => builder.overrideProvider(TRAIN_STATUS_PROVIDER).useValue(feed).overrideProvider(CLOCK).useValue(new TestClock(NOW)),
    });
    redis = new Redis(env.REDIS_URL);
    [{ id: trainId }] = await withClient(env.DATABASE_URL, async (client) => (await client.query<{ id: string }>(`SELECT id FROM trains WHERE number = '12951'`)).rows);
    feed.observations = [runningStatus({ trainId, serviceDate: SERVICE_DATE, delayMinutes: 35, lastDepartedAt: new Date('2026-11-24T11:32:00Z') })];
  }, 60_000);

  let closed = false;
  afterAll(async () => {
    feed.answer();
    if (!closed) await app?.close();
    redis?.disconnect();
  });

  it('waits for the running tick, whose writes are committed, then frees the tick lock', async () => {
    const order: string[] = [];
    // A scheduled tick keeps the lock until it expires (one tick per interval): only shutdown frees it early.
    const tick: Promise<TickReport | Error> = app
      .get(TrackerService)
      .tick({ scheduled: true })
      .then(
        (report) => (order.push('tick finished'), report),
        (error: Error) => (order.push('tick failed'), error),
      );
    await feed.asked;
    expect(await redis.exists(lockKey)).toBe(1);

    const closing = app.close().then(() => {
      closed = true;
      order.push('app closed');
    });
    // Shutdown either says it waits for the tick, or (if it did not wait) finishes without it.
    const first = await Promise.race([closing.then(() => 'closed without the tick'), logs.logged(/Waiting for the running tick/).then(() => 'waiting for the tick')]);
    expect(first).toBe('waiting for the tick');

    feed.answer();
    await closing;
    expect(order).toEqual(['tick finished', 'app closed']);
    expect(await tick).toMatchObject({ ran: true, lock: 'acquired', written: 1 });
    // Committed: another connection reads the tick's write.
    const rows = await withClient(env.DATABASE_URL, async (client) =>
      (await client.query(`SELECT version, delay_minutes FROM train_runs WHERE train_id = $1 AND service_date = $2`, [trainId, SERVICE_DATE])).rows,
    );
    expect(rows).toEqual([{ version: 1, delay_minutes: 35 }]);
    // Freed at once, not left to expire: another instance may tick at its next firing.
    expect(await redis.exists(lockKey)).toBe(0);
  });
});
