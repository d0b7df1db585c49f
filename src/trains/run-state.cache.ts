import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Cache } from 'cache-manager';
import { withTimeout } from '../common/cache/timeout.js';
import type { Env } from '../config/env.validation.js';
import { runKey, type RunState } from './run-state.js';

const TTL_MS = 3 * 86_400_000;

/**
 * Last known run states in the shared cache, read and written in one round trip each. Every
 * call has a short timeout; when the cache fails the caller is told (null / false) and goes
 * to PostgreSQL instead.
 */
@Injectable()
export class RunStateCache {
  private readonly logger = new Logger(RunStateCache.name);
  private readonly timeoutMs: number;
  private available = true;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    config: ConfigService<Env, true>,
  ) {
    this.timeoutMs = config.get('CACHE_TIMEOUT_MS', { infer: true });
  }

  /** States by key (undefined where not cached), or null when the cache cannot be read. */
  async getMany(keys: string[]): Promise<Array<RunState | undefined> | null> {
    if (keys.length === 0) return [];
    try {
      const values = await withTimeout(this.cache.mget<RunState>(keys.map(cacheKey)), this.timeoutMs, 'cache read');
      this.markAvailable();
      return values.map((value) => value ?? undefined);
    } catch (error) {
      this.markUnavailable(error);
      return null;
    }
  }

  async setMany(states: RunState[]): Promise<boolean> {
    if (states.length === 0) return true;
    try {
      await withTimeout(
        this.cache.mset(states.map((state) => ({ key: cacheKey(runKey(state.trainId, state.serviceDate)), value: state, ttl: TTL_MS }))),
        this.timeoutMs,
        'cache write',
      );
      this.markAvailable();
      return true;
    } catch (error) {
      this.markUnavailable(error);
      return false;
    }
  }

  private markUnavailable(error: unknown) {
    if (this.available) {
      this.logger.warn(`Cache unavailable, using PostgreSQL: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.available = false;
  }

  private markAvailable() {
    if (!this.available) this.logger.log('Cache available again');
    this.available = true;
  }
}

const cacheKey = (key: string) => `run:${key}`;
