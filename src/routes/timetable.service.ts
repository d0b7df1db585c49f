import { Injectable } from '@nestjs/common';
import type { Train } from '../trains/train.entity.js';
import type { RouteStop } from './route-stop.entity.js';
import type { PatternTimetable, TrainTimetable } from './timetable.model.js';
import { RoutesRepository } from './routes.repository.js';

export type { PatternTimetable, TrainTimetable } from './timetable.model.js';

const REFRESH_MS = 60_000;

/** One load of the catalog: timetables by train id, and every train (with a route or not) by number. */
interface LoadedCatalog {
  timetables: Map<string, TrainTimetable>;
  trainsByNumber: Map<string, Train>;
}

/**
 * Every train with its stop patterns, in memory: the tracker and the live views read it every few
 * seconds. Reloaded after a minute, or at once after a train or route change on this instance.
 * It also knows every train number, routed or not, so a lookup of a number that does not exist
 * is answered from memory: a client asking for thousands of missing trains costs no query.
 */
@Injectable()
export class TimetableService {
  private loaded: Promise<LoadedCatalog> | null = null;
  private loadedAt = 0;

  constructor(private readonly routes: RoutesRepository) {}

  /** Timetables of the trains that have a route, by train id. */
  async all(): Promise<Map<string, TrainTimetable>> {
    return (await this.catalog()).timetables;
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
    this.loaded = null;
  }

  private catalog(): Promise<LoadedCatalog> {
    if (!this.loaded || Date.now() - this.loadedAt > REFRESH_MS) {
      this.loadedAt = Date.now();
      this.loaded = this.load().catch((error: unknown) => {
        this.loaded = null;
        throw error;
      });
    }
    return this.loaded;
  }

  private async load(): Promise<LoadedCatalog> {
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
