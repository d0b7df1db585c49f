import { Injectable } from '@nestjs/common';
import { InvalidInputError, NotFoundError } from '../common/errors/domain-errors.js';
import type { Page } from '../common/pagination/page.dto.js';
import type { SearchQueryDto } from '../common/pagination/page-query.dto.js';
import type { RouteStop } from '../routes/route-stop.entity.js';
import type { RouteSummary } from '../routes/route-summary.js';
import { RoutesService } from '../routes/routes.service.js';
import { minutesFromStart } from '../routes/schedule-time.js';
import { originDateFor } from './run-days.js';
import type { Train } from './train.entity.js';
import { TrainsRepository } from './trains.repository.js';

export interface TrainWithSummary {
  train: Train;
  summary: RouteSummary | undefined;
}

export interface TrainConnection {
  train: Train;
  from: RouteStop;
  to: RouteStop;
  durationMinutes: number;
  distanceKm: number;
  originDate: string | null;
}

@Injectable()
export class TrainsService {
  constructor(
    private readonly trains: TrainsRepository,
    private readonly routes: RoutesService,
  ) {}

  async search(query: SearchQueryDto): Promise<Page<TrainWithSummary>> {
    const [trains, total] = await this.trains.search(query.q || undefined, query.offset, query.limit);
    const summaries = await this.routes.summaries(trains.map((train) => train.id));
    const items = trains.map((train) => ({ train, summary: summaries.get(train.id) }));
    return { items, total, page: query.page, limit: query.limit };
  }

  async getByNumber(number: string): Promise<Train> {
    const train = await this.trains.findByNumber(number);
    if (!train) throw new NotFoundError('TRAIN_NOT_FOUND', `No train with number ${number}`);
    return train;
  }

  async getWithSummary(number: string): Promise<TrainWithSummary> {
    const train = await this.getByNumber(number);
    const summaries = await this.routes.summaries([train.id]);
    return { train, summary: summaries.get(train.id) };
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
}
