import { Injectable } from '@nestjs/common';
import { StationsService } from '../stations/stations.service.js';
import type { RouteStop } from './route-stop.entity.js';
import { RoutesRepository, type Connection } from './routes.repository.js';
import { summarize, type RouteSummary } from './route-summary.js';

/** A call at a station, with the calling train's route summary. */
export interface StationCall {
  stop: RouteStop;
  summary: RouteSummary;
}

/** Order of calls on a departure board: by clock time of departure (arrival at a terminus). */
const boardMinute = (stop: RouteStop) => stop.departureMinute ?? stop.arrivalMinute ?? 0;

@Injectable()
export class RoutesService {
  constructor(
    private readonly routes: RoutesRepository,
    private readonly stations: StationsService,
  ) {}

  /** Ordered stops of a train, with their stations. */
  stopsOf(trainId: string): Promise<RouteStop[]> {
    return this.routes.stopsOfTrain(trainId);
  }

  /** Origin, destination, distance and duration of each train that has a route. */
  async summaries(trainIds: string[]): Promise<Map<string, RouteSummary>> {
    const ends = await this.routes.endsOfTrains(trainIds);
    return new Map([...ends].map(([trainId, end]) => [trainId, summarize(end.origin, end.destination, end.stopCount)]));
  }

  /** Every train calling at the station, ordered by its time there. */
  async callsAt(stationCode: string): Promise<StationCall[]> {
    const station = await this.stations.getByCode(stationCode);
    const stops = await this.routes.callsAtStation(station.id);
    const summaries = await this.summaries(stops.map((stop) => stop.trainId));
    return stops
      .map((stop) => ({ stop, summary: summaries.get(stop.trainId)! }))
      .sort((a, b) => boardMinute(a.stop) - boardMinute(b.stop) || a.stop.train!.number.localeCompare(b.stop.train!.number));
  }

  /** Trains from one station to another, ordered by departure time at `from`. */
  async connections(fromCode: string, toCode: string): Promise<Connection[]> {
    const [from, to] = await this.stations.getByCodes([fromCode, toCode]);
    const connections = await this.routes.connections(from.id, to.id);
    return connections.sort(
      (a, b) => (a.from.departureMinute ?? 0) - (b.from.departureMinute ?? 0) || a.from.train!.number.localeCompare(b.from.train!.number),
    );
  }
}
