import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { allRows } from '../database/all-rows.js';
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

/** Route stops per query when the timetable is loaded (see timetableRows). */
const STOPS_PER_PAGE = 1000;

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
   * pages of STOPS_PER_PAGE rows (keyset on pattern and sequence), as plain rows made into
   * RouteStops here: TypeORM's hydration of a page of 1,000 took 50-130 ms of event loop on a
   * loaded machine and most of the garbage of a reload, for columns that are all plain values.
   */
  async timetableRows(): Promise<TimetableRows> {
    const manager = this.stops.manager;
    const patterns = await allRows(manager.getRepository(TrainPattern));
    const trains = await allRows(manager.getRepository(Train));
    const stations = await allRows(manager.getRepository(Station));
    const trainsById = new Map(trains.map((train) => [train.id, train]));
    const stationsById = new Map(stations.map((station) => [station.id, station]));
    const columns = this.stops.metadata.columns.map(({ propertyName, databaseName }) => ({ propertyName, databaseName }));
    const select = `SELECT ${columns.map(({ databaseName }) => `"${databaseName}"`).join(', ')} FROM route_stops`;
    const stops: RouteStop[] = [];
    for (let after: RouteStop | undefined; ; ) {
      const page: Array<Record<string, unknown>> = await manager.query(
        after
          ? `${select} WHERE (pattern_id, sequence) > ($1, $2) ORDER BY pattern_id, sequence LIMIT ${STOPS_PER_PAGE}`
          : `${select} ORDER BY pattern_id, sequence LIMIT ${STOPS_PER_PAGE}`,
        after ? [after.patternId, after.sequence] : [],
      );
      // The queries are separate snapshots: a stop written between them waits for the next load.
      for (const row of page) {
        const stop = new RouteStop();
        for (const { propertyName, databaseName } of columns) (stop as unknown as Record<string, unknown>)[propertyName] = row[databaseName];
        const train = trainsById.get(stop.trainId);
        const station = stationsById.get(stop.stationId);
        // Each row brings its own copy of three ids: the stops share their train's, station's and
        // previous stop's strings instead (~30 MB less to hold, and to mark, per catalog in memory).
        if (after?.patternId === stop.patternId) stop.patternId = after.patternId;
        after = stop;
        if (train && station) stops.push(Object.assign(stop, { trainId: train.id, train, stationId: station.id, station }));
      }
      if (page.length < STOPS_PER_PAGE) break;
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
