import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { RouteStop } from '../../routes/route-stop.entity.js';
import { weeklyCalendar } from '../../routes/service-calendar.js';
import { TrainPattern } from '../../routes/train-pattern.entity.js';
import { INDIAN_TIME_ZONE } from '../../trains/service-time.js';
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
 * Each demo train is an Indian train (Asia/Kolkata) with one stop pattern running on its
 * weekdays every week.
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
  const fields = (record: TrainData) => ({ number: record.number, name: record.name, type: record.type, runsOn: record.runsOn, daysKnown: true, timeZone: INDIAN_TIME_ZONE });
  const inserts = records.filter((record) => !existing.has(record.number));
  const updates = records.filter((record) => {
    const current = existing.get(record.number);
    return (
      current &&
      (current.name !== record.name || current.type !== record.type || current.runsOn.join() !== record.runsOn.join() || !current.daysKnown || current.timeZone !== INDIAN_TIME_ZONE)
    );
  });
  if (inserts.length > 0) await manager.insert(Train, inserts.map(fields));
  for (const record of updates) await manager.update(Train, { number: record.number }, fields(record));
  const ids = new Map(
    (await manager.find(Train, { select: { id: true, number: true }, where: { number: In(numbers) } })).map((train) => [train.number, train.id]),
  );
  await upsertPatterns(manager, records, ids);
  return [inserts.length, updates.length, ids];
}

/** Each demo train's one pattern, with the train's weekdays: added when missing, its calendar updated when the days changed. */
async function upsertPatterns(manager: EntityManager, records: TrainData[], trainIds: Map<string, string>): Promise<void> {
  const existing = await manager.find(TrainPattern, { where: { trainId: In([...trainIds.values()]) }, order: { createdAt: 'ASC', id: 'ASC' } });
  const firstByTrain = new Map<string, TrainPattern>();
  for (const pattern of existing) if (!firstByTrain.has(pattern.trainId)) firstByTrain.set(pattern.trainId, pattern);
  const inserts: Array<Partial<TrainPattern>> = [];
  for (const record of records) {
    const trainId = trainIds.get(record.number)!;
    const calendar = weeklyCalendar(record.runsOn);
    const current = firstByTrain.get(trainId);
    const row = { ...calendar, runsOn: [...calendar.runsOn], addedDates: [], removedDates: [] };
    if (!current) inserts.push({ ...row, trainId, gtfsTripId: null, headsign: null });
    else if (current.runsOn.join() !== row.runsOn.join() || current.validFrom !== null || current.validTo !== null || current.addedDates.length + current.removedDates.length > 0 || !current.daysKnown) {
      await manager.update(TrainPattern, { id: current.id }, row);
    }
  }
  if (inserts.length > 0) await manager.insert(TrainPattern, inserts);
}

/** Replaces the stops of every train whose route differs from the data; returns how many existing routes changed. */
async function replaceChangedRoutes(
  manager: EntityManager,
  records: TrainData[],
  trainIds: Map<string, string>,
  stationIds: Map<string, string>,
): Promise<number> {
  const ids = [...trainIds.values()];
  const patterns = await manager.find(TrainPattern, { where: { trainId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } });
  const patternByTrain = new Map<string, TrainPattern>();
  for (const pattern of patterns) if (!patternByTrain.has(pattern.trainId)) patternByTrain.set(pattern.trainId, pattern);
  const current = await manager.find(RouteStop, { where: { patternId: In(patterns.map((pattern) => pattern.id)) }, order: { sequence: 'ASC' } });
  const currentByPattern = new Map<string, RouteStop[]>();
  for (const stop of current) currentByPattern.set(stop.patternId, [...(currentByPattern.get(stop.patternId) ?? []), stop]);
  const changed = records
    .map((record) => ({ pattern: patternByTrain.get(trainIds.get(record.number)!)!, stops: record.stops }))
    .filter(({ pattern, stops }) => !sameRoute(currentByPattern.get(pattern.id) ?? [], stops.map((stop) => toEntity(stop, pattern, stationIds))));
  if (changed.length === 0) return 0;
  await manager.delete(RouteStop, { patternId: In(changed.map(({ pattern }) => pattern.id)) });
  await manager.insert(
    RouteStop,
    changed.flatMap(({ pattern, stops }) => stops.map((stop) => toEntity(stop, pattern, stationIds))),
  );
  return changed.filter(({ pattern }) => currentByPattern.has(pattern.id)).length;
}

function sameRoute(current: RouteStop[], wanted: RouteStop[]): boolean {
  return (
    current.length === wanted.length &&
    current.every((stop, index) => stop.stationId === wanted[index].stationId && STOP_FIELDS.every((field) => stop[field] === wanted[index][field]))
  );
}

function toEntity(stop: StopRow, pattern: TrainPattern, stationIds: Map<string, string>): RouteStop {
  const { stationCode, ...times } = stop;
  return { ...times, trainId: pattern.trainId, patternId: pattern.id, stationId: stationIds.get(stationCode)!, gtfsStopId: null, gtfsStopSequence: null };
}

function pick<T extends object, K extends keyof T>(record: T, fields: readonly K[]): Pick<T, K> {
  return Object.fromEntries(fields.map((field) => [field, record[field] ?? null])) as Pick<T, K>;
}
