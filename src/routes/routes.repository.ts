import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { allRows, ROWS_PER_PAGE } from '../database/all-rows.js';
import { Station } from '../stations/station.entity.js';
import { Train } from '../trains/train.entity.js';
import { RouteStop } from './route-stop.entity.js';
import { TrainPattern } from './train-pattern.entity.js';

export interface RouteEnds {
  origin: RouteStop;
  destination: RouteStop;
  stopCount: number;
}

/** Every row the in-memory timetable is built from. */
export interface TimetableRows {
  trains: Train[];
  patterns: TrainPattern[];
  /** Ordered by pattern, then sequence; with station and train attached. */
  stops: RouteStop[];
}

@Injectable()
export class RoutesRepository {
  constructor(@InjectRepository(RouteStop) private readonly stops: Repository<RouteStop>) {}

  /** A train's patterns with their stops (and stations), in route order. */
  async patternsOfTrain(trainId: string, manager?: EntityManager): Promise<Array<{ pattern: TrainPattern; stops: RouteStop[] }>> {
    const m = manager ?? this.stops.manager;
    const [patterns, stops] = await Promise.all([
      m.find(TrainPattern, { where: { trainId }, order: { gtfsTripId: 'ASC', id: 'ASC' } }),
      // Through its patterns: route_stops has no index on train_id (written in bulk, it keeps few).
      m.find(RouteStop, { where: { pattern: { trainId } }, relations: { station: true }, order: { sequence: 'ASC' } }),
    ]);
    return patterns.map((pattern) => ({ pattern, stops: stops.filter((stop) => stop.patternId === pattern.id) }));
  }

  /**
   * Every train, pattern and stop, stitched with their trains and stations. Flat queries stitched
   * here rather than one join: the join hydrated a Train and a Station per stop, which blocked
   * the event loop for ~250 ms per reload at 500 trains (bench/push-vs-poll.mjs). Stops come in
   * pages of ROWS_PER_PAGE rows (keyset on pattern and sequence): hydrating 186k stops at once held
   * the event loop for seconds; a page is a few milliseconds, and other work runs between pages.
   */
  async timetableRows(): Promise<TimetableRows> {
    const manager = this.stops.manager;
    const patterns = await allRows(manager.getRepository(TrainPattern));
    const trains = await allRows(manager.getRepository(Train));
    const stations = await allRows(manager.getRepository(Station));
    const trainsById = new Map(trains.map((train) => [train.id, train]));
    const stationsById = new Map(stations.map((station) => [station.id, station]));
    const stops: RouteStop[] = [];
    for (let after: RouteStop | undefined; ; ) {
      const page = await this.stops
        .createQueryBuilder('rs')
        .where(after ? '(rs.pattern_id, rs.sequence) > (:patternId, :sequence)' : 'TRUE', after ? { patternId: after.patternId, sequence: after.sequence } : {})
        .orderBy('rs.pattern_id', 'ASC')
        .addOrderBy('rs.sequence', 'ASC')
        .limit(ROWS_PER_PAGE)
        .getMany();
      // The queries are separate snapshots: a stop written between them waits for the next load.
      for (const stop of page) {
        const train = trainsById.get(stop.trainId);
        const station = stationsById.get(stop.stationId);
        if (train && station) stops.push(Object.assign(stop, { train, station }));
      }
      if (page.length < ROWS_PER_PAGE) break;
      after = page[page.length - 1];
    }
    return { trains, patterns, stops };
  }

  /** Replaces every stop of a pattern (inside the caller's transaction). */
  async replace(pattern: Pick<TrainPattern, 'id' | 'trainId'>, stops: Array<Omit<RouteStop, 'trainId' | 'patternId'>>, manager: EntityManager): Promise<void> {
    await manager.delete(RouteStop, { patternId: pattern.id });
    if (stops.length > 0) await manager.insert(RouteStop, stops.map((stop) => ({ ...stop, trainId: pattern.trainId, patternId: pattern.id })));
  }

  /** First and last stop (with stations) and the stop count of each pattern, in two queries. */
  async endsOfPatterns(patternIds: string[]): Promise<Map<string, RouteEnds>> {
    if (patternIds.length === 0) return new Map();
    const ends = await this.stops
      .createQueryBuilder('stop')
      .innerJoinAndSelect('stop.station', 'station')
      .where('stop.patternId IN (:...patternIds)', { patternIds })
      .andWhere(
        `stop.sequence IN (
          (SELECT min(s.sequence) FROM route_stops s WHERE s.pattern_id = stop.pattern_id),
          (SELECT max(s.sequence) FROM route_stops s WHERE s.pattern_id = stop.pattern_id))`,
      )
      .orderBy('stop.sequence', 'ASC')
      .getMany();
    const counts: Array<{ pattern_id: string; stops: string }> = await this.stops
      .createQueryBuilder('stop')
      .select('stop.patternId', 'pattern_id')
      .addSelect('count(*)', 'stops')
      .where('stop.patternId IN (:...patternIds)', { patternIds })
      .groupBy('stop.patternId')
      .getRawMany();
    const byPattern = new Map<string, RouteStop[]>();
    for (const stop of ends) byPattern.set(stop.patternId, [...(byPattern.get(stop.patternId) ?? []), stop]);
    const result = new Map<string, RouteEnds>();
    for (const { pattern_id, stops } of counts) {
      const own = byPattern.get(pattern_id);
      if (!own) continue;
      result.set(pattern_id, { origin: own[0], destination: own[own.length - 1], stopCount: Number(stops) });
    }
    return result;
  }

  /** Calls of every pattern of every train at a station, with the train and pattern loaded. */
  callsAtStation(stationId: string): Promise<RouteStop[]> {
    return this.stops.find({ where: { stationId }, relations: { train: true, pattern: true } });
  }
}
