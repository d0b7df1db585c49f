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
