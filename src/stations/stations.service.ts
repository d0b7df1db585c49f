import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors.js';
import type { Page } from '../common/pagination/page.dto.js';
import type { SearchQueryDto } from '../common/pagination/page-query.dto.js';
import type { NearbyQueryDto } from './dto/nearby-query.dto.js';
import type { CreateStationDto, UpdateStationDto } from './dto/write-station.dto.js';
import type { Platform } from './platform.entity.js';
import { boundingBoxes, type Located, withinRadius } from './geo.js';
import type { Station } from './station.entity.js';
import { buildStationSearch, isFuzzy, normalizeSearchText } from './station-search.js';
import { StationsRepository } from './stations.repository.js';

@Injectable()
export class StationsService {
  constructor(private readonly stations: StationsRepository) {}

  /** Stations by code, name, city or alias, tolerant of typos, best first (see StationsRepository.search); all by name without q. */
  async search(query: SearchQueryDto): Promise<Page<Station>> {
    const text = normalizeSearchText(query.q);
    if (text === '') {
      const [items, total] = await this.stations.list(query.offset, query.limit);
      return { items, total, page: query.page, limit: query.limit };
    }
    const aliases = await this.stations.aliasesMatching(text, isFuzzy(text));
    const [items, total] = await this.stations.search(buildStationSearch(text, aliases), query.offset, query.limit);
    return { items, total, page: query.page, limit: query.limit };
  }

  /**
   * Stations within radiusKm of a point by great-circle distance, nearest first (then by code).
   * The index finds the stations in the bounding box of the circle; the exact distance trims
   * the corners. The radius is capped (NEARBY_MAX_RADIUS_KM), so the box holds few stations.
   */
  async nearby(query: NearbyQueryDto): Promise<Page<Located<Station>>> {
    const center = { latitude: query.lat, longitude: query.lon };
    const candidates = await this.stations.withinBoxes(boundingBoxes(center, query.radiusKm));
    const found = withinRadius(center, query.radiusKm, candidates, (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return { items: found.slice(query.offset, query.offset + query.limit), total: found.length, page: query.page, limit: query.limit };
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

  /** Every platform with a stop id, by station: what realtime feeds name platforms by. */
  platformStops(): Promise<Array<{ stationId: string; gtfsId: string; name: string | null }>> {
    return this.stations.platformStops();
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
