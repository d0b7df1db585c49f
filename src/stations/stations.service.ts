import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../common/errors/domain-errors.js';
import type { Page } from '../common/pagination/page.dto.js';
import type { SearchQueryDto } from '../common/pagination/page-query.dto.js';
import type { Station } from './station.entity.js';
import { StationsRepository } from './stations.repository.js';

@Injectable()
export class StationsService {
  constructor(private readonly stations: StationsRepository) {}

  async search(query: SearchQueryDto): Promise<Page<Station>> {
    const [items, total] = await this.stations.search(query.q || undefined, query.offset, query.limit);
    return { items, total, page: query.page, limit: query.limit };
  }

  async getByCode(code: string): Promise<Station> {
    const station = await this.stations.findByCode(code);
    if (!station) throw new NotFoundError('STATION_NOT_FOUND', `No station with code ${code}`);
    return station;
  }

  /** Resolves codes to stations, in the order given; fails naming the first unknown code. */
  async getByCodes(codes: string[]): Promise<Station[]> {
    const found = new Map((await this.stations.findByCodes([...new Set(codes)])).map((station) => [station.code, station]));
    return codes.map((code) => {
      const station = found.get(code);
      if (!station) throw new NotFoundError('STATION_NOT_FOUND', `No station with code ${code}`);
      return station;
    });
  }
}
