import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Cron, CronExpression } from '@nestjs/schedule';
import { type Clock, REAL_CLOCK } from '../common/clock/clock.js';
import type { Env } from '../config/env.validation.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';

/** Revoked tokens are kept a while so a replayed one is still recognised as reuse. */
export const REVOKED_RETENTION_MS = 7 * 86_400_000;

@Injectable()
export class RefreshTokenCleanupService {
  private readonly logger = new Logger(RefreshTokenCleanupService.name);
  private readonly graceMs: number;

  constructor(
    private readonly tokens: RefreshTokensRepository,
    @Inject(REAL_CLOCK) private readonly clock: Clock,
    config: ConfigService<Env, true>,
  ) {
    this.graceMs = config.get('REFRESH_TOKEN_GRACE_SECONDS', { infer: true }) * 1000;
  }

  /**
   * Deletes expired refresh tokens and those revoked over a week ago, and drops the sealed
   * successors whose grace period is over (the rows stay, to recognise reuse). Safe to run on
   * every instance.
   */
  @Cron(CronExpression.EVERY_HOUR, { name: 'refresh-token-cleanup' })
  async deleteStale(now = this.clock.now()): Promise<number> {
    try {
      const deleted = await this.tokens.deleteStale(now, new Date(now.getTime() - REVOKED_RETENTION_MS));
      await this.tokens.forgetSealedSuccessors(new Date(now.getTime() - this.graceMs));
      if (deleted > 0) this.logger.log(`Deleted ${deleted} stale refresh tokens`);
      return deleted;
    } catch (error) {
      this.logger.error(`Refresh token cleanup failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
