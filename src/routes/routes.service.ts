import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../common/errors/domain-errors.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { StationsService } from '../stations/stations.service.js';
import type { RouteStopInputDto } from './dto/replace-route.dto.js';
import { routeProblems } from './route-rules.js';
import { parseClock } from './schedule-time.js';
import { TimetableService } from './timetable.service.js';
import type { RouteStop } from './route-stop.entity.js';
import type { StationCall } from './route.model.js';
import { RoutesRepository, type Connection } from './routes.repository.js';
import { summarize, type RouteSummary } from './route-summary.js';

/** A call at a station, with the calling train's route summary. */

/** Order of calls on a departure board: by clock time of departure (arrival at a terminus). */
const boardMinute = (stop: RouteStop) => stop.departureMinute ?? stop.arrivalMinute ?? 0;

@Injectable()
export class RoutesService {
  constructor(
    private readonly routes: RoutesRepository,
    private readonly stations: StationsService,
    private readonly transactions: TransactionRunner,
    private readonly timetable: TimetableService,
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

  /**
   * Replaces a train's whole route in one transaction after checking it: sequences 1..n,
   * times and distances never going backwards, known stations, none twice.
   */
  async replaceRoute(trainId: string, input: RouteStopInputDto[]): Promise<RouteStop[]> {
    const planned = input.map((stop) => ({
      stationCode: stop.stationCode,
      sequence: stop.sequence,
      arrivalMinute: stop.arrival ? parseClock(stop.arrival.time) : null,
      arrivalDay: stop.arrival ? stop.arrival.day - 1 : null,
      departureMinute: stop.departure ? parseClock(stop.departure.time) : null,
      departureDay: stop.departure ? stop.departure.day - 1 : null,
      distanceKm: stop.distanceKm,
      platform: stop.platform ?? null,
    }));
    const problems = routeProblems(planned);
    const known = new Map((await this.stations.findByCodes(planned.map((stop) => stop.stationCode))).map((s) => [s.code, s]));
    planned.forEach((stop, index) => {
      if (!known.has(stop.stationCode)) problems.push({ field: `stops[${index}].stationCode`, messages: [`no station with code ${stop.stationCode}`] });
    });
    if (problems.length > 0) {
      throw new InvalidInputError('INVALID_ROUTE', `The route is not valid: ${problems.map((p) => `${p.field} ${p.messages[0]}`).join('; ')}`, problems);
    }
    return this.transactions.run(async (manager) => {
      await this.routes.replace(
        trainId,
        planned.map(({ stationCode, ...stop }) => ({ ...stop, stationId: known.get(stationCode)!.id })),
        manager,
      );
      return this.routes.stopsOfTrain(trainId, manager);
    }).finally(() => this.timetable.invalidate());
  }
}
