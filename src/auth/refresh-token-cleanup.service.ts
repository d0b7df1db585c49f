import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';

/** Revoked tokens are kept a while so a replayed one is still recognised as reuse. */
export const REVOKED_RETENTION_MS = 7 * 86_400_000;

@Injectable()
export class RefreshTokenCleanupService {
  private readonly logger = new Logger(RefreshTokenCleanupService.name);

  constructor(private readonly tokens: RefreshTokensRepository) {}

  /** Deletes expired refresh tokens and those revoked over a week ago. Safe to run on every instance. */
  @Cron(CronExpression.EVERY_HOUR, { name: 'refresh-token-cleanup' })
  async deleteStale(now = new Date()): Promise<number> {
    try {
      const deleted = await this.tokens.deleteStale(now, new Date(now.getTime() - REVOKED_RETENTION_MS));
      if (deleted > 0) this.logger.log(`Deleted ${deleted} stale refresh tokens`);
      return deleted;
    } catch (error) {
      this.logger.error(`Refresh token cleanup failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
