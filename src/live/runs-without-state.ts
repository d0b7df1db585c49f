/**
 * Runs PostgreSQL had no state for when last asked, remembered for a short while so that live
 * views of runs nobody has reported on (most of a station board: trains not yet started) cost no
 * query per request. The cache (Redis) is read first, so a state another instance writes there
 * shows at once; what this can hide, for at most `ttlMs`, is a state written to PostgreSQL whose
 * cache write failed. This instance forgets a run once it writes its state, and forgets every run
 * when the cache cannot be read (writes meanwhile reached PostgreSQL only).
 */
export class RunsWithoutState {
  /** Run key → until when (on `now()`'s clock) its absence is trusted. */
  private readonly until = new Map<string, number>();
  private nextSweep = 0;

  constructor(
    private readonly ttlMs: number,
    /** Milliseconds on a monotonic clock (real time, not the simulated app clock); tests pass their own. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  has(key: string): boolean {
    const until = this.until.get(key);
    return until !== undefined && until > this.now();
  }

  remember(keys: Iterable<string>): void {
    const now = this.now();
    // Expired entries go at most once per ttl: the map holds the runs read in the last ttl or two.
    if (now >= this.nextSweep) {
      for (const [key, until] of this.until) if (until <= now) this.until.delete(key);
      this.nextSweep = now + this.ttlMs;
    }
    for (const key of keys) this.until.set(key, now + this.ttlMs);
  }

  forget(keys: Iterable<string>): void {
    for (const key of keys) this.until.delete(key);
  }

  forgetAll(): void {
    this.until.clear();
  }
}
