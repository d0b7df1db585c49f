import { Inject, Injectable, Logger } from '@nestjs/common';
import { Metrics } from '../common/observability/metrics.js';
import type { Train } from '../trains/train.entity.js';
import type { RouteStop } from './route-stop.entity.js';
import { RoutesRepository } from './routes.repository.js';

export interface TrainTimetable {
  train: Train;
  stops: RouteStop[];
}

/** When the timetable in memory is reloaded from PostgreSQL. */
export interface TimetableReloadPolicy {
  /** Age after which the timetable is reloaded (route changes made on other instances show up then). */
  intervalMs: number;
  /** Wait after a failed reload; doubled after each further failure, up to `intervalMs`. */
  firstRetryMs: number;
  /** Milliseconds on a monotonic clock (real time, not the simulated app clock); tests pass their own. */
  now(): number;
}

export const TIMETABLE_RELOAD = Symbol('TIMETABLE_RELOAD');

export const DEFAULT_TIMETABLE_RELOAD: TimetableReloadPolicy = { intervalMs: 60_000, firstRetryMs: 1000, now: () => performance.now() };

/**
 * Every train with its stops, in memory: the tracker and the live views read it every few
 * seconds. Reloaded in the background once it is a minute old (a read never waits for that), or
 * at once after a route change on this instance. A failed reload keeps the last good timetable
 * in service (live status of cached runs goes on while PostgreSQL is down) and is retried after
 * 1 s, 2 s, 4 s, … up to the interval.
 */
@Injectable()
export class TimetableService {
  private readonly logger = new Logger(TimetableService.name);
  /** The last timetable loaded, served until a reload succeeds. */
  private current: Map<string, TrainTimetable> | null = null;
  private loadedAt = 0;
  /** The load in flight, and the generation (count of invalidations) it started in. */
  private loading: { generation: number; promise: Promise<Map<string, TrainTimetable>> } | null = null;
  /** Bumped by invalidate(): a timetable loaded in an older generation may miss a route change. */
  private generation = 0;
  private currentGeneration = 0;
  private failures = 0;
  private retryAt = 0;
  private numbers: { source: Map<string, TrainTimetable>; index: Map<string, TrainTimetable> } | null = null;

  constructor(
    private readonly routes: RoutesRepository,
    private readonly metrics: Metrics,
    @Inject(TIMETABLE_RELOAD) private readonly policy: TimetableReloadPolicy,
  ) {}

  async all(): Promise<Map<string, TrainTimetable>> {
    const current = this.current;
    // Nothing to serve yet: wait for the load (it fails when PostgreSQL is down, and the next read tries again).
    if (!current) return this.load();
    // This instance changed a route: its next read must see the change, else the last good timetable.
    if (this.currentGeneration !== this.generation) return this.load().catch(() => current);
    const now = this.policy.now();
    if (now - this.loadedAt >= this.policy.intervalMs && now >= this.retryAt) void this.load().catch(() => undefined);
    return current;
  }

  async of(trainId: string): Promise<TrainTimetable | undefined> {
    return (await this.all()).get(trainId);
  }

  /** By public train number, without a database query (the live status hot path). */
  async byNumber(number: string): Promise<TrainTimetable | undefined> {
    const all = await this.all();
    if (this.numbers?.source !== all) this.numbers = { source: all, index: new Map([...all.values()].map((entry) => [entry.train.number, entry])) };
    return this.numbers.index.get(number);
  }

  invalidate(): void {
    this.generation += 1;
  }

  /** One load at a time; a read after invalidate() waits for one that started after it. */
  private load(): Promise<Map<string, TrainTimetable>> {
    if (this.loading?.generation === this.generation) return this.loading.promise;
    const generation = this.generation;
    const promise = this.query().then(
      (timetables) => {
        if (this.failures > 0) this.logger.log(`Timetable reloaded after ${this.failures} failed attempts`);
        this.metrics.timetableReloads.inc({ outcome: 'ok' });
        this.failures = 0;
        this.retryAt = 0;
        // A load that started before a later one finished must not replace its newer result.
        if (this.current && generation < this.currentGeneration) return timetables;
        this.current = timetables;
        this.currentGeneration = generation;
        this.loadedAt = this.policy.now();
        return timetables;
      },
      (error: unknown) => {
        this.metrics.timetableReloads.inc({ outcome: 'failed' });
        this.failures += 1;
        const wait = Math.min(this.policy.firstRetryMs * 2 ** (this.failures - 1), this.policy.intervalMs);
        this.retryAt = this.policy.now() + wait;
        if (this.current && this.failures === 1) {
          this.logger.warn(`Timetable reload failed, serving the one loaded before: ${error instanceof Error ? error.message : String(error)}`);
        }
        throw error;
      },
    );
    const loading = { generation, promise };
    this.loading = loading;
    void promise.finally(() => {
      if (this.loading === loading) this.loading = null;
    }).catch(() => undefined);
    return promise;
  }

  private async query(): Promise<Map<string, TrainTimetable>> {
    const timetables = new Map<string, TrainTimetable>();
    for (const stop of await this.routes.allStops()) {
      const entry = timetables.get(stop.trainId) ?? { train: stop.train!, stops: [] };
      entry.stops.push(stop);
      timetables.set(stop.trainId, entry);
    }
    return timetables;
  }
}
