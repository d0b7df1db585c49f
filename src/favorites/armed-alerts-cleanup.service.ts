import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { type Clock, CLOCK } from '../common/clock/clock.js';
import { RUN_DAYS_BACK } from '../live/run-window.js';
import { addDays } from '../trains/service-time.js';
import { ArmedAlertsRepository } from './armed-alerts.repository.js';

/**
 * An alert's row stays after its run, as the record of what was sent; once the run is out of the
 * served days (and a day more, for any time zone) nothing reads it again, and it is deleted.
 */
@Injectable()
export class ArmedAlertsCleanupService {
  private readonly logger = new Logger(ArmedAlertsCleanupService.name);

  constructor(
    private readonly alerts: ArmedAlertsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Safe on every instance at once (one DELETE of old rows). */
  @Cron(CronExpression.EVERY_HOUR, { name: 'armed-alerts-cleanup' })
  async deleteOldRuns(now = this.clock.now()): Promise<number> {
    try {
      const deleted = await this.alerts.deleteRunsBefore(addDays(now.toISOString().slice(0, 10), -(RUN_DAYS_BACK + 1)));
      if (deleted > 0) this.logger.log(`Deleted ${deleted} alerts of past runs`);
      return deleted;
    } catch (error) {
      this.logger.error(`Armed alerts cleanup failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
