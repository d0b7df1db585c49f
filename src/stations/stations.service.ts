import { Injectable } from '@nestjs/common';
import { CatalogWrites } from '../catalog/catalog-writes.js';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors.js';
import type { Page } from '../common/pagination/page.dto.js';
import type { SearchQueryDto } from '../common/pagination/page-query.dto.js';
import type { NearbyQueryDto } from './dto/nearby-query.dto.js';
import type { CreateStationDto, UpdateStationDto } from './dto/write-station.dto.js';
import type { Platform } from './platform.entity.js';
import type { Located } from './geo.js';
import type { Station } from './station.entity.js';
import { StationIndexService } from './station-index.service.js';
import { normalizeSearchText } from './station-search.js';
import { StationsRepository } from './stations.repository.js';

/**
 * Reads come from the station index in memory (no query); writes go to PostgreSQL, read back
 * what they stored there, and make this instance's next read wait for an index that has them.
 */
@Injectable()
export class StationsService {
  constructor(
    private readonly stations: StationsRepository,
    private readonly index: StationIndexService,
    private readonly writes: CatalogWrites,
  ) {}

  /** Stations by code, name, city or alias, tolerant of typos, best first (see StationIndex.search); all by name without q. */
  async search(query: SearchQueryDto): Promise<Page<Station>> {
    const index = await this.index.current();
    const text = normalizeSearchText(query.q);
    const { items, total } =
      text === '' ? index.list(query.offset, query.limit) : index.searchText(text, query.offset, query.limit);
    return { items, total, page: query.page, limit: query.limit };
  }

  /**
   * Stations within radiusKm of a point by great-circle distance, nearest first (then by code).
   * The radius is capped (NEARBY_MAX_RADIUS_KM), so the circle's bounding box holds few stations.
   */
  async nearby(query: NearbyQueryDto): Promise<Page<Located<Station>>> {
    const found = (await this.index.current()).nearby({ latitude: query.lat, longitude: query.lon }, query.radiusKm);
    return { items: found.slice(query.offset, query.offset + query.limit), total: found.length, page: query.page, limit: query.limit };
  }

  async getByCode(code: string): Promise<Station> {
    const station = (await this.index.current()).byStationCode(code);
    if (!station) throw stationNotFound(code);
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

  /** The stations that exist among these codes, as stored now (for a write that refers to them). */
  findByCodes(codes: string[]): Promise<Station[]> {
    return this.stations.findByCodes([...new Set(codes)]);
  }

  /** Resolves codes to stations, in the order given; fails naming the first unknown code. */
  async getByCodes(codes: string[]): Promise<Station[]> {
    const index = await this.index.current();
    return codes.map((code) => {
      const station = index.byStationCode(code);
      if (!station) throw stationNotFound(code);
      return station;
    });
  }

  async create(input: CreateStationDto): Promise<Station> {
    const station = await this.stations.insert({ ...input, latitude: input.latitude ?? null, longitude: input.longitude ?? null });
    if (!station) throw new ConflictError('STATION_CODE_TAKEN', `A station with code ${input.code} already exists`);
    this.writes.written();
    return station;
  }

  async update(code: string, changes: UpdateStationDto): Promise<Station> {
    const station = await this.stored(code);
    await this.stations.update(station.id, changes);
    this.writes.written();
    return this.stored(code);
  }

  async delete(code: string): Promise<void> {
    const station = await this.stored(code);
    if (!(await this.stations.delete(station.id))) {
      throw new ConflictError('STATION_IN_USE', `Trains still call at ${code}; change their routes first`);
    }
    this.writes.written();
  }

  /** The station as PostgreSQL has it now: a write acts on that, not on the index (which may be a moment behind). */
  private async stored(code: string): Promise<Station> {
    const station = await this.stations.findByCode(code);
    if (!station) throw stationNotFound(code);
    return station;
  }
}

const stationNotFound = (code: string) => new NotFoundError('STATION_NOT_FOUND', `No station with code ${code}`);
