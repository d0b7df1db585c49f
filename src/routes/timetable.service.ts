import { Injectable } from '@nestjs/common';
import type { Train } from '../trains/train.entity.js';
import type { RouteStop } from './route-stop.entity.js';
import { RoutesRepository } from './routes.repository.js';

export interface TrainTimetable {
  train: Train;
  stops: RouteStop[];
}

const REFRESH_MS = 60_000;

/**
 * Every train with its stops, in memory: the tracker and the live views read it every few
 * seconds. Reloaded after a minute, or at once after a route change on this instance.
 */
@Injectable()
export class TimetableService {
  private loaded: Promise<Map<string, TrainTimetable>> | null = null;
  private loadedAt = 0;
  private numbers: { source: Map<string, TrainTimetable>; index: Map<string, TrainTimetable> } | null = null;

  constructor(private readonly routes: RoutesRepository) {}

  async all(): Promise<Map<string, TrainTimetable>> {
    if (!this.loaded || Date.now() - this.loadedAt > REFRESH_MS) {
      this.loadedAt = Date.now();
      this.loaded = this.load().catch((error: unknown) => {
        this.loaded = null;
        throw error;
      });
    }
    return this.loaded;
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
    this.loaded = null;
  }

  private async load(): Promise<Map<string, TrainTimetable>> {
    const timetables = new Map<string, TrainTimetable>();
    for (const stop of await this.routes.allStops()) {
      const entry = timetables.get(stop.trainId) ?? { train: stop.train!, stops: [] };
      entry.stops.push(stop);
      timetables.set(stop.trainId, entry);
    }
    return timetables;
  }
}
