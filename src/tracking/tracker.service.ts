import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { type Clock, CLOCK } from '../common/clock/clock.js';
import type { Env } from '../config/env.validation.js';
import { type LockOutcome, TickLock } from './tick-lock.js';
import { Metrics } from '../common/observability/metrics.js';
import { AlertScheduler } from './alert-scheduler.js';
import { type IngestReport, RunIngestService } from './run-ingest.service.js';
import { TRAIN_STATUS_PROVIDER, type TrainStatusProvider } from './train-status-provider.js';
import { TripUpdatesFeed } from './gtfs-rt/trip-updates.feed.js';

export interface TickReport extends Omit<IngestReport, 'states'> {
  /** False when a tick was already running here, or another instance holds the tick lock. */
  ran: boolean;
  lock: LockOutcome | 'overlap';
  /** Rider alerts looked at after the ingest (of the runs it changed, and those due), and sent. */
  alertsEvaluated: number;
  alertsSent: number;
}

const SKIPPED: TickReport = { ran: false, lock: 'overlap', observed: 0, changed: 0, written: 0, notifications: 0, comparedWith: 'cache', ms: 0, alertsEvaluated: 0, alertsSent: 0 };

/**
 * The tick: on the TRACKING_CRON schedule, under the cluster-wide lock, the provider's statuses
 * of every active run go through the ingest pipeline, then rider alerts are evaluated. It only
 * schedules; ticks never overlap.
 */
@Injectable()
export class TrackerService implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(TrackerService.name);
  private running: Promise<TickReport> | null = null;

  constructor(
    @Inject(TRAIN_STATUS_PROVIDER) private readonly provider: TrainStatusProvider,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly ingest: RunIngestService,
    private readonly alerts: AlertScheduler,
    private readonly scheduler: SchedulerRegistry,
    private readonly lock: TickLock,
    private readonly metrics: Metrics,
    private readonly config: ConfigService<Env, true>,
    private readonly publishedFeed: TripUpdatesFeed,
  ) {}

  /** The cron expression comes from config, so the job is registered here rather than with @Cron. */
  onApplicationBootstrap(): void {
    if (!this.config.get('TRACKING_ENABLED', { infer: true })) return;
    const job = CronJob.from({
      cronTime: this.config.get('TRACKING_CRON', { infer: true }),
      onTick: () => void this.tick({ scheduled: true }).catch((error: unknown) => this.logger.error(`Tick failed: ${(error as Error).message}`)),
      start: true,
    });
    this.scheduler.addCronJob('tracking-tick', job as never);
  }

  /** No new ticks once shutdown starts. */
  onModuleDestroy(): void {
    if (this.scheduler.doesExist('cron', 'tracking-tick')) this.scheduler.deleteCronJob('tracking-tick');
  }

  /**
   * Lets a running tick finish (its transaction commits or rolls back) while the database is
   * still open, then frees the lock so another instance takes over at once.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.running) {
      this.logger.log('Waiting for the running tick to finish before shutting down');
      await this.running.catch(() => undefined);
    }
    await this.lock.release();
  }

  /**
   * One tick now, unless one is running here (ticks never overlap) or another instance holds
   * the cluster-wide tick lock. A scheduled tick keeps the lock for the rest of its TTL (one
   * tick per interval); a tick on demand frees it when done.
   */
  tick({ scheduled = false }: { scheduled?: boolean } = {}): Promise<TickReport> {
    if (this.running) return Promise.resolve(SKIPPED);
    const run = (async (): Promise<TickReport> => {
      const { outcome, result } = await this.lock.run(async () => {
        const now = this.clock.now();
        const { states: written, ...report } = await this.ingest.apply(await this.provider.activeRuns(now), 'PROVIDER', now);
        this.metrics.tickDuration.observe(report.ms / 1000);
        this.metrics.runsChangedPerTick.observe(report.written);
        // The published GTFS-Realtime feed is built again on its next request, not per request.
        this.publishedFeed.invalidate();
        // After the ingest has committed: the alerts of the runs it changed, and those due by now.
        const alerts = await this.alerts.evaluate(written, now);
        return { ...report, ran: true, alertsEvaluated: alerts.evaluated, alertsSent: alerts.sent };
      }, { keepUntilExpiry: scheduled });
      return result ? { ...result, lock: outcome } : { ...SKIPPED, lock: outcome };
    })();
    this.running = run;
    return run.finally(() => (this.running = null));
  }
}
