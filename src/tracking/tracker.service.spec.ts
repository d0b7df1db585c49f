import type { TripUpdatesFeed } from './gtfs-rt/trip-updates.feed.js';
import { afterEach, describe, expect, it } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import { TestClock } from '../../test/builders/clock.js';
import { testConfig } from '../../test/builders/config.js';
import { runningStatus } from '../../test/builders/observed-status.js';
import { Metrics } from '../common/observability/metrics.js';
import type { RunRef, RunSource } from '../live/run-state.js';
import type { AlertScheduler } from './alert-scheduler.js';
import type { IngestReport, RunIngestService } from './run-ingest.service.js';
import type { LockOutcome, TickLock } from './tick-lock.js';
import { TrackerService } from './tracker.service.js';
import type { ObservedRunStatus, TrainStatusProvider } from './train-status-provider.js';

const NOW = new Date('2026-11-24T14:00:00Z');

/** Lets every pending promise callback run (one turn of the event loop, no timer). */
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A promise the test settles. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  // Rejected before anyone awaits it is not an unhandled rejection: the awaiter still sees it.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** The ingest pipeline: records what it is given; `hold` makes the next apply wait for the test. */
class FakeIngest {
  applied: Array<{ observations: ObservedRunStatus[]; source: RunSource; now: Date }> = [];
  finished = 0;
  hold: ReturnType<typeof deferred<void>> | null = null;
  async apply(observations: ObservedRunStatus[], source: RunSource, now: Date): Promise<IngestReport> {
    this.applied.push({ observations, source, now });
    const hold = this.hold;
    this.hold = null;
    try {
      await hold?.promise;
    } finally {
      this.finished++;
    }
    return { observed: observations.length, changed: 1, written: 1, notifications: 2, comparedWith: 'cache', ms: 12, states: WRITTEN };
  }
}

const WRITTEN = [{ ...runningStatus(), actuals: [], notifiedDelay: 0, source: 'PROVIDER' as const, version: 1, updatedAt: NOW.toISOString(), observedAt: null }];

/** Rider alerts: records the runs and instant they are evaluated for, after the ingest. */
class FakeAlerts {
  evaluated: Array<{ changed: RunRef[]; now: Date; ingestsFinished: number }> = [];
  constructor(private readonly ingest: FakeIngest) {}
  async evaluate(changed: RunRef[], now: Date) {
    this.evaluated.push({ changed, now, ingestsFinished: this.ingest.finished });
    return { evaluated: 3, sent: 1, nextDueAt: null };
  }
}

/** The tick lock: records how it is asked; `outcome` decides whether the work runs (acquired, local, error) or not (busy). */
class FakeLock {
  outcome: LockOutcome = 'acquired';
  runs: Array<{ keepUntilExpiry: boolean }> = [];
  events: string[] = [];
  /** What the test wants noted when the lock is freed. */
  note = () => 'released';
  async run<T>(work: () => Promise<T>, options: { keepUntilExpiry: boolean }) {
    this.runs.push(options);
    if (this.outcome === 'busy') return { outcome: this.outcome };
    return { outcome: this.outcome, result: await work() };
  }
  async release() {
    this.events.push(this.note());
  }
}

const services: TrackerService[] = [];
afterEach(() => services.splice(0).forEach((service) => service.onModuleDestroy()));

function setUp(config: { TRACKING_ENABLED?: boolean } = {}) {
  const provider = { observations: [runningStatus()], asked: [] as Date[] };
  const ingest = new FakeIngest();
  const alerts = new FakeAlerts(ingest);
  const lock = new FakeLock();
  const scheduler = new SchedulerRegistry();
  const metrics = new Metrics();
  const tracker = new TrackerService(
    { activeRuns: async (now: Date) => (provider.asked.push(now), provider.observations) } as TrainStatusProvider,
    new TestClock(NOW),
    ingest as unknown as RunIngestService,
    alerts as unknown as AlertScheduler,
    scheduler,
    lock as unknown as TickLock,
    metrics,
    testConfig({ TRACKING_ENABLED: config.TRACKING_ENABLED ?? false, TRACKING_CRON: '*/10 * * * * *' }),
    { invalidate: () => undefined } as unknown as TripUpdatesFeed,
  );
  services.push(tracker);
  return { tracker, provider, ingest, alerts, lock, scheduler, metrics };
}

