import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, type Repository } from 'typeorm';
import { Station } from '../stations/station.entity.js';
import { Train } from '../trains/train.entity.js';
import { RouteStop } from './route-stop.entity.js';

export interface RouteEnds {
  origin: RouteStop;
  destination: RouteStop;
  stopCount: number;
}

/** A train calling at `from` and later at `to`. */
export interface Connection {
  from: RouteStop;
  to: RouteStop;
}

@Injectable()
export class RoutesRepository {
  constructor(@InjectRepository(RouteStop) private readonly stops: Repository<RouteStop>) {}

  stopsOfTrain(trainId: string, manager?: EntityManager): Promise<RouteStop[]> {
    return (manager?.getRepository(RouteStop) ?? this.stops).find({ where: { trainId }, relations: { station: true }, order: { sequence: 'ASC' } });
  }

  /**
   * Every train (with or without a route), and every stop of every train with its train and
   * station, in route order. Three flat queries stitched here rather than one join: the join
   * hydrated a Train and a Station per stop, which blocked the event loop for ~250 ms per reload
   * at 500 trains (bench/push-vs-poll.mjs).
   */
  async allTrainsAndStops(): Promise<{ trains: Train[]; stops: RouteStop[] }> {
    const manager = this.stops.manager;
    const [stops, trains, stations] = await Promise.all([
      this.stops.find({ order: { trainId: 'ASC', sequence: 'ASC' } }),
      manager.find(Train),
      manager.find(Station),
    ]);
    const trainsById = new Map(trains.map((train) => [train.id, train]));
    const stationsById = new Map(stations.map((station) => [station.id, station]));
    // The queries are separate snapshots: a stop written between them waits for the next load.
    const stitched = stops.flatMap((stop) => {
      const train = trainsById.get(stop.trainId);
      const station = stationsById.get(stop.stationId);
      return train && station ? [Object.assign(stop, { train, station })] : [];
    });
    return { trains, stops: stitched };
  }

  /** Replaces every stop of the train (inside the caller's transaction). */
  async replace(trainId: string, stops: Array<Omit<RouteStop, 'id' | 'trainId'>>, manager: EntityManager): Promise<void> {
    await manager.delete(RouteStop, { trainId });
    await manager.insert(RouteStop, stops.map((stop) => ({ ...stop, trainId })));
  }

  /** First and last stop of each train, in one query. */
  async endsOfTrains(trainIds: string[]): Promise<Map<string, RouteEnds>> {
    if (trainIds.length === 0) return new Map();
    const ends = await this.stops
      .createQueryBuilder('stop')
      .innerJoinAndSelect('stop.station', 'station')
      .where('stop.trainId IN (:...trainIds)', { trainIds })
      .andWhere(
        `stop.sequence IN (
          (SELECT min(s.sequence) FROM route_stops s WHERE s.train_id = stop.train_id),
          (SELECT max(s.sequence) FROM route_stops s WHERE s.train_id = stop.train_id))`,
      )
      .orderBy('stop.sequence', 'ASC')
      .getMany();
    const counts: Array<{ train_id: string; stops: string }> = await this.stops
      .createQueryBuilder('stop')
      .select('stop.trainId', 'train_id')
      .addSelect('count(*)', 'stops')
      .where('stop.trainId IN (:...trainIds)', { trainIds })
      .groupBy('stop.trainId')
      .getRawMany();
    const result = new Map<string, RouteEnds>();
    for (const { train_id, stops } of counts) {
      const own = ends.filter((stop) => stop.trainId === train_id);
      if (own.length === 0) continue;
      result.set(train_id, { origin: own[0], destination: own[own.length - 1], stopCount: Number(stops) });
    }
    return result;
  }

  /** Calls of every train at a station, with the train loaded. */
  callsAtStation(stationId: string): Promise<RouteStop[]> {
    return this.stops.find({ where: { stationId }, relations: { train: true } });
  }

  /** Trains that call at `fromStationId` and afterwards at `toStationId`. */
  async connections(fromStationId: string, toStationId: string): Promise<Connection[]> {
    const from = await this.stops
      .createQueryBuilder('from')
      .innerJoinAndSelect('from.train', 'train')
      .innerJoinAndSelect('from.station', 'fromStation')
      .innerJoin(RouteStop, 'to', 'to.train_id = from.train_id AND to.sequence > from.sequence AND to.station_id = :toStationId', {
        toStationId,
      })
      .where('from.stationId = :fromStationId', { fromStationId })
      .getMany();
    if (from.length === 0) return [];
    const to = await this.stops.find({
      where: { stationId: toStationId, trainId: In(from.map((stop) => stop.trainId)) },
      relations: { station: true },
    });
    const toByTrain = new Map(to.map((stop) => [stop.trainId, stop]));
    return from.map((stop) => ({ from: stop, to: toByTrain.get(stop.trainId)! }));
  }
}
