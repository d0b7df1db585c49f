import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { allRows } from '../database/all-rows.js';
import { Platform } from './platform.entity.js';
import type { StationAlias } from './station-index.js';
import { Station } from './station.entity.js';

const FOREIGN_KEY_VIOLATION = '23503';

@Injectable()
export class StationsRepository {
  constructor(@InjectRepository(Station) private readonly stations: Repository<Station>) {}

  /** Every station, for the index in memory (StationIndex). */
  all(): Promise<Station[]> {
    return allRows(this.stations);
  }

  /** The alias pairs (station_aliases): a few dozen rows, changed by migrations. */
  aliases(): Promise<StationAlias[]> {
    return this.stations.query(`SELECT name, alias FROM station_aliases ORDER BY name, alias`);
  }

  findByCode(code: string): Promise<Station | null> {
    return this.stations.findOneBy({ code });
  }

  /** Inserts unless the code is taken; null when it is. */
  async insert(station: Omit<Station, 'id' | 'createdAt' | 'updatedAt' | 'feedId' | 'gtfsId'>): Promise<Station | null> {
    const result = await this.stations.createQueryBuilder().insert().values(station).orIgnore().returning('*').execute();
    return result.raw[0] ? this.stations.findOneBy({ code: station.code }) : null;
  }

  async update(id: string, changes: Partial<Omit<Station, 'id' | 'code' | 'createdAt' | 'updatedAt' | 'feedId' | 'gtfsId'>>): Promise<void> {
    await this.stations.update({ id }, changes);
  }

  /** Deletes the station; false when a train still calls there (the foreign key refuses). */
  async delete(id: string): Promise<boolean> {
    try {
      await this.stations.delete({ id });
      return true;
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === FOREIGN_KEY_VIOLATION) return false;
      throw error;
    }
  }

  /** A station's platforms, by name then stop id. */
  platformsOf(stationId: string): Promise<Platform[]> {
    return this.stations.manager.find(Platform, { where: { stationId }, order: { name: 'ASC', gtfsId: 'ASC' } });
  }

  /** Every platform that is a stop of its feed (has a stop id): what realtime feeds name platforms by. */
  platformStops(): Promise<Array<{ stationId: string; gtfsId: string; name: string | null }>> {
    return this.stations.manager.query(`SELECT station_id AS "stationId", gtfs_id AS "gtfsId", name FROM platforms WHERE gtfs_id IS NOT NULL`);
  }

  findByCodes(codes: string[]): Promise<Station[]> {
    return codes.length === 0 ? Promise.resolve([]) : this.stations.findBy({ code: In(codes) });
  }
}