describe('TrackerService', () => {
  it('ticks: the provider’s active runs at the clock’s now go through the ingest as the provider’s, and the report says so', async () => {
    const { tracker, provider, ingest, alerts, metrics } = setUp();
    const report = await tracker.tick();
    expect(provider.asked).toEqual([NOW]);
    expect(ingest.applied).toEqual([{ observations: provider.observations, source: 'PROVIDER', now: NOW }]);
    // Rider alerts come after the ingest has finished, for the runs it wrote, at the tick's instant.
    expect(alerts.evaluated).toEqual([{ changed: WRITTEN, now: NOW, ingestsFinished: 1 }]);
    expect(report).toEqual({ ran: true, lock: 'acquired', observed: 1, changed: 1, written: 1, notifications: 2, comparedWith: 'cache', ms: 12, alertsEvaluated: 3, alertsSent: 1 });
    const runsChanged = await metrics.runsChangedPerTick.get();
    expect(runsChanged.values.find((value) => value.metricName === 'tracker_runs_changed_per_tick_sum')?.value).toBe(1);
  });

  it('never overlaps ticks: a tick asked for while one runs is skipped and says why', async () => {
    const { tracker, ingest, lock } = setUp();
    ingest.hold = deferred<void>();
    const hold = ingest.hold;
    const first = tracker.tick({ scheduled: true });
    await Promise.resolve();
    expect(await tracker.tick()).toEqual({ ran: false, lock: 'overlap', observed: 0, changed: 0, written: 0, notifications: 0, comparedWith: 'cache', ms: 0, alertsEvaluated: 0, alertsSent: 0 });
    expect(lock.runs).toHaveLength(1);
    hold.resolve();
    expect(await first).toMatchObject({ ran: true });
    // Once it is done the next tick runs.
    expect(await tracker.tick()).toMatchObject({ ran: true });
    expect(ingest.applied).toHaveLength(2);
  });

  it('a failed tick does not block the next one', async () => {
    const { tracker, ingest } = setUp();
    ingest.hold = deferred<void>();
    ingest.hold.reject(new Error('database is away'));
    await expect(tracker.tick()).rejects.toThrow('database is away');
    expect(await tracker.tick()).toMatchObject({ ran: true });
  });

  it('a scheduled tick keeps the lock until it expires; a tick on demand frees it when done', async () => {
    const { tracker, lock } = setUp();
    await tracker.tick({ scheduled: true });
    await tracker.tick();
    expect(lock.runs).toEqual([{ keepUntilExpiry: true }, { keepUntilExpiry: false }]);
  });

  it('reports a tick skipped because another instance holds the lock, without asking the provider', async () => {
    const { tracker, lock, provider, ingest } = setUp();
    lock.outcome = 'busy';
    expect(await tracker.tick()).toEqual({ ran: false, lock: 'busy', observed: 0, changed: 0, written: 0, notifications: 0, comparedWith: 'cache', ms: 0, alertsEvaluated: 0, alertsSent: 0 });
    expect(provider.asked).toEqual([]);
    expect(ingest.applied).toEqual([]);
  });

  it.each(['local', 'error'] as const)('ticks and says so when the lock outcome is %s (no Redis, or Redis away)', async (outcome) => {
    const { tracker, lock } = setUp();
    lock.outcome = outcome;
    expect(await tracker.tick()).toMatchObject({ ran: true, lock: outcome, written: 1 });
  });

  it('on shutdown, lets the running tick finish, then frees the lock', async () => {
    const { tracker, ingest, lock } = setUp();
    lock.note = () => `released after ${ingest.finished} finished ingest(s)`;
    ingest.hold = deferred<void>();
    const hold = ingest.hold;
    const tick = tracker.tick({ scheduled: true });
    const shutdown = tracker.beforeApplicationShutdown().then(() => lock.events.push('shutdown done'));
    await flush();
    expect(lock.events).toEqual([]);
    hold.resolve();
    await shutdown;
    expect(lock.events).toEqual(['released after 1 finished ingest(s)', 'shutdown done']);
    expect(await tick).toMatchObject({ ran: true });
  });

  it('on shutdown with no tick running, frees the lock at once', async () => {
    const { tracker, lock } = setUp();
    await tracker.beforeApplicationShutdown();
    expect(lock.events).toEqual(['released']);
  });

  it('on shutdown, frees the lock even when the running tick fails', async () => {
    const { tracker, ingest, lock } = setUp();
    ingest.hold = deferred<void>();
    const hold = ingest.hold;
    const tick = tracker.tick().catch(() => 'failed');
    const shutdown = tracker.beforeApplicationShutdown();
    hold.reject(new Error('boom'));
    await shutdown;
    expect(await tick).toBe('failed');
    expect(lock.events).toEqual(['released']);
  });

  it('schedules the tick when tracking is enabled, and stops scheduling when the module is destroyed', () => {
    const { tracker, scheduler } = setUp({ TRACKING_ENABLED: true });
    tracker.onApplicationBootstrap();
    expect(scheduler.getCronJob('tracking-tick').isActive).toBe(true);
    tracker.onModuleDestroy();
    expect(scheduler.doesExist('cron', 'tracking-tick')).toBe(false);
  });

  it('schedules nothing when tracking is disabled', () => {
    const { tracker, scheduler } = setUp({ TRACKING_ENABLED: false });
    tracker.onApplicationBootstrap();
    expect(scheduler.getCronJobs().size).toBe(0);
  });
});
