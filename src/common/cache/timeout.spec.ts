import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type LoopBusyness, withTimeout } from './timeout.js';

/** A loop that was as busy as the test says, whatever the real one did. */
const busynessOf = (shares: number[]): LoopBusyness => ({ mark: () => null, since: () => shares.shift() ?? 0 });
const never = () => new Promise<string>(() => undefined);

describe('withTimeout', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('settles with the promise when it answers in time', async () => {
    await expect(withTimeout(Promise.resolve('hit'), 250, 'cache read', { busyness: busynessOf([]) })).resolves.toBe('hit');
  });

  it('fails after the deadline when the loop was idle: the store is slow, not us', async () => {
    const result = withTimeout(never(), 250, 'cache read', { busyness: busynessOf([0.1]) });
    const failure = expect(result).rejects.toThrow('cache read timed out after 250 ms');
    await jest.advanceTimersByTimeAsync(250);
    await jest.runOnlyPendingTimersAsync(); // the verdict's setImmediate
    await failure;
  });

  it('extends the deadline while the loop was saturated, then takes the answer that was waiting', async () => {
    let answer!: (value: string) => void;
    const result = withTimeout(new Promise<string>((resolve) => (answer = resolve)), 250, 'cache read', { busyness: busynessOf([0.99]) });
    await jest.advanceTimersByTimeAsync(250);
    answer('late hit');
    await expect(result).resolves.toBe('late hit');
  });

  it('gives up after a bounded number of extensions, however busy the loop stays', async () => {
    const result = withTimeout(never(), 250, 'cache read', { busyness: busynessOf([1, 1, 1, 1, 1]), maxExtensions: 3 });
    const failure = expect(result).rejects.toThrow('cache read timed out after 1000 ms');
    for (let deadline = 1; deadline <= 4; deadline++) {
      await jest.advanceTimersByTimeAsync(250);
      await jest.runOnlyPendingTimersAsync();
    }
    await failure;
  });

  it('reads an answer that arrived with the deadline before failing (pending I/O gets its turn first)', async () => {
    let answer!: (value: string) => void;
    const result = withTimeout(new Promise<string>((resolve) => (answer = resolve)), 250, 'cache read', { busyness: busynessOf([0]) });
    jest.advanceTimersByTime(250); // the deadline's timer has run; its verdict waits for setImmediate
    answer('just in time');
    await expect(result).resolves.toBe('just in time');
  });
});
