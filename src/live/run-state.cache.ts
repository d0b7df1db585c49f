import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Cache } from 'cache-manager';
import { withTimeout } from '../common/cache/timeout.js';
import { Metrics } from '../common/observability/metrics.js';
import type { Env } from '../config/env.validation.js';
import { runKey, type RunState } from './run-state.js';

const TTL_MS = 3 * 86_400_000;
const PROBE_INTERVAL_MS = 2000;

/** The Redis connection behind a Keyv store, when there is one (node-redis client). */
interface RedisBackedStore {
  client?: { isReady?: boolean };
  getClient?: () => Promise<unknown>;
}

/**
 * Last known run states in the shared cache, read and written in one round trip each. Every
 * call has a short timeout; when the cache fails the caller is told (null / false) and goes
 * to PostgreSQL instead.
 */
@Injectable()
export class RunStateCache implements OnModuleInit {
  private readonly logger = new Logger(RunStateCache.name);
  private readonly timeoutMs: number;
  private available = true;
  private lastProbe = 0;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly metrics: Metrics,
    config: ConfigService<Env, true>,
  ) {
    this.timeoutMs = config.get('CACHE_TIMEOUT_MS', { infer: true });
  }

  onModuleInit(): void {
    this.probe();
  }

  /** States by key (undefined where not cached), or null when the cache cannot be read. */
  async getMany(keys: string[]): Promise<Array<RunState | undefined> | null> {
    if (keys.length === 0) return [];
    if (!this.connected()) return this.unavailable(new Error('Redis is not connected'));
    try {
      const values = await withTimeout(this.cache.mget<RunState>(keys.map(cacheKey)), this.timeoutMs, 'cache read');
      // A connection lost during the call also comes back as "not found": do not trust it.
      if (!this.connected()) return this.unavailable(new Error('Redis connection lost'));
      this.markAvailable();
      const hits = values.filter((value) => value !== undefined && value !== null).length;
      this.metrics.cacheRequests.inc({ result: 'hit' }, hits);
      this.metrics.cacheRequests.inc({ result: 'miss' }, values.length - hits);
      return values.map((value) => value ?? undefined);
    } catch (error) {
      return this.unavailable(error);
    }
  }

  async setMany(states: RunState[]): Promise<boolean> {
    if (states.length === 0) return true;
    if (!this.connected()) return this.unavailable(new Error('Redis is not connected')) ?? false;
    try {
      await withTimeout(
        this.cache.mset(states.map((state) => ({ key: cacheKey(runKey(state.trainId, state.serviceDate)), value: state, ttl: TTL_MS }))),
        this.timeoutMs,
        'cache write',
      );
      if (!this.connected()) return this.unavailable(new Error('Redis connection lost')) ?? false;
      this.markAvailable();
      return true;
    } catch (error) {
      this.markUnavailable(error);
      return false;
    }
  }

  /**
   * Whether the Redis store is connected. Keyv's Redis store answers "not found" instead of
   * failing while Redis is away (keyv #1750), so its connection is checked before each call;
   * while it is down a reconnect is tried every few seconds in the background.
   */
  private connected(): boolean {
    const store = this.redisStore();
    if (!store || store.client?.isReady) return true;
    this.probe();
    return false;
  }

  private probe(): void {
    const store = this.redisStore();
    if (!store?.getClient || Date.now() - this.lastProbe < PROBE_INTERVAL_MS) return;
    this.lastProbe = Date.now();
    store.getClient().catch(() => undefined);
  }

  private redisStore(): RedisBackedStore | undefined {
    const store = (this.cache.stores[0] as { store?: RedisBackedStore } | undefined)?.store;
    return store && typeof store.getClient === 'function' ? store : undefined;
  }

  private unavailable(error: unknown): null {
    this.metrics.cacheRequests.inc({ result: 'unavailable' });
    this.markUnavailable(error);
    return null;
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
