import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import { testConfig } from '../../test/builders/config.js';
import { Metrics } from '../common/observability/metrics.js';
import { TickLock } from './tick-lock.js';

const TTL_MS = 1000;
const KEY = 'tt:tracker:tick-lock';

/**
 * Redis as Redlock uses it (its three lock scripts, by name), holding keys in memory: `expire`
 * stands for a TTL running out, `down` for Redis being unreachable.
 */
class FakeRedis {
  held = new Map<string, string>();
  down = false;
  calls: string[] = [];

  private script(name: string, numKeys: number, args: Array<string | number>, apply: (keys: string[], value: string) => number): Promise<number> {
    this.calls.push(name);
    if (this.down) return Promise.reject(new Error('Connection is closed.'));
    const keys = args.slice(0, numKeys) as string[];
    const [, value] = args.slice(numKeys) as [number, string];
    return Promise.resolve(apply(keys, value));
  }
  acquireLock(numKeys: number, ...args: Array<string | number>) {
    return this.script('acquire', numKeys, args, (keys, value) => {
      if (keys.some((key) => this.held.has(key))) return 0;
      keys.forEach((key) => this.held.set(key, value));
      return keys.length;
    });
  }
  extendLock(numKeys: number, ...args: Array<string | number>) {
    return this.script('extend', numKeys, args, (keys, value) => (keys.every((key) => this.held.get(key) === value) ? keys.length : 0));
  }
  releaseLock(numKeys: number, ...args: Array<string | number>) {
    return this.script('release', numKeys, args, (keys, value) => keys.filter((key) => this.held.get(key) === value && this.held.delete(key)).length);
  }
  expire(key: string) {
    this.held.delete(key);
  }
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => (resolve = res));
  return { promise, resolve };
}

/** One instance's tick lock on the shared (fake) Redis, or without Redis. */
function instance(redis: FakeRedis | null) {
  const metrics = new Metrics();
  const lock = new TickLock(redis as unknown as Redis, metrics, testConfig({ TRACKING_LOCK_TTL_MS: TTL_MS, REDIS_KEY_PREFIX: 'tt:' }));
  const outcomes = async () =>
    Object.fromEntries((await metrics.lockAcquisitions.get()).values.map((value) => [value.labels.outcome as string, value.value]));
  return { lock, outcomes };
}

afterEach(() => {
  jest.useRealTimers();
});

describe('TickLock', () => {
  it('without Redis (a single instance) always runs the work', async () => {
    const { lock } = instance(null);
    expect(await lock.run(async () => 'ticked', { keepUntilExpiry: true })).toEqual({ outcome: 'local', result: 'ticked' });
  });

  it('runs the work holding the lock, and frees it after a tick on demand', async () => {
    const redis = new FakeRedis();
    const { lock, outcomes } = instance(redis);
    const result = await lock.run(async () => (redis.held.has(KEY) ? 'held while working' : 'not held'), { keepUntilExpiry: false });
    expect(result).toEqual({ outcome: 'acquired', result: 'held while working' });
    expect(redis.held.has(KEY)).toBe(false);
    expect(await outcomes()).toEqual({ acquired: 1 });
  });

  it('frees the lock after a tick on demand that fails', async () => {
    const redis = new FakeRedis();
    const { lock } = instance(redis);
    await expect(lock.run(() => Promise.reject(new Error('tick failed')), { keepUntilExpiry: false })).rejects.toThrow('tick failed');
    expect(redis.held.has(KEY)).toBe(false);
  });

  it('keeps the lock after a scheduled tick: another instance is busy (and does not work) until it expires', async () => {
    const redis = new FakeRedis();
    const [a, b] = [instance(redis), instance(redis)];
    expect(await a.lock.run(async () => 'a ticked', { keepUntilExpiry: true })).toEqual({ outcome: 'acquired', result: 'a ticked' });
    expect(redis.held.has(KEY)).toBe(true);

    let worked = false;
    expect(await b.lock.run(async () => (worked = true), { keepUntilExpiry: true })).toEqual({ outcome: 'busy' });
    expect(worked).toBe(false);
    expect(await b.outcomes()).toEqual({ busy: 1 });

    redis.expire(KEY);
    expect(await b.lock.run(async () => 'b ticked', { keepUntilExpiry: true })).toEqual({ outcome: 'acquired', result: 'b ticked' });
  });

  it('with Redis away, ticks anyway and says the lock failed (error), not that another instance holds it (busy)', async () => {
    const redis = new FakeRedis();
    redis.down = true;
    const { lock, outcomes } = instance(redis);
    expect(await lock.run(async () => 'ticked without the lock', { keepUntilExpiry: true })).toEqual({ outcome: 'error', result: 'ticked without the lock' });
    expect(await outcomes()).toEqual({ error: 1 });
  });

  it('extends the lock every half TTL while a long tick runs, and stops when it ends', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    const redis = new FakeRedis();
    const { lock } = instance(redis);
    const work = deferred();
    const running = lock.run(() => work.promise, { keepUntilExpiry: true });
    await jest.advanceTimersByTimeAsync(0);
    expect(redis.calls).toEqual(['acquire']);

    await jest.advanceTimersByTimeAsync(TTL_MS / 2);
    await jest.advanceTimersByTimeAsync(TTL_MS / 2);
    expect(redis.calls).toEqual(['acquire', 'extend', 'extend']);
    expect(redis.held.has(KEY)).toBe(true);

    work.resolve();
    await running;
    await jest.advanceTimersByTimeAsync(3 * TTL_MS);
    expect(redis.calls).toEqual(['acquire', 'extend', 'extend']);
  });

  it('release() gives a kept lock up at once (shutdown), so another instance takes over without waiting for it to expire', async () => {
    const redis = new FakeRedis();
    const [a, b] = [instance(redis), instance(redis)];
    await a.lock.run(async () => undefined, { keepUntilExpiry: true });
    await a.lock.release();
    expect(redis.held.has(KEY)).toBe(false);
    expect(await b.lock.run(async () => 'b ticked', { keepUntilExpiry: true })).toMatchObject({ outcome: 'acquired' });
  });

  it('release() does not touch Redis without a lock, nor for a lock already expired (it may be another instance’s by now)', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    const redis = new FakeRedis();
    const { lock } = instance(redis);
    await lock.release();
    expect(redis.calls).toEqual([]);

    await lock.run(async () => undefined, { keepUntilExpiry: true });
    jest.setSystemTime(Date.now() + TTL_MS);
    redis.expire(KEY);
    await lock.release();
    expect(redis.calls).toEqual(['acquire']);
  });
});
