import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, type EntityTarget, type Repository } from 'typeorm';
import { Station } from '../stations/station.entity.js';
import { Train } from '../trains/train.entity.js';
import { RouteStop } from './route-stop.entity.js';
import { TrainPattern } from './train-pattern.entity.js';

export interface RouteEnds {
  origin: RouteStop;
  destination: RouteStop;
  stopCount: number;
}

/** A train calling at `from` and later at `to`, in one of its patterns. */
export interface Connection {
  pattern: TrainPattern;
  from: RouteStop;
  to: RouteStop;
}

/** Every row the in-memory timetable is built from. */
export interface TimetableRows {
  trains: Train[];
  patterns: TrainPattern[];
  /** Ordered by pattern, then sequence; with station and train attached. */
  stops: RouteStop[];
}

/**
 * A train's main pattern, the one shown when no date is asked for: the one with the most stops
 * (its fullest journey), then the first by GTFS trip id and id. mainPatternOf applies the same
 * order in memory.
 */
/** Rows hydrated per query when the timetable loads: a few milliseconds of event loop each. */
const PAGE = 1000;

const MAIN_PATTERN_ORDER = 'count(*) DESC, p.gtfs_trip_id ASC NULLS FIRST, p.id ASC';

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

  /** The catalog's version: bumped by a trigger on every write to a catalog table (migration 1764700000000). */
  async catalogVersion(): Promise<string> {
    const [row]: Array<{ version: string }> = await this.stops.manager.query(`SELECT version::text AS version FROM catalog_version WHERE id = 1`);
    return row?.version ?? '0';
  }

  /**
   * Every train, pattern and stop, stitched with their trains and stations. Flat queries stitched
   * here rather than one join: the join hydrated a Train and a Station per stop, which blocked
   * the event loop for ~250 ms per reload at 500 trains (bench/push-vs-poll.mjs). Stops come in
   * pages of PAGE rows (keyset on pattern and sequence): hydrating 186k stops at once held
   * the event loop for seconds; a page is a few milliseconds, and other work runs between pages.
   */
  async timetableRows(): Promise<TimetableRows> {
    const manager = this.stops.manager;
    const patterns = await this.paged(TrainPattern);
    const trains = await this.paged(Train);
    const stations = await this.paged(Station);
    const trainsById = new Map(trains.map((train) => [train.id, train]));
    const stationsById = new Map(stations.map((station) => [station.id, station]));
    const stops: RouteStop[] = [];
    for (let after: RouteStop | undefined; ; ) {
      const page = await this.stops
        .createQueryBuilder('rs')
        .where(after ? '(rs.pattern_id, rs.sequence) > (:patternId, :sequence)' : 'TRUE', after ? { patternId: after.patternId, sequence: after.sequence } : {})
        .orderBy('rs.pattern_id', 'ASC')
        .addOrderBy('rs.sequence', 'ASC')
        .limit(PAGE)
        .getMany();
      // The queries are separate snapshots: a stop written between them waits for the next load.
      for (const stop of page) {
        const train = trainsById.get(stop.trainId);
        const station = stationsById.get(stop.stationId);
        if (train && station) stops.push(Object.assign(stop, { train, station }));
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1];
    }
    return { trains, patterns, stops };
  }

  /** Every row of a catalog table, in pages by id (hydrating 11k trains at once held the event loop ~150 ms). */
  private async paged<T extends { id: string }>(entity: EntityTarget<T>): Promise<T[]> {
    const rows: T[] = [];
    for (let after: string | undefined; ; ) {
      const page = await this.stops.manager
        .getRepository(entity)
        .createQueryBuilder('row')
        .where(after === undefined ? 'TRUE' : 'row.id > :after', { after })
        .orderBy('row.id', 'ASC')
        .limit(PAGE)
        .getMany();
      rows.push(...page);
      if (page.length < PAGE) return rows;
      after = page[page.length - 1].id;
    }
  }

  /** Replaces every stop of a pattern (inside the caller's transaction). */
  async replace(pattern: Pick<TrainPattern, 'id' | 'trainId'>, stops: Array<Omit<RouteStop, 'trainId' | 'patternId'>>, manager: EntityManager): Promise<void> {
    await manager.delete(RouteStop, { patternId: pattern.id });
    if (stops.length > 0) await manager.insert(RouteStop, stops.map((stop) => ({ ...stop, trainId: pattern.trainId, patternId: pattern.id })));
  }

  /** The main pattern (see MAIN_PATTERN_ORDER) of each train that has stops, by train id. */
  async mainPatternsOf(trainIds: string[]): Promise<Map<string, string>> {
    if (trainIds.length === 0) return new Map();
    const rows: Array<{ train_id: string; pattern_id: string }> = await this.stops.manager.query(
      `SELECT DISTINCT ON (p.train_id) p.train_id, p.id AS pattern_id
       FROM train_patterns p JOIN route_stops rs ON rs.pattern_id = p.id
       WHERE p.train_id = ANY($1::uuid[])
       GROUP BY p.train_id, p.id
       ORDER BY p.train_id, ${MAIN_PATTERN_ORDER}`,
      [trainIds],
    );
    return new Map(rows.map((row) => [row.train_id, row.pattern_id]));
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

  /**
   * Patterns that call at `fromStationId` and afterwards at `toStationId`; a pattern calling at
   * either twice counts once, from its first call at `from` to the first call at `to` after it.
   */
  async connections(fromStationId: string, toStationId: string): Promise<Connection[]> {
    const pairs: Array<{ pattern_id: string; from_sequence: number; to_sequence: number }> = await this.stops.manager.query(
      `SELECT DISTINCT ON (f.pattern_id) f.pattern_id, f.sequence AS from_sequence, t.sequence AS to_sequence
       FROM route_stops f JOIN route_stops t ON t.pattern_id = f.pattern_id AND t.sequence > f.sequence AND t.station_id = $2
       WHERE f.station_id = $1
       ORDER BY f.pattern_id, f.sequence, t.sequence`,
      [fromStationId, toStationId],
    );
    if (pairs.length === 0) return [];
    // A stop is known by its pattern and sequence (the primary key).
    const stops = await this.stops.find({
      where: pairs.flatMap((pair) => [
        { patternId: pair.pattern_id, sequence: pair.from_sequence },
        { patternId: pair.pattern_id, sequence: pair.to_sequence },
      ]),
      relations: { station: true, train: true, pattern: true },
    });
    const byKey = new Map(stops.map((stop) => [`${stop.patternId}|${stop.sequence}`, stop]));
    return pairs.map((pair) => {
      const from = byKey.get(`${pair.pattern_id}|${pair.from_sequence}`)!;
      return { pattern: from.pattern!, from, to: byKey.get(`${pair.pattern_id}|${pair.to_sequence}`)! };
    });
  }
}
