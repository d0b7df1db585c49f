import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { RouteStop } from '../../routes/route-stop.entity.js';
import { Station } from '../../stations/station.entity.js';
import { Train } from '../../trains/train.entity.js';
import { loadDemoData, type DemoData, type StationRecord, type StopRow, type TrainData } from './demo-data.js';

export interface SeedReport {
  stationsInserted: number;
  stationsUpdated: number;
  trainsInserted: number;
  trainsUpdated: number;
  routesReplaced: number;
}

const STATION_FIELDS = ['name', 'city', 'state', 'latitude', 'longitude'] as const;
const STOP_FIELDS = ['sequence', 'arrivalMinute', 'arrivalDay', 'departureMinute', 'departureDay', 'distanceKm', 'platform'] as const;

/**
 * Loads the demo catalog in one transaction. Idempotent: rows equal to the data files are not
 * touched; changed ones are updated; rows that are not in the files (added by admins) stay.
 */
@Injectable()
export class DemoDataSeeder {
  private readonly logger = new Logger(DemoDataSeeder.name);

  constructor(private readonly dataSource: DataSource) {}

  /** Seeds only an empty catalog (first start of the embedded demo). */
  async seedIfEmpty(): Promise<SeedReport | null> {
    if ((await this.dataSource.getRepository(Station).count()) > 0) return null;
    const report = await this.seed();
    this.logger.log(`Loaded demo data: ${report.stationsInserted} stations, ${report.trainsInserted} trains`);
    return report;
  }

  seed(data: DemoData = loadDemoData()): Promise<SeedReport> {
    return this.dataSource.transaction(async (manager) => {
      const [stationsInserted, stationsUpdated, stationIds] = await upsertStations(manager, data.stations);
      const [trainsInserted, trainsUpdated, trainIds] = await upsertTrains(manager, data.trains);
      const routesReplaced = await replaceChangedRoutes(manager, data.trains, trainIds, stationIds);
      return { stationsInserted, stationsUpdated, trainsInserted, trainsUpdated, routesReplaced };
    });
  }
}

async function upsertStations(manager: EntityManager, records: StationRecord[]): Promise<[number, number, Map<string, string>]> {
  const existing = new Map((await manager.find(Station)).map((station) => [station.code, station]));
  const inserts = records.filter((record) => !existing.has(record.code));
  const updates = records.filter((record) => {
    const current = existing.get(record.code);
    return current && STATION_FIELDS.some((field) => (current[field] ?? null) !== (record[field] ?? null));
  });
  if (inserts.length > 0) await manager.insert(Station, inserts);
  for (const record of updates) await manager.update(Station, { code: record.code }, pick(record, STATION_FIELDS));
  const ids = new Map((await manager.find(Station, { select: { id: true, code: true } })).map((station) => [station.code, station.id]));
  return [inserts.length, updates.length, ids];
}

async function upsertTrains(manager: EntityManager, records: TrainData[]): Promise<[number, number, Map<string, string>]> {
  const numbers = records.map((record) => record.number);
  const existing = new Map((await manager.findBy(Train, { number: In(numbers) })).map((train) => [train.number, train]));
  const fields = (record: TrainData) => ({ number: record.number, name: record.name, type: record.type, runsOn: record.runsOn });
  const inserts = records.filter((record) => !existing.has(record.number));
  const updates = records.filter((record) => {
    const current = existing.get(record.number);
    return current && (current.name !== record.name || current.type !== record.type || current.runsOn.join() !== record.runsOn.join());
  });
  if (inserts.length > 0) await manager.insert(Train, inserts.map(fields));
  for (const record of updates) await manager.update(Train, { number: record.number }, fields(record));
  const ids = new Map(
    (await manager.find(Train, { select: { id: true, number: true }, where: { number: In(numbers) } })).map((train) => [train.number, train.id]),
  );
  return [inserts.length, updates.length, ids];
}

/** Replaces the stops of every train whose route differs from the data; returns how many existing routes changed. */
async function replaceChangedRoutes(
  manager: EntityManager,
  records: TrainData[],
  trainIds: Map<string, string>,
  stationIds: Map<string, string>,
): Promise<number> {
  const ids = [...trainIds.values()];
  const current = await manager.find(RouteStop, { where: { trainId: In(ids) }, order: { sequence: 'ASC' } });
  const currentByTrain = new Map<string, RouteStop[]>();
  for (const stop of current) currentByTrain.set(stop.trainId, [...(currentByTrain.get(stop.trainId) ?? []), stop]);
  const changed = records
    .map((record) => ({ trainId: trainIds.get(record.number)!, stops: record.stops }))
    .filter(({ trainId, stops }) => !sameRoute(currentByTrain.get(trainId) ?? [], stops.map((stop) => toEntity(stop, trainId, stationIds))));
  if (changed.length === 0) return 0;
  await manager.delete(RouteStop, { trainId: In(changed.map(({ trainId }) => trainId)) });
  await manager.insert(
    RouteStop,
    changed.flatMap(({ trainId, stops }) => stops.map((stop) => toEntity(stop, trainId, stationIds))),
  );
  return changed.filter(({ trainId }) => currentByTrain.has(trainId)).length;
}

function sameRoute(current: RouteStop[], wanted: Array<Omit<RouteStop, 'id'>>): boolean {
  return (
    current.length === wanted.length &&
    current.every((stop, index) => stop.stationId === wanted[index].stationId && STOP_FIELDS.every((field) => stop[field] === wanted[index][field]))
  );
}

function toEntity(stop: StopRow, trainId: string, stationIds: Map<string, string>): Omit<RouteStop, 'id'> {
  const { stationCode, ...times } = stop;
  return { ...times, trainId, stationId: stationIds.get(stationCode)! };
}

function pick<T extends object, K extends keyof T>(record: T, fields: readonly K[]): Pick<T, K> {
  return Object.fromEntries(fields.map((field) => [field, record[field] ?? null])) as Pick<T, K>;
}
