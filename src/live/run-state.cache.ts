import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Cache } from 'cache-manager';
import { batchesOf } from '../common/batches.js';
import { withTimeout } from '../common/cache/timeout.js';
import { deserializeEntry } from '../common/cache/keyv-json.js';
import { mapInSlices, yieldToEventLoop } from '../common/event-loop/slices.js';
import { Metrics } from '../common/observability/metrics.js';
import type { Env } from '../config/env.validation.js';
import { runKey, type RunState } from './run-state.js';

const TTL_MS = 3 * 86_400_000;
const PROBE_INTERVAL_MS = 2000;
/**
 * States per MGET or MULTI when a tick's states are read or written (see readInSlices,
 * writeInSlices), so that no reply or command of 100,000 states (tens of megabytes) is decoded
 * or encoded in one go: a MULTI of 5,000 states took the client ~20 ms to encode and write, with
 * a collection on top. The batches of a read, and those of a write, are sent together: one
 * round trip each way however many runs there are.
 */
const STATES_PER_BATCH = 1000;

/** The Redis connection behind a Keyv store, when there is one (node-redis client). */
interface RedisBackedStore {
  client?: { isReady?: boolean };
  getClient?: () => Promise<unknown>;
}

/** What a bulk read or write of run states uses of a Keyv store on one Redis server (@keyv/redis). */
interface RedisStore extends RedisBackedStore {
  client: { isReady?: boolean; mGet(keys: string[]): Promise<Array<string | null>>; multi(): RedisMulti };
  namespace?: string;
  createKeyPrefix(key: string, namespace?: string): string;
  isCluster(): boolean;
}

interface RedisMulti {
  set(key: string, value: string, options: { PX: number }): RedisMulti;
  exec(): Promise<unknown>;
}

/** The Keyv in front of the store: its own (de)serializer writes and reads the values, so single reads through the cache see the same entries. */
interface KeyvWithRedis {
  store: RedisStore;
  serialize?: (data: { value: unknown; expires?: number }) => string | Promise<string>;
  deserialize?: (data: string) => { value?: unknown; expires?: number } | undefined | Promise<{ value?: unknown; expires?: number } | undefined>;
  compression?: unknown;
}


/**
 * Last known run states in the shared cache, read and written in one round trip each. Every
 * call has a short timeout; when the cache fails the caller is told (null / false) and goes
 * to PostgreSQL instead. On Redis, a tick's states are parsed and serialized here in slices
 * around one MGET and one MULTI (Keyv does all of it in one go: ~100 ms of event loop for the
 * 5,000 runs of the Indian catalog), with Keyv's own serializer and key prefix.
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
      const redis = this.bulkRedis();
      const values = redis ? await this.readInSlices(redis, keys) : await withTimeout(this.cache.mget<RunState>(keys.map(cacheKey)), this.timeoutMs, 'cache read');
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
      const redis = this.bulkRedis();
      if (redis) await this.writeInSlices(redis, states);
      else {
        await withTimeout(
          this.cache.mset(states.map((state) => ({ key: cacheKey(runKey(state.trainId, state.serviceDate)), value: state, ttl: TTL_MS }))),
          this.timeoutMs,
          'cache write',
        );
      }
      if (!this.connected()) return this.unavailable(new Error('Redis connection lost')) ?? false;
      this.markAvailable();
      return true;
    } catch (error) {
      this.markUnavailable(error);
      return false;
    }
  }

  /**
   * An MGET per STATES_PER_BATCH keys, all sent at once (one round trip: the client writes them
   * together and the replies are decoded as they arrive), then the values parsed in slices;
   * expired entries read as missing, as Keyv reads them. One MGET of a tick's 5,000 states was one
   * reply of megabytes, decoded by the client in one go. The timeout is per batch.
   */
  private async readInSlices({ keyv, store }: { keyv: KeyvWithRedis; store: RedisStore }, keys: string[]): Promise<Array<RunState | undefined>> {
    const batches = [...batchesOf(keys, STATES_PER_BATCH)];
    const replies = await withTimeout(
      Promise.all(batches.map((batch) => store.client.mGet(batch.map((key) => store.createKeyPrefix(cacheKey(key), store.namespace))))),
      this.timeoutMs * batches.length,
      'cache read',
    );
    const raw = replies.length === 1 ? replies[0] : replies.flat();
    const rows = await settled(await mapInSlices(raw, (text) => (text === null ? undefined : deserializeEntry(text, keyv.deserialize!))));
    const now = Date.now();
    return rows.map((row) => (row && !(typeof row.expires === 'number' && now > row.expires) ? (row.value as RunState) : undefined));
  }

  /**
   * The states serialized in slices (by Keyv's serializer: see keyv-json.ts), then a MULTI of
   * SETs with their TTL per STATES_PER_BATCH states, sent one after the other without waiting for
   * replies (one round trip), a turn of the event loop apart: the client encodes and writes a
   * queued batch in one go (one MULTI for the 5,000 runs of a first tick on the Indian catalog
   * was encoded in one go). The timeout is per batch.
   */
  private async writeInSlices({ keyv, store }: { keyv: KeyvWithRedis; store: RedisStore }, states: RunState[]): Promise<void> {
    const expires = Date.now() + TTL_MS;
    const values = await settled(await mapInSlices(states, (state) => keyv.serialize!({ value: state, expires })));
    const writes: Array<Promise<unknown>> = [];
    let index = 0;
    for (const batch of batchesOf(states, STATES_PER_BATCH)) {
      if (writes.length > 0) await yieldToEventLoop(); // the client writes the batch before the next is queued
      const multi = store.client.multi();
      for (const state of batch) multi.set(store.createKeyPrefix(cacheKey(runKey(state.trainId, state.serviceDate)), store.namespace), values[index++], { PX: TTL_MS });
      writes.push(multi.exec());
    }
    await withTimeout(Promise.all(writes), this.timeoutMs * writes.length, 'cache write');
  }

  /** The Keyv and its store when the cache is one Redis server with plain (de)serialization; otherwise the cache's own mget/mset. */
  private bulkRedis(): { keyv: KeyvWithRedis; store: RedisStore } | undefined {
    const keyv = this.cache.stores[0] as unknown as KeyvWithRedis | undefined;
    const store = this.redisStore() as RedisStore | undefined;
    if (!keyv || !store || typeof store.createKeyPrefix !== 'function' || store.isCluster() || !keyv.serialize || !keyv.deserialize || keyv.compression) return undefined;
    return { keyv, store };
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

/** The values, once those that are promises (a store's own async (de)serializer) have settled; without one, no Promise.all over 100,000 values. */
async function settled<T>(values: Array<T | Promise<T>>): Promise<T[]> {
  return values.some((value) => value instanceof Promise) ? Promise.all(values) : (values as T[]);
}
