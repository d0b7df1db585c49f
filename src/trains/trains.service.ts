import { Injectable } from '@nestjs/common';
import { ConflictError, InvalidInputError } from '../common/errors/domain-errors.js';
import type { Page } from '../common/pagination/page.dto.js';
import type { SearchQueryDto } from '../common/pagination/page-query.dto.js';
import { BoundedMemo } from '../common/memo/bounded-memo.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type { RouteStop } from '../routes/route-stop.entity.js';
import type { Connection, RouteOfTrain } from '../routes/route.model.js';
import { RoutesService } from '../routes/routes.service.js';
import { TimetableService } from '../routes/timetable.service.js';
import { minutesFromStart } from '../routes/schedule-time.js';
import { originDateFor, weeklyCalendar } from '../routes/service-calendar.js';
import type { RouteStopInputDto } from '../routes/dto/replace-route.dto.js';
import type { CreateTrainDto, UpdateTrainDto } from './dto/write-train.dto.js';
import { INDIAN_TIME_ZONE } from './service-time.js';
import { WEEKDAYS, type Weekday } from './train-type.js';
import type { TrainConnection, TrainWithSummary } from './train.model.js';
import type { Train } from './train.entity.js';
import { trainNotFound } from './train.errors.js';
import { TrainsRepository } from './trains.repository.js';

@Injectable()
export class TrainsService {
  /**
   * between()'s answers, by the connections they come from (one list per station pair and
   * catalog version: TimetableService.connections) and date: they go with that list.
   */
  private readonly answers = new WeakMap<readonly Connection[], BoundedMemo<string, TrainConnection[]>>();

  constructor(
    private readonly trains: TrainsRepository,
    private readonly routes: RoutesService,
    private readonly timetable: TimetableService,
    private readonly transactions: TransactionRunner,
  ) {}

  async search(query: SearchQueryDto): Promise<Page<TrainWithSummary>> {
    const [trains, total] = await this.trains.search(query.q || undefined, query.offset, query.limit);
    return { items: await this.withSummaries(trains), total, page: query.page, limit: query.limit };
  }

  /** The trains with their route summaries (from the timetable in memory). */
  async withSummaries(trains: Train[]): Promise<TrainWithSummary[]> {
    const summaries = await this.routes.summaries(trains.map((train) => train.id));
    return trains.map((train) => ({ train, summary: summaries.get(train.id) }));
  }

  /** A train by number, from the timetable in memory (which knows every train, routed or not). */
  async getByNumber(number: string): Promise<Train> {
    const train = await this.timetable.trainByNumber(number);
    if (!train) throw trainNotFound(number);
    return train;
  }

  /**
   * The train as PostgreSQL has it now, for a write that acts on it or refers to it: the
   * timetable may be a moment behind another instance's write (a train deleted there).
   */
  async stored(number: string): Promise<Train> {
    const train = await this.trains.findByNumber(number);
    if (!train) throw trainNotFound(number);
    return train;
  }

  async getWithSummary(number: string): Promise<TrainWithSummary> {
    const [withSummary] = await this.withSummaries([await this.getByNumber(number)]);
    return withSummary;
  }

  /** The train's stops on a service date, or those of its main pattern; an empty route while it has none. */
  async routeOf(number: string, date?: string): Promise<{ train: Train; route: RouteOfTrain | null }> {
    const train = await this.getByNumber(number);
    return { train, route: await this.routes.routeOf(train.id, number, date) };
  }

  /**
   * Trains calling at `from` and later at `to`; with a date, only those leaving `from` that day
   * (the pattern each runs then). Without one, a train whose patterns make the same journey at
   * the same times is listed once.
   */
  async between(fromCode: string, toCode: string, date?: string): Promise<TrainConnection[]> {
    if (fromCode === toCode) {
      throw new InvalidInputError('SAME_STATION', 'from and to must be different stations', [
        { field: 'to', messages: ['to must differ from from'] },
      ]);
    }
    const connections = await this.routes.connections(fromCode, toCode);
    let byDate = this.answers.get(connections);
    if (!byDate) this.answers.set(connections, (byDate = new BoundedMemo(DATES_PER_PAIR)));
    return byDate.get(date ?? '', () => trainConnections(connections, date));
  }

  /** A hand-made train: one stop pattern (its route, set with replaceRoute) running on its weekdays. */
  async create(input: CreateTrainDto): Promise<Train> {
    const runsOn = weekOrder(input.runsOn);
    const train = await this.transactions.run((manager) =>
      this.trains.insert(
        { number: input.number, name: input.name, type: input.type, runsOn, daysKnown: true, timeZone: input.timeZone ?? INDIAN_TIME_ZONE },
        weeklyCalendar(runsOn),
        manager,
      ),
    );
    if (!train) throw new ConflictError('TRAIN_NUMBER_TAKEN', `A train with number ${input.number} already exists`);
    this.timetable.invalidate();
    return train;
  }

  /**
   * Name, type, time zone, days. New days replace the weekdays of the train's one pattern; a
   * train running several patterns (or on listed dates) gets its days from its feed (409).
   */
  async update(number: string, changes: UpdateTrainDto): Promise<Train> {
    const train = await this.stored(number);
    const { runsOn, ...rest } = changes;
    await this.transactions.run(async (manager) => {
      if (runsOn) {
        const patterns = await this.trains.patternsForUpdate(train.id, manager);
        const [only] = patterns;
        if (patterns.length !== 1 || only.addedDates.length > 0 || only.validFrom !== null || only.validTo !== null) {
          throw new ConflictError('TRAIN_HAS_PATTERNS', `Train ${number} runs on dates its feed gives; change them in the feed`);
        }
        await this.trains.setCalendar(only.id, weeklyCalendar(runsOn), manager);
      }
      await this.trains.update(train.id, { ...rest, ...(runsOn && { runsOn: weekOrder(runsOn), daysKnown: true }) }, manager);
    });
    this.timetable.invalidate();
    return this.stored(number);
  }

  async delete(number: string): Promise<void> {
    await this.trains.delete((await this.stored(number)).id);
    this.timetable.invalidate();
  }

  async replaceRoute(number: string, stops: RouteStopInputDto[]): Promise<{ train: Train; stops: RouteStop[] }> {
    const train = await this.stored(number);
    return { train, stops: await this.routes.replaceRoute(train.id, number, stops) };
  }
}

/** Dates whose answers are kept per station pair (a journey planner asks about today and the next few days). */
const DATES_PER_PAIR = 16;

const weekOrder = (days: readonly Weekday[]) => WEEKDAYS.filter((day) => days.includes(day));

/**
 * The trains of the connections (see TrainsService.between): with a date, only those leaving
 * `from` that day; without, a train whose patterns make the same journey at the same times once.
 */
function trainConnections(connections: readonly Connection[], date: string | undefined): TrainConnection[] {
  const result: TrainConnection[] = [];
  const seen = new Set<string>();
  for (const { pattern, from, to } of connections) {
    const train = from.train!;
    const originDate = date ? originDateFor(date, from.departureDay!, pattern) : null;
    if (date && !originDate) continue;
    const key = [train.id, from.departureMinute, from.departureDay, to.arrivalMinute, to.arrivalDay].join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({
      train,
      from,
      to,
      originDate,
      distanceKm: to.distanceKm - from.distanceKm,
      durationMinutes:
        minutesFromStart(to.arrivalMinute!, to.arrivalDay!) - minutesFromStart(from.departureMinute!, from.departureDay!),
    });
  }
  return result;
}
