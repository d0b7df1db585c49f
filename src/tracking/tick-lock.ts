import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ExecutionError, type Lock, Redlock, ResourceLockedError } from '@sesamecare-oss/redlock';
import type { Redis } from 'ioredis';
import { Metrics } from '../common/observability/metrics.js';
import { REDIS } from '../common/redis/redis.module.js';
import type { Env } from '../config/env.validation.js';

export type LockOutcome = 'acquired' | 'busy' | 'error' | 'local';

/**
 * One tick per interval across the cluster: every instance's cron fires, only the holder of
 * this Redis lock (owner token, expiry) ticks. The lock is extended while a long tick runs and
 * otherwise left to expire, so with a TTL a little under the cron interval a tick that ends early
 * does not let a second instance tick in the same interval, and a holder that dies is replaced
 * at the next interval. The lock saves work; correctness comes from versioned writes.
 */
@Injectable()
export class TickLock {
  private readonly logger = new Logger(TickLock.name);
  private readonly redlock: Redlock | null;
  private readonly ttlMs: number;
  private readonly key: string;
  private held: Lock | null = null;

  constructor(
    @Inject(REDIS) redis: Redis | null,
    private readonly metrics: Metrics,
    config: ConfigService<Env, true>,
  ) {
    this.redlock = redis ? new Redlock([redis], { retryCount: 0, driftFactor: 0.01 }) : null;
    this.ttlMs = config.get('TRACKING_LOCK_TTL_MS', { infer: true });
    this.key = `${config.get('REDIS_KEY_PREFIX', { infer: true })}tracker:tick-lock`;
    this.redlock?.on('error', () => undefined);
  }

  /**
   * Runs `work` if this instance gets the lock; without Redis (one instance) always. With
   * `keepUntilExpiry` (scheduled ticks) the lock is not released after the work, so no other
   * instance ticks again in the same interval.
   */
  async run<T>(work: () => Promise<T>, { keepUntilExpiry }: { keepUntilExpiry: boolean }): Promise<{ outcome: LockOutcome; result?: T }> {
    if (!this.redlock) return { outcome: 'local', result: await work() };
    try {
      this.held = await this.redlock.acquire([this.key], this.ttlMs);
    } catch (error) {
      if (await heldByAnother(error)) {
        this.metrics.lockAcquisitions.inc({ outcome: 'busy' });
        return { outcome: 'busy' };
      }
      // Redis is away: tick anyway. Two instances may then both tick, which costs work but not
      // correctness (versioned writes, unique notifications); not ticking would freeze live status.
      this.metrics.lockAcquisitions.inc({ outcome: 'error' });
      this.logger.warn(`Tick lock unavailable (${(error as Error).message}); ticking without it`);
      return { outcome: 'error', result: await work() };
    }
    this.metrics.lockAcquisitions.inc({ outcome: 'acquired' });
    const extender = setInterval(() => {
      this.held
        ?.extend(this.ttlMs)
        .then((lock) => (this.held = lock))
        .catch((error: unknown) => this.logger.warn(`Could not extend the tick lock: ${(error as Error).message}`));
    }, Math.floor(this.ttlMs / 2));
    try {
      return { outcome: 'acquired', result: await work() };
    } finally {
      clearInterval(extender);
      if (!keepUntilExpiry) await this.release();
    }
  }

  /** Gives the lock up now (shutdown), so another instance need not wait for it to expire. */
  async release(): Promise<void> {
    const lock = this.held;
    this.held = null;
    if (lock && lock.expiration > Date.now()) await lock.release().catch(() => undefined);
  }
}

/** Whether acquiring failed only because another instance holds the lock. */
async function heldByAnother(error: unknown): Promise<boolean> {
  if (!(error instanceof ExecutionError)) return false;
  const attempts = await Promise.all(error.attempts);
  const reasons = attempts.flatMap((attempt) => [...attempt.votesAgainst.values()]);
  return reasons.length > 0 && reasons.every((reason) => reason instanceof ResourceLockedError);
}
