import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors.js';
import type { Page } from '../common/pagination/page.dto.js';
import type { SearchQueryDto } from '../common/pagination/page-query.dto.js';
import type { CreateStationDto, UpdateStationDto } from './dto/write-station.dto.js';
import type { Platform } from './platform.entity.js';
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

  /** A station's platforms (404 for an unknown station). */
  async platformsOf(code: string): Promise<Platform[]> {
    return this.stations.platformsOf((await this.getByCode(code)).id);
  }

  /** The stations that exist among these codes. */
  findByCodes(codes: string[]): Promise<Station[]> {
    return this.stations.findByCodes([...new Set(codes)]);
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

  async create(input: CreateStationDto): Promise<Station> {
    const station = await this.stations.insert({ ...input, latitude: input.latitude ?? null, longitude: input.longitude ?? null });
    if (!station) throw new ConflictError('STATION_CODE_TAKEN', `A station with code ${input.code} already exists`);
    return station;
  }

  async update(code: string, changes: UpdateStationDto): Promise<Station> {
    const station = await this.getByCode(code);
    await this.stations.update(station.id, changes);
    return this.getByCode(code);
  }

  async delete(code: string): Promise<void> {
    const station = await this.getByCode(code);
    if (!(await this.stations.delete(station.id))) {
      throw new ConflictError('STATION_IN_USE', `Trains still call at ${code}; change their routes first`);
    }
  }
}
