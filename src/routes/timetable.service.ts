import { Inject, Injectable, Logger } from '@nestjs/common';
import { Metrics } from '../common/observability/metrics.js';
import type { Train } from '../trains/train.entity.js';
import type { RouteStop } from './route-stop.entity.js';
import type { PatternTimetable, TrainTimetable } from './timetable.model.js';
import { RoutesRepository } from './routes.repository.js';

export type { PatternTimetable, TrainTimetable } from './timetable.model.js';

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

/** One load of the catalog: timetables by train id, and every train (with a route or not) by number. */
interface LoadedCatalog {
  timetables: Map<string, TrainTimetable>;
  trainsByNumber: Map<string, Train>;
}

/**
 * Every train with its stop patterns, in memory: the tracker and the live views read it every few
 * seconds. Reloaded in the background once it is a minute old (a read never waits for that), or
 * at once after a route change on this instance. A failed reload keeps the last good timetable
 * in service (live status of cached runs goes on while PostgreSQL is down) and is retried after
 * 1 s, 2 s, 4 s, … up to the interval. It also knows every train number, routed or not, so a
 * lookup of a number that does not exist is answered from memory: a client asking for thousands
 * of missing trains costs no query.
 */
@Injectable()
export class TimetableService {
  private readonly logger = new Logger(TimetableService.name);
  /** The last timetable loaded, served until a reload succeeds. */
  private current: LoadedCatalog | null = null;
  private loadedAt = 0;
  /** The load in flight, and the generation (count of invalidations) it started in. */
  private loading: { generation: number; promise: Promise<LoadedCatalog> } | null = null;
  /** Bumped by invalidate(): a timetable loaded in an older generation may miss a route change. */
  private generation = 0;
  private currentGeneration = 0;
  private failures = 0;
  private retryAt = 0;

  constructor(
    private readonly routes: RoutesRepository,
    private readonly metrics: Metrics,
    @Inject(TIMETABLE_RELOAD) private readonly policy: TimetableReloadPolicy,
  ) {}

  /** Timetables of the trains that have a route, by train id. */
  async all(): Promise<Map<string, TrainTimetable>> {
    return (await this.catalog()).timetables;
  }

  private async catalog(): Promise<LoadedCatalog> {
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
    const { timetables, trainsByNumber } = await this.catalog();
    const train = trainsByNumber.get(number);
    return train && timetables.get(train.id);
  }

  /**
   * Any train of the catalog by number, with a route or not, without a database query; undefined
   * when no such train exists. A train added on another instance is known here from the next
   * reload (within a minute).
   */
  async trainByNumber(number: string): Promise<Train | undefined> {
    return (await this.catalog()).trainsByNumber.get(number);
  }

  invalidate(): void {
    this.generation += 1;
  }

  /** One load at a time; a read after invalidate() waits for one that started after it. */
  private load(): Promise<LoadedCatalog> {
    if (this.loading?.generation === this.generation) return this.loading.promise;
    const generation = this.generation;
    const promise = this.query().then(
      (loaded) => {
        if (this.failures > 0) this.logger.log(`Timetable reloaded after ${this.failures} failed attempts`);
        this.metrics.timetableReloads.inc({ outcome: 'ok' });
        this.failures = 0;
        this.retryAt = 0;
        // A load that started before a later one finished must not replace its newer result.
        if (this.current && generation < this.currentGeneration) return loaded;
        this.current = loaded;
        this.currentGeneration = generation;
        this.loadedAt = this.policy.now();
        return loaded;
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

  private async query(): Promise<LoadedCatalog> {
    return timetablesOf(await this.routes.timetableRows());
  }
}

/** Groups stops (ordered by pattern and sequence) into patterns and trains; patterns of fewer than two stops cannot run and are left out. */
export function timetablesOf({ trains, patterns, stops }: { trains: Train[]; patterns: PatternTimetable['pattern'][]; stops: RouteStop[] }): LoadedCatalog {
  const stopsByPattern = new Map<string, RouteStop[]>();
  for (const stop of stops) {
    const own = stopsByPattern.get(stop.patternId);
    if (own) own.push(stop);
    else stopsByPattern.set(stop.patternId, [stop]);
  }
  const trainsById = new Map(trains.map((train) => [train.id, train]));
  const timetables = new Map<string, TrainTimetable>();
  for (const pattern of patterns) {
    const own = stopsByPattern.get(pattern.id);
    const train = trainsById.get(pattern.trainId);
    if (!own || own.length < 2 || !train) continue;
    const entry = timetables.get(train.id) ?? { train, patterns: [] };
    entry.patterns.push({ pattern, stops: own });
    timetables.set(train.id, entry);
  }
  return { timetables, trainsByNumber: new Map(trains.map((train) => [train.number, train])) };
}
