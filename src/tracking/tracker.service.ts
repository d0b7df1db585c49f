import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { type Clock, CLOCK } from '../common/clock/clock.js';
import type { Env } from '../config/env.validation.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { FavoritesService } from '../favorites/favorites.service.js';
import type { Notification } from '../notifications/notification.entity.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { TimetableService } from '../routes/timetable.service.js';
import { liveView } from '../live/live-view.js';
import type { TrainLiveView } from '../live/live-status.service.js';
import { runKey, type RunSource, type RunState } from '../live/run-state.js';
import { RunStatesService } from '../live/run-states.service.js';
import { TrainRunsRepository } from '../live/train-runs.repository.js';
import { LiveGateway } from './live.gateway.js';
import { type LockOutcome, TickLock } from './tick-lock.js';
import { Metrics } from '../common/observability/metrics.js';
import { notificationsFor } from './notification-rules.js';
import { advance } from './run-transition.js';
import { type ObservedRunStatus, TRAIN_STATUS_PROVIDER, type TrainStatusProvider } from './train-status-provider.js';

export interface TickReport {
  /** False when a tick was already running here, or another instance holds the tick lock. */
  ran: boolean;
  lock: LockOutcome | 'overlap';
  observed: number;
  changed: number;
  written: number;
  notifications: number;
  comparedWith: 'cache' | 'database';
  ms: number;
}

const SKIPPED: TickReport = { ran: false, lock: 'overlap', observed: 0, changed: 0, written: 0, notifications: 0, comparedWith: 'cache', ms: 0 };

/**
 * Each tick: statuses from the provider → last known states (cache, else PostgreSQL) → only the
 * runs that changed are written (one transaction: states, history, notifications) → cache
 * updated → changes pushed to subscribers. Ticks never overlap.
 */
@Injectable()
export class TrackerService implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(TrackerService.name);
  private running: Promise<TickReport> | null = null;

  constructor(
    @Inject(TRAIN_STATUS_PROVIDER) private readonly provider: TrainStatusProvider,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly states: RunStatesService,
    private readonly runs: TrainRunsRepository,
    private readonly timetable: TimetableService,
    private readonly favorites: FavoritesService,
    private readonly notifications: NotificationsService,
    private readonly transactions: TransactionRunner,
    private readonly gateway: LiveGateway,
    private readonly scheduler: SchedulerRegistry,
    private readonly lock: TickLock,
    private readonly metrics: Metrics,
    private readonly config: ConfigService<Env, true>,
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
    await this.running?.catch(() => undefined);
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
        const report = await this.apply(await this.provider.activeRuns(now), 'PROVIDER', now);
        this.metrics.tickDuration.observe(report.ms / 1000);
        this.metrics.runsChangedPerTick.observe(report.written);
        return report;
      }, { keepUntilExpiry: scheduled });
      return result ? { ...result, lock: outcome } : { ...SKIPPED, lock: outcome };
    })();
    this.running = run;
    return run.finally(() => (this.running = null));
  }

  /** Runs observations through the pipeline (ticks, and operator reports with source OPERATOR). */
  async apply(observations: ObservedRunStatus[], source: RunSource, now = this.clock.now()): Promise<Omit<TickReport, 'lock'> & { states: RunState[] }> {
    const started = performance.now();
    const { states: previous, fromCache } = await this.states.load(observations.map(({ trainId, serviceDate }) => ({ trainId, serviceDate })));
    const timetables = await this.timetable.all();

    const changes: Array<{ state: RunState; view: TrainLiveView; events: ReturnType<typeof notificationsFor>['events'] }> = [];
    for (const observed of observations) {
      const before = previous.get(runKey(observed.trainId, observed.serviceDate));
      // An operator's report stands until the run ends; the feed does not overwrite it.
      if (source === 'PROVIDER' && before?.source === 'OPERATOR') continue;
      const timetable = timetables.get(observed.trainId);
      const transition = timetable && advance(before, observed, source, now);
      if (!timetable || !transition) continue;
      const { next } = transition;
      const view = { ...liveView(next, timetable.stops, now), train: timetable.train };
      const { events, notifiedDelay } = notificationsFor(transition.previous, next, view, timetable.train);
      next.notifiedDelay = notifiedDelay;
      changes.push({ state: next, view, events });
    }
    const report = { ran: true, observed: observations.length, changed: changes.length, comparedWith: fromCache ? 'cache' : 'database' } as const;
    if (changes.length === 0) return { ...report, written: 0, notifications: 0, ms: performance.now() - started, states: [] };

    const { written, created } = await this.transactions.run(async (manager) => {
      const saved = await this.runs.saveNewer(changes.map((change) => change.state), manager);
      await this.runs.appendHistory(saved, manager);
      const savedKeys = new Set(saved.map(({ state }) => runKey(state.trainId, state.serviceDate)));
      const events = changes.filter((change) => savedKeys.has(runKey(change.state.trainId, change.state.serviceDate))).flatMap((change) => change.events);
      const followers = await this.favorites.followersOf(events.map((event) => event.trainId), manager);
      const notifications = await this.notifications.createMany(
        events.map((event) => ({ userIds: followers.get(event.trainId) ?? [], event })),
        manager,
      );
      return { written: saved.map(({ state }) => state), created: notifications };
    });

    const writtenKeys = new Set(written.map((state) => runKey(state.trainId, state.serviceDate)));
    const lost = changes.filter((change) => !writtenKeys.has(runKey(change.state.trainId, change.state.serviceDate)));
    // Another writer had a newer version: take PostgreSQL's word for it and refresh the cache.
    if (lost.length > 0) await this.states.reload(lost.map(({ state }) => ({ trainId: state.trainId, serviceDate: state.serviceDate })));
    await this.states.remember(written);
    this.metrics.runsChanged.inc(written.length);
    this.metrics.notificationsCreated.inc(created.length);
    this.publish(changes.filter((change) => writtenKeys.has(runKey(change.state.trainId, change.state.serviceDate))).map((change) => change.view), created);
    return { ...report, written: written.length, notifications: created.length, ms: performance.now() - started, states: written };
  }

  private publish(views: TrainLiveView[], notifications: Notification[]): void {
    for (const view of views) this.gateway.publishStatus(view);
    if (notifications.length === 0) return;
    const trains = new Map(views.map((view) => [view.train.id, { number: view.train.number, name: view.train.name }]));
    for (const notification of notifications) this.gateway.publishNotification(notification, trains.get(notification.trainId)!);
  }
}
