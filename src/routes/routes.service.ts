import { Injectable } from '@nestjs/common';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors/domain-errors.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { StationsService } from '../stations/stations.service.js';
import type { RouteStopInputDto } from './dto/replace-route.dto.js';
import { routeProblems } from './route-rules.js';
import { parseClock } from './schedule-time.js';
import { runsOnDate } from './service-calendar.js';
import { mainPatternOf } from './timetable.model.js';
import { TimetableService } from './timetable.service.js';
import type { RouteStop } from './route-stop.entity.js';
import type { Connection, RouteOfTrain, StationCall } from './route.model.js';
import { RoutesRepository } from './routes.repository.js';
import { summarize, type RouteSummary } from './route-summary.js';
import { TrainPattern } from './train-pattern.entity.js';

/** Order of calls on a departure board: by clock time of departure (arrival at a terminus). */
const boardMinute = (stop: RouteStop) => stop.departureMinute ?? stop.arrivalMinute ?? 0;

/** What makes two calls of one train the same line on a board: its patterns may share them. */
const callKey = ({ stop, summary }: StationCall) =>
  [stop.trainId, stop.arrivalMinute, stop.arrivalDay, stop.departureMinute, stop.departureDay, stop.platform, summary.origin.stationId, summary.destination.stationId].join('|');

@Injectable()
export class RoutesService {
  constructor(
    private readonly routes: RoutesRepository,
    private readonly stations: StationsService,
    private readonly transactions: TransactionRunner,
    private readonly timetable: TimetableService,
  ) {}

  /**
   * The stops of a train's run on `date` (the day it leaves its origin), or without a date those
   * of its main pattern; null when it has no stops at all. 404 RUN_NOT_FOUND when it does not run
   * on `date`. From the timetable in memory.
   */
  async routeOf(trainId: string, trainNumber: string, date?: string): Promise<RouteOfTrain | null> {
    const patterns = await this.timetable.routesOf(trainId);
    const chosen = date === undefined ? mainPatternOf(patterns) : patterns.find(({ pattern }) => runsOnDate(pattern, date));
    if (!chosen && date !== undefined) throw new NotFoundError('RUN_NOT_FOUND', `Train ${trainNumber} does not run on ${date}`);
    return chosen ? { ...chosen, serviceDate: date ?? null, patternCount: patterns.length } : null;
  }

  /** Origin, destination, distance and duration of each train that has a route (its main pattern's), from the timetable in memory. */
  async summaries(trainIds: string[]): Promise<Map<string, RouteSummary>> {
    const summaries = new Map<string, RouteSummary>();
    for (const trainId of trainIds) {
      const main = mainPatternOf(await this.timetable.routesOf(trainId));
      if (main) summaries.set(trainId, summarize(main.stops[0], main.stops[main.stops.length - 1], main.stops.length));
    }
    return summaries;
  }

  /**
   * Every train calling at the station, ordered by its time there. A train whose patterns call at
   * different times is listed once per distinct call, each with its own pattern's ends.
   */
  async callsAt(stationCode: string): Promise<StationCall[]> {
    const station = await this.stations.getByCode(stationCode);
    const stops = await this.routes.callsAtStation(station.id);
    const ends = await this.routes.endsOfPatterns([...new Set(stops.map((stop) => stop.patternId))]);
    const calls = new Map<string, StationCall>();
    for (const stop of stops) {
      const end = ends.get(stop.patternId);
      if (!end) continue;
      const call = { stop, summary: summarize(end.origin, end.destination, end.stopCount) };
      if (!calls.has(callKey(call))) calls.set(callKey(call), call);
    }
    return [...calls.values()].sort(
      (a, b) => boardMinute(a.stop) - boardMinute(b.stop) || a.stop.train!.number.localeCompare(b.stop.train!.number) || a.stop.sequence - b.stop.sequence,
    );
  }

  /** Patterns calling at one station and later at another, by code (see TimetableService.connections); 404 for an unknown station. */
  async connections(fromCode: string, toCode: string): Promise<Connection[]> {
    const [from, to] = await this.stations.getByCodes([fromCode, toCode]);
    return this.timetable.connections(from.id, to.id);
  }

  /**
   * Replaces a train's whole route in one transaction after checking it: sequences 1..n,
   * times and distances never going backwards, known stations, none twice. Only a train with
   * one pattern has "a route" to replace: an imported train running several patterns changes
   * by importing its feed again (409 TRAIN_HAS_PATTERNS).
   */
  async replaceRoute(trainId: string, trainNumber: string, input: RouteStopInputDto[]): Promise<RouteStop[]> {
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
      const patterns = await manager.find(TrainPattern, { where: { trainId }, lock: { mode: 'pessimistic_write' } });
      if (patterns.length !== 1) {
        throw new ConflictError('TRAIN_HAS_PATTERNS', `Train ${trainNumber} runs ${patterns.length} stop patterns on different dates; its route changes with its feed`);
      }
      await this.routes.replace(
        patterns[0],
        planned.map(({ stationCode, ...stop }) => ({ ...stop, stationId: known.get(stationCode)!.id, gtfsStopId: null, gtfsStopSequence: null })),
        manager,
      );
      return (await this.routes.patternsOfTrain(trainId, manager))[0].stops;
    }).finally(() => this.timetable.invalidate());
  }
}
