import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import dc from 'node:diagnostics_channel';
import { runKey, type RunState, scheduledState } from '../src/live/run-state.js';
import { RunStateCache } from '../src/live/run-state.cache.js';
import { testEnv, useTestApp } from './app.factory.js';

/**
 * Round trips to Redis of the cache's bulk calls, as node-redis reports its commands on
 * diagnostics_channel: a round trip starts when an MGET or a MULTI is sent while no other is
 * awaiting its reply (those sent together wait together).
 */
class RoundTrips {
  count = 0;
  private inFlight = 0;
  private readonly started = (context: unknown) => {
    const { command, batchMode } = context as { command?: unknown; batchMode?: unknown };
    if (String(command).toUpperCase() !== 'MGET' && batchMode !== 'MULTI') return;
    if (this.inFlight++ === 0) this.count++;
    (context as { counted?: boolean }).counted = true;
  };
  private readonly settled = (context: unknown) => {
    if ((context as { counted?: boolean }).counted) this.inFlight--;
  };
  private readonly channels = ['command', 'batch'].map((name) => dc.tracingChannel(`node-redis:${name}`));
  private readonly handlers = { start: this.started, asyncEnd: this.settled, error: this.settled, end() {}, asyncStart() {} };
  constructor() {
    for (const channel of this.channels) channel.subscribe(this.handlers);
  }
  close() {
    for (const channel of this.channels) channel.unsubscribe(this.handlers);
  }
}

describe('run states in Redis, past one batch', () => {
  const api = useTestApp(testEnv('train_tracker_test_state_cache'));
  let trips: RoundTrips;
  beforeAll(() => void (trips = new RoundTrips()));
  afterAll(() => trips.close());

  // 12,000 states: three batches of at most 5,000 each way.
  const states: RunState[] = Array.from({ length: 12_000 }, (_, index) => ({
    ...scheduledState(`train-${index}`, String(10_000 + index), '2026-11-24'),
    phase: 'RUNNING',
    delayMinutes: index % 90,
    lastStopSequence: 1 + (index % 7),
    version: 1 + (index % 5),
    // Keyv escapes a string starting with ':' in its format: some states hold one.
    platform: index % 500 === 0 ? `:${index}` : null,
  }));

  it('writes them in one round trip, and reads them back in order, missing ones included, in one more', async () => {
    const cache = api.app.get(RunStateCache);
    trips.count = 0;
    expect(await cache.setMany(states)).toBe(true);
    expect(trips.count).toBe(1);

    // Every cached state, with a key never written after every thousandth.
    const keys = states.flatMap((state, index) => [runKey(state.trainId, state.serviceDate), ...(index % 1000 === 999 ? [`missing-${index}:2026-11-24`] : [])]);
    trips.count = 0;
    const read = await cache.getMany(keys);
    expect(trips.count).toBe(1);
    expect(read).toHaveLength(12_012);
    expect(read!.filter((state) => state === undefined)).toHaveLength(12);
    expect(read!.filter((state): state is RunState => state !== undefined)).toEqual(states);
    expect(read![1000]).toBeUndefined();
    expect(read![1001]).toEqual(states[1000]);
  });

  it('writes entries a single read through the cache (Keyv) reads as they were written, escaped strings included', async () => {
    const cache = api.app.get<Cache>(CACHE_MANAGER);
    for (const state of [states[0], states[1], states[500]]) expect(await cache.get(`run:${runKey(state.trainId, state.serviceDate)}`)).toEqual(state);
    expect(states[500].platform).toBe(':500');
  });
});
