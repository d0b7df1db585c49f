import { Injectable } from '@nestjs/common';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/errors/domain-errors.js';
import type { Page } from '../common/pagination/page.dto.js';
import type { SearchQueryDto } from '../common/pagination/page-query.dto.js';
import type { RouteStop } from '../routes/route-stop.entity.js';
import { RoutesService } from '../routes/routes.service.js';
import { TimetableService } from '../routes/timetable.service.js';
import { minutesFromStart } from '../routes/schedule-time.js';
import type { RouteStopInputDto } from '../routes/dto/replace-route.dto.js';
import type { CreateTrainDto, UpdateTrainDto } from './dto/write-train.dto.js';
import { originDateFor } from './run-days.js';
import { WEEKDAYS, type Weekday } from './train-type.js';
import type { TrainConnection, TrainWithSummary } from './train.model.js';
import type { Train } from './train.entity.js';
import { TrainsRepository } from './trains.repository.js';

@Injectable()
export class TrainsService {
  constructor(
    private readonly trains: TrainsRepository,
    private readonly routes: RoutesService,
    private readonly timetable: TimetableService,
  ) {}

  async search(query: SearchQueryDto): Promise<Page<TrainWithSummary>> {
    const [trains, total] = await this.trains.search(query.q || undefined, query.offset, query.limit);
    return { items: await this.withSummaries(trains), total, page: query.page, limit: query.limit };
  }

  /** The trains with their route summaries (one query for all). */
  async withSummaries(trains: Train[]): Promise<TrainWithSummary[]> {
    const summaries = await this.routes.summaries(trains.map((train) => train.id));
    return trains.map((train) => ({ train, summary: summaries.get(train.id) }));
  }

  async getByNumber(number: string): Promise<Train> {
    const train = await this.trains.findByNumber(number);
    if (!train) throw new NotFoundError('TRAIN_NOT_FOUND', `No train with number ${number}`);
    return train;
  }

  async getWithSummary(number: string): Promise<TrainWithSummary> {
    const [withSummary] = await this.withSummaries([await this.getByNumber(number)]);
    return withSummary;
  }

  async routeOf(number: string): Promise<{ train: Train; stops: RouteStop[] }> {
    const train = await this.getByNumber(number);
    return { train, stops: await this.routes.stopsOf(train.id) };
  }

  /** Trains calling at `from` and later at `to`; with a date, only those leaving `from` that day. */
  async between(fromCode: string, toCode: string, date?: string): Promise<TrainConnection[]> {
    if (fromCode === toCode) {
      throw new InvalidInputError('SAME_STATION', 'from and to must be different stations', [
        { field: 'to', messages: ['to must differ from from'] },
      ]);
    }
    const connections = await this.routes.connections(fromCode, toCode);
    const result: TrainConnection[] = [];
    for (const { from, to } of connections) {
      const train = from.train!;
      const originDate = date ? originDateFor(date, from.departureDay!, train.runsOn) : null;
      if (date && !originDate) continue;
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

  async create(input: CreateTrainDto): Promise<Train> {
    const train = await this.trains.insert({ ...input, runsOn: weekOrder(input.runsOn) });
    if (!train) throw new ConflictError('TRAIN_NUMBER_TAKEN', `A train with number ${input.number} already exists`);
    this.timetable.invalidate();
    return train;
  }

  async update(number: string, changes: UpdateTrainDto): Promise<Train> {
    const train = await this.getByNumber(number);
    await this.trains.update(train.id, { ...changes, ...(changes.runsOn && { runsOn: weekOrder(changes.runsOn) }) });
    this.timetable.invalidate();
    return this.getByNumber(number);
  }

  async delete(number: string): Promise<void> {
    await this.trains.delete((await this.getByNumber(number)).id);
    this.timetable.invalidate();
  }

  async replaceRoute(number: string, stops: RouteStopInputDto[]): Promise<{ train: Train; stops: RouteStop[] }> {
    const train = await this.getByNumber(number);
    return { train, stops: await this.routes.replaceRoute(train.id, stops) };
  }
}

const weekOrder = (days: Weekday[]) => WEEKDAYS.filter((day) => days.includes(day));
