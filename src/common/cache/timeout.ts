import { performance } from 'node:perf_hooks';

/** How busy this process's event loop has been since a start mark (0 idle … 1 never idle). */
export interface LoopBusyness {
  mark(): unknown;
  since(mark: unknown): number;
}

/** Event-loop utilization from perf_hooks: two native reads, no timer of its own. */
export const eventLoopBusyness: LoopBusyness = {
  mark: () => performance.eventLoopUtilization(),
  since: (mark) => performance.eventLoopUtilization(mark as ReturnType<typeof performance.eventLoopUtilization>).utilization,
};

export interface TimeoutOptions {
  /**
   * Above this share of busy time during the wait, a late answer is put down to us, not to the
   * store: the deadline is extended (up to `maxExtensions` times) instead of failing.
   */
  busyShare?: number;
  maxExtensions?: number;
  busyness?: LoopBusyness;
}

/**
 * Settles with the promise, or rejects after `ms` (a cache call must never hang a request or
 * tick). A store that answers slowly because this process is saturated is not a store that is
 * down: under CPU overload the answer often sits unread in the socket while the loop works
 * through other requests, and failing over to PostgreSQL then adds load exactly when there is
 * none to spare (issue #16). So when the deadline passes, the pending I/O is first given a turn
 * of the loop (setImmediate runs after the poll phase that reads it), and while the loop was
 * mostly busy during the wait the deadline is extended, a bounded number of times.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, options: TimeoutOptions = {}): Promise<T> {
  const { busyShare = 0.9, maxExtensions = 3, busyness = eventLoopBusyness } = options;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let settled = false;
  const timeout = new Promise<never>((_, reject) => {
    let extensions = 0;
    let mark = busyness.mark();
    const expire = () => {
      immediate = setImmediate(() => {
        if (settled) return;
        if (extensions < maxExtensions && busyness.since(mark) >= busyShare) {
          extensions += 1;
          mark = busyness.mark();
          timer = setTimeout(expire, ms);
          return;
        }
        reject(new Error(`${what} timed out after ${ms * (extensions + 1)} ms`));
      });
    };
    timer = setTimeout(expire, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    settled = true;
    clearTimeout(timer);
    clearImmediate(immediate);
  });
}
