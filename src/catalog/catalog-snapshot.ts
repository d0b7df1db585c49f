import type { Logger } from '@nestjs/common';

/** When an in-memory copy of the catalog (the timetable, the station index) is reloaded from PostgreSQL. */
export interface CatalogReloadPolicy {
  /**
   * How often the catalog version is read (one single-row query); the copy is reloaded only
   * when it moved, so a change made on another instance shows up within this.
   */
  intervalMs: number;
  /** Wait after a failed reload; doubled after each further failure, up to `intervalMs`. */
  firstRetryMs: number;
  /** Milliseconds on a monotonic clock (real time, not the simulated app clock); tests pass their own. */
  now(): number;
}

export const CATALOG_RELOAD = Symbol('CATALOG_RELOAD');

export const DEFAULT_CATALOG_RELOAD: CatalogReloadPolicy = { intervalMs: 2000, firstRetryMs: 1000, now: () => performance.now() };

/** How a reload ended: rebuilt, kept (the version had not moved), or failed (the last good copy stays). */
export type ReloadOutcome = 'ok' | 'unchanged' | 'failed';

export interface CatalogSnapshotSource<T extends { version: string }> {
  /** The catalog version now (bumped by a trigger on every catalog write). */
  version(): Promise<string>;
  /** Builds the copy from PostgreSQL; `version` was read before the rows. */
  build(version: string): Promise<T>;
}

/**
 * An in-memory copy of (part of) the catalog, kept at the catalog version: the version is checked
 * every `intervalMs` (a read never waits for that) and the copy rebuilt in the background when
 * it moved, or at once after invalidate() (a write on this instance: its next read must see it).
 * A failed reload keeps the last good copy in service and is retried after 1 s, 2 s, 4 s, … up to
 * the interval; only the first load, with nothing to serve yet, makes reads wait or fail.
 */
export class CatalogSnapshot<T extends { version: string }> {
  /** The last copy loaded, served until a reload succeeds. */
  private current: T | null = null;
  private checkedAt = 0;
  /** The load in flight, and the generation (count of invalidations) it started in. */
  private loading: { generation: number; promise: Promise<T> } | null = null;
  /** Bumped by invalidate(): a copy loaded in an older generation may miss a change. */
  private generation = 0;
  private currentGeneration = 0;
  private failures = 0;
  private retryAt = 0;

  constructor(
    private readonly source: CatalogSnapshotSource<T>,
    private readonly policy: CatalogReloadPolicy,
    private readonly onReload: (outcome: ReloadOutcome) => void,
    /** Names the copy in log lines ("Timetable"). */
    private readonly label: string,
    private readonly logger: Logger,
  ) {}

  /** The copy in service (the first read waits for it). */
  get(): Promise<T> {
    const current = this.current;
    // Nothing to serve yet: wait for the load (it fails when PostgreSQL is down, and the next read tries again).
    if (!current) return this.load();
    // This instance changed the catalog: its next read must see the change, else the last good copy.
    if (this.currentGeneration !== this.generation) return this.load().catch(() => current);
    const now = this.policy.now();
    // After a failed reload, retry on the backoff; else check the version once per interval.
    const due = this.failures > 0 ? now >= this.retryAt : now - this.checkedAt >= this.policy.intervalMs;
    if (due) void this.load(current).catch(() => undefined);
    return Promise.resolve(current);
  }

  invalidate(): void {
    this.generation += 1;
  }

  /**
   * One load at a time; a read after invalidate() waits for one that started after it. Given the
   * copy in service, it reads the version first and keeps that copy when the version has not
   * moved (one single-row query, no rebuild).
   */
  private load(unlessSameAs?: T): Promise<T> {
    if (this.loading?.generation === this.generation) return this.loading.promise;
    const generation = this.generation;
    this.checkedAt = this.policy.now();
    const promise = this.query(unlessSameAs).then(
      (loaded) => {
        if (this.failures > 0) this.logger.log(`${this.label} reloaded after ${this.failures} failed attempts`);
        this.onReload(loaded === unlessSameAs ? 'unchanged' : 'ok');
        this.failures = 0;
        this.retryAt = 0;
        this.checkedAt = this.policy.now();
        // A load that started before a later one finished must not replace its newer result.
        if (loaded === unlessSameAs || (this.current && generation < this.currentGeneration)) return loaded;
        this.current = loaded;
        this.currentGeneration = generation;
        return loaded;
      },
      (error: unknown) => {
        this.onReload('failed');
        this.failures += 1;
        const wait = Math.min(this.policy.firstRetryMs * 2 ** (this.failures - 1), this.policy.intervalMs);
        this.retryAt = this.policy.now() + wait;
        if (this.current && this.failures === 1) {
          this.logger.warn(`${this.label} reload failed, serving the one loaded before: ${error instanceof Error ? error.message : String(error)}`);
        }
        throw error;
      },
    );
    const loading = { generation, promise };
    this.loading = loading;
    void promise
      .finally(() => {
        if (this.loading === loading) this.loading = null;
      })
      .catch(() => undefined);
    return promise;
  }

  private async query(unlessSameAs?: T): Promise<T> {
    const version = await this.source.version();
    if (unlessSameAs && version === unlessSameAs.version) return unlessSameAs;
    return this.source.build(version);
  }
}
