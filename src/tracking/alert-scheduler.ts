import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Clock, CLOCK } from '../common/clock/clock.js';
import type { Env } from '../config/env.validation.js';
import type { RunRef } from '../live/run-state.js';
import { type AlertsReport, RiderAlertsService } from './rider-alerts.service.js';

/** setTimeout's longest delay; a due time further away is reached by ticks (or a later timer) first. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const NOTHING: AlertsReport = { evaluated: 0, sent: 0, nextDueAt: null };

/**
 * When rider alerts are evaluated: after every ingest (a tick, an operator's report) for the runs
 * it changed, and, since an alarm falls due between ticks, again when the next one is due. That
 * timer is set by the instance that last evaluated (the tick's, under the tick lock), on the app
 * clock (scaled by SIMULATION_SPEED), so an alarm is on time, and never more than one tick late
 * even without it. Evaluations may overlap (a timer and a tick, two instances): the writes they
 * make are conditional, so each alert is sent once. It only schedules; the work is RiderAlertsService's.
 */
@Injectable()
export class AlertScheduler implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(AlertScheduler.name);
  private readonly timerEnabled: boolean;
  private readonly speed: number;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly running = new Set<Promise<AlertsReport>>();

  constructor(
    private readonly alerts: RiderAlertsService,
    @Inject(CLOCK) private readonly clock: Clock,
    config: ConfigService<Env, true>,
  ) {
    // Tests and benchmarks tick on demand (TRACKING_ENABLED=false): then nothing runs on its own.
    this.timerEnabled = config.get('TRACKING_ENABLED', { infer: true });
    this.speed = config.get('SIMULATION_SPEED', { infer: true });
  }

  /** Evaluates the alerts of the runs that changed and those due, then sets the timer for the next. Never throws: the ingest has committed. */
  evaluate(changed: RunRef[], now: Date): Promise<AlertsReport> {
    const run = this.alerts
      .evaluate(changed, now)
      .then((report) => {
        this.schedule(report.nextDueAt);
        return report;
      })
      .catch((error: unknown) => {
        this.logger.error(`Rider alerts failed: ${(error as Error).message}`);
        return NOTHING;
      });
    this.running.add(run);
    return run.finally(() => this.running.delete(run));
  }

  onModuleDestroy(): void {
    this.stopped = true;
    this.clearTimer();
  }

  /** An evaluation under way finishes (its transaction commits) while the database is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await Promise.all(this.running);
  }

  private schedule(next: Date | null): void {
    this.clearTimer();
    if (!next || !this.timerEnabled || this.stopped) return;
    const realMs = Math.min(MAX_TIMER_MS, Math.max(0, (next.getTime() - this.clock.now().getTime()) / this.speed));
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.evaluate([], this.clock.now());
    }, realMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
