import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { testConfig } from '../../test/builders/config.js';
import { Metrics } from '../common/observability/metrics.js';
import { RunStateCache } from './run-state.cache.js';
import { runKey, type RunState, scheduledState } from './run-state.js';

const TIMEOUT_MS = 250;
const state = (trainId: string, version = 1): RunState => ({ ...scheduledState(trainId, '12951', '2026-11-24'), version });
const keyOf = (s: RunState) => runKey(s.trainId, s.serviceDate);

/**
 * cache-manager's Cache over a Keyv store, in memory. With `redis` the store looks like Keyv's
 * Redis store (a node-redis client whose readiness the cache checks, and getClient to reconnect).
 */
class FakeCache {
  values = new Map<string, unknown>();
  calls: string[] = [];
  /** What the next mget/mset does instead of answering: hang forever, or fail. */
  next: 'hang' | 'fail' | null = null;
  redis = { client: { isReady: true }, reconnects: 0, getClient: () => (this.redis.reconnects++, Promise.reject(new Error('ECONNREFUSED'))) };
  stores: Array<{ store: unknown }>;

  constructor(redisBacked: boolean) {
    this.stores = [{ store: redisBacked ? this.redis : {} }];
  }
  private answer<T>(value: () => T): Promise<T> {
    const next = this.next;
    this.next = null;
    if (next === 'hang') return new Promise<T>(() => undefined);
    if (next === 'fail') return Promise.reject(new Error('socket closed unexpectedly'));
    return Promise.resolve(value());
  }
  mget(keys: string[]) {
    this.calls.push(`mget ${keys.join(' ')}`);
    return this.answer(() => keys.map((key) => this.values.get(key)));
  }
  mset(entries: Array<{ key: string; value: unknown; ttl: number }>) {
    this.calls.push(`mset ${entries.map(({ key, ttl }) => `${key}@${ttl}`).join(' ')}`);
    return this.answer(() => entries.forEach(({ key, value }) => this.values.set(key, value)));
  }
}

function setUp({ redisBacked = true } = {}) {
  const store = new FakeCache(redisBacked);
  const metrics = new Metrics();
  const cache = new RunStateCache(store as unknown as Cache, metrics, testConfig({ CACHE_TIMEOUT_MS: TIMEOUT_MS }));
  const results = async () =>
    Object.fromEntries((await metrics.cacheRequests.get()).values.map((value) => [value.labels.result as string, value.value]));
  return { cache, store, results };
}

let warnings: string[];
let logs: string[];
beforeEach(() => {
  warnings = [];
  logs = [];
  jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => void logs.push(String(message)));
});
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('RunStateCache', () => {
  it('reads many states in one call, undefined where not cached, and counts hits and misses', async () => {
    const { cache, store, results } = setUp();
    const cached = state('t1');
    await cache.setMany([cached]);
    const read = await cache.getMany([keyOf(cached), runKey('t2', '2026-11-24')]);
    expect(read).toEqual([cached, undefined]);
    expect(store.calls.filter((call) => call.startsWith('mget'))).toEqual(['mget run:t1:2026-11-24 run:t2:2026-11-24']);
    expect(await results()).toEqual({ hit: 1, miss: 1 });
  });

  it('writes many states in one call, each expiring after three days', async () => {
    const { cache, store } = setUp();
    expect(await cache.setMany([state('t1'), state('t2')])).toBe(true);
    expect(store.calls).toEqual([`mset run:t1:2026-11-24@${3 * 86_400_000} run:t2:2026-11-24@${3 * 86_400_000}`]);
  });

  it('asks the store nothing for nothing', async () => {
    const { cache, store } = setUp();
    expect(await cache.getMany([])).toEqual([]);
    expect(await cache.setMany([])).toBe(true);
    expect(store.calls).toEqual([]);
  });

  it('gives up on a call that hangs after CACHE_TIMEOUT_MS: null for a read (go to PostgreSQL), false for a write', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    const { cache, store, results } = setUp();
    store.next = 'hang';
    const read = cache.getMany(['t1:2026-11-24']);
    await jest.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    let settled = false;
    void read.then(() => (settled = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    // The deadline may be extended while this process is busy (withTimeout: a late answer under our
    // own load is not an outage), at most three times: four timeouts end any hang.
    const deadlines = async () => {
      await jest.advanceTimersByTimeAsync(1);
      for (let extension = 0; extension < 3; extension++) {
        await new Promise((resolve) => setImmediate(resolve)); // the deadline's verdict (real setImmediate)
        await jest.advanceTimersByTimeAsync(TIMEOUT_MS);
      }
      await new Promise((resolve) => setImmediate(resolve));
    };
    await deadlines();
    expect(await read).toBeNull();
    expect(await results()).toEqual({ unavailable: 1 });

    store.next = 'hang';
    const write = cache.setMany([state('t1')]);
    await jest.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    await deadlines();
    expect(await write).toBe(false);
  });

  it('treats a failing store as unavailable: null for a read, false for a write', async () => {
    const { cache, store } = setUp();
    store.next = 'fail';
    expect(await cache.getMany(['t1:2026-11-24'])).toBeNull();
    store.next = 'fail';
    expect(await cache.setMany([state('t1')])).toBe(false);
  });

  it('does not call a disconnected Redis store at all (it would answer "not found"), and tries to reconnect at most every 2 s', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    const { cache, store, results } = setUp();
    cache.onModuleInit();
    expect(store.redis.reconnects).toBe(1);
    store.redis.client.isReady = false;

    expect(await cache.getMany(['t1:2026-11-24'])).toBeNull();
    expect(await cache.setMany([state('t1')])).toBe(false);
    expect(store.calls).toEqual([]);
    expect(await results()).toEqual({ unavailable: 2 });
    expect(store.redis.reconnects).toBe(1);

    jest.setSystemTime(Date.now() + 2000);
    expect(await cache.getMany(['t1:2026-11-24'])).toBeNull();
    expect(store.redis.reconnects).toBe(2);
  });

  it('does not trust a "not found" from a connection lost during the read', async () => {
    const { cache, store } = setUp();
    store.values.set('run:t1:2026-11-24', state('t1'));
    const mget = store.mget.bind(store);
    store.mget = (keys: string[]) => {
      store.redis.client.isReady = false;
      return mget(keys).then((values) => values.map(() => undefined));
    };
    expect(await cache.getMany(['t1:2026-11-24'])).toBeNull();
  });

  it('warns once while the cache is away, says when it is back, and reads from it again', async () => {
    const { cache, store } = setUp();
    store.values.set('run:t1:2026-11-24', state('t1', 4));
    store.redis.client.isReady = false;
    await cache.getMany(['t1:2026-11-24']);
    await cache.getMany(['t1:2026-11-24']);
    await cache.setMany([state('t1')]);
    expect(warnings).toEqual(['Cache unavailable, using PostgreSQL: Redis is not connected']);

    store.redis.client.isReady = true;
    expect(await cache.getMany(['t1:2026-11-24'])).toEqual([expect.objectContaining({ version: 4 })]);
    expect(logs).toEqual(['Cache available again']);
  });

  it('uses a store that is not Redis-backed (in memory) without any connection check', async () => {
    const { cache } = setUp({ redisBacked: false });
    cache.onModuleInit();
    expect(await cache.setMany([state('t1', 2)])).toBe(true);
    expect(await cache.getMany(['t1:2026-11-24'])).toEqual([expect.objectContaining({ version: 2 })]);
  });
});
