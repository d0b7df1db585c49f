import { Inject, Injectable, Logger } from '@nestjs/common';
import { Metrics } from '../common/observability/metrics.js';
import type { Train } from '../trains/train.entity.js';
import type { RouteStop } from './route-stop.entity.js';
import type { PatternTimetable, TrainTimetable } from './timetable.model.js';
import { RoutesRepository } from './routes.repository.js';
import { yieldToEventLoop } from '../common/event-loop/slices.js';

export type { PatternTimetable, TrainTimetable } from './timetable.model.js';

/** When the timetable in memory is reloaded from PostgreSQL. */
export interface TimetableReloadPolicy {
  /**
   * How often the catalog version is read (one single-row query); the timetable is reloaded only
   * when it moved, so a change made on another instance shows up within this.
   */
  intervalMs: number;
  /** Wait after a failed reload; doubled after each further failure, up to `intervalMs`. */
  firstRetryMs: number;
  /** Milliseconds on a monotonic clock (real time, not the simulated app clock); tests pass their own. */
  now(): number;
}

export const TIMETABLE_RELOAD = Symbol('TIMETABLE_RELOAD');

export const DEFAULT_TIMETABLE_RELOAD: TimetableReloadPolicy = { intervalMs: 2000, firstRetryMs: 1000, now: () => performance.now() };

/** One load of the catalog: timetables by train id, and every train (with a route or not) by number. */
export interface LoadedCatalog {
  /** The catalog version read before the rows (a write during the load moves it again, so the next check reloads). */
  version: string;
  timetables: Map<string, TrainTimetable>;
  trainsByNumber: Map<string, Train>;
  /** The timetables with a pattern calling at a station, by station id (the board reads only these). */
  callingAt: Map<string, TrainTimetable[]>;
}

/** Rows handled between two yields to the event loop while a timetable is built. */
const ROWS_PER_SLICE = 2000;

/**
 * Every train with its stop patterns, in memory: the tracker and the live views read it every few
 * seconds. Its catalog version is checked every couple of seconds (a read never waits for that)
 * and the timetable reloaded in the background when it moved, or at once after a route change on
 * this instance. The load is paged and built in slices, yielding to the event loop between them,
 * so a reload of a national network does not stall requests. A failed reload keeps the last good timetable
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
  private checkedAt = 0;
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
    // After a failed reload, retry on the backoff; else check the version once per interval.
    const due = this.failures > 0 ? now >= this.retryAt : now - this.checkedAt >= this.policy.intervalMs;
    if (due) void this.load(current).catch(() => undefined);
    return current;
  }

  /** The version of the catalog this instance serves (waits for the first load). */
  async version(): Promise<string> {
    return (await this.catalog()).version;
  }

  /** Timetables of the trains calling at a station (by id), from the index built at load. */
  async callingAt(stationId: string): Promise<TrainTimetable[]> {
    return (await this.catalog()).callingAt.get(stationId) ?? [];
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
   * version check (within TimetableReloadPolicy.intervalMs).
   */
  async trainByNumber(number: string): Promise<Train | undefined> {
    return (await this.catalog()).trainsByNumber.get(number);
  }

  invalidate(): void {
    this.generation += 1;
  }

  /**
   * One load at a time; a read after invalidate() waits for one that started after it. Given the
   * catalog in service, it reads the version first and keeps that catalog when the version has not
   * moved (one single-row query, no rebuild).
   */
  private load(unlessSameAs?: LoadedCatalog): Promise<LoadedCatalog> {
    if (this.loading?.generation === this.generation) return this.loading.promise;
    const generation = this.generation;
    this.checkedAt = this.policy.now();
    const promise = this.query(unlessSameAs).then(
      (loaded) => {
        if (this.failures > 0) this.logger.log(`Timetable reloaded after ${this.failures} failed attempts`);
        this.metrics.timetableReloads.inc({ outcome: loaded === unlessSameAs ? 'unchanged' : 'ok' });
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

  private async query(unlessSameAs?: LoadedCatalog): Promise<LoadedCatalog> {
    const version = await this.routes.catalogVersion();
    if (unlessSameAs && version === unlessSameAs.version) return unlessSameAs;
    return timetablesOf(version, await this.routes.timetableRows());
  }
}

export { yieldToEventLoop };

/**
 * Groups stops (ordered by pattern and sequence) into patterns and trains; patterns of fewer than
 * two stops cannot run and are left out. Indexes the timetables by the stations they call at.
 * Yields to the event loop every ROWS_PER_SLICE rows.
 */
export async function timetablesOf(
  version: string,
  { trains, patterns, stops }: { trains: Train[]; patterns: PatternTimetable['pattern'][]; stops: RouteStop[] },
  rowsPerSlice = ROWS_PER_SLICE,
): Promise<LoadedCatalog> {
  const stopsByPattern = new Map<string, RouteStop[]>();
  for (let i = 0; i < stops.length; i++) {
    if (i > 0 && i % rowsPerSlice === 0) await yieldToEventLoop();
    const stop = stops[i];
    const own = stopsByPattern.get(stop.patternId);
    if (own) own.push(stop);
    else stopsByPattern.set(stop.patternId, [stop]);
  }
  const trainsById = new Map(trains.map((train) => [train.id, train]));
  const timetables = new Map<string, TrainTimetable>();
  let rows = 0;
  for (const pattern of patterns) {
    const own = stopsByPattern.get(pattern.id);
    const train = trainsById.get(pattern.trainId);
    if (!own || own.length < 2 || !train) continue;
    const entry = timetables.get(train.id) ?? { train, patterns: [] };
    entry.patterns.push({ pattern, stops: own });
    timetables.set(train.id, entry);
    rows += own.length;
    if (rows >= rowsPerSlice) {
      rows = 0;
      await yieldToEventLoop();
    }
  }
  // In timetable order, each timetable once per station, as the board's walk over every train found them.
  const callingAt = new Map<string, TrainTimetable[]>();
  rows = 0;
  for (const timetable of timetables.values()) {
    const stations = new Set<string>();
    for (const { stops: own } of timetable.patterns) for (const stop of own) stations.add(stop.stationId);
    for (const stationId of stations) {
      const at = callingAt.get(stationId);
      if (at) at.push(timetable);
      else callingAt.set(stationId, [timetable]);
    }
    rows += stations.size;
    if (rows >= rowsPerSlice) {
      rows = 0;
      await yieldToEventLoop();
    }
  }
  return { version, timetables, trainsByNumber: new Map(trains.map((train) => [train.number, train])), callingAt };
}
