import { jest } from '@jest/globals';

/** An asynchronous call held by the test: `hasReturned` once the real call is done, its result handed on at `release()`. */
export interface HeldCall {
  hasReturned: Promise<void>;
  release: () => void;
}

/**
 * Holds the next call of `target[method]` after the real method has answered, until released:
 * a test makes one writer wait right after it has read what it will decide on, so that the
 * interleaving of two writers (instances of a cluster) is the test's, not the scheduler's.
 */
export function holdNextCall<T extends object, K extends keyof T>(target: T, method: K): HeldCall {
  const real = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  let returned!: () => void;
  let release!: () => void;
  const hasReturned = new Promise<void>((resolve) => (returned = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  (jest.spyOn(target, method as never) as unknown as jest.Mock<(...args: unknown[]) => Promise<unknown>>).mockImplementationOnce(async (...args: unknown[]) => {
    const result = await real(...args);
    returned();
    await released;
    return result;
  });
  return { hasReturned, release };
}
