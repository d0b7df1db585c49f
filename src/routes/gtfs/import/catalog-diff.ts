import { randomUUID } from 'node:crypto';
import type { GtfsProblem } from '../gtfs-feed.error.js';
import type { ServiceCalendar } from '../../service-calendar.js';
import type {
  AgencyRow,
  CatalogChanges,
  CatalogPlan,
  CatalogTable,
  ExistingCatalog,
  ExistingStop,
  PatternRow,
  PlannedStop,
  PlatformRow,
  RowChanges,
  StationRow,
  StopChanges,
  StopRow,
  TableCounts,
  TakenKeys,
  TrainRow,
} from './gtfs-import.model.js';
import { stopsDigest } from './route-stops-digest.js';

/**
 * What an import must write to turn the catalog's rows of a feed into the plan: rows the plan
 * has and the catalog lacks are inserted, rows that differ are updated (only those), rows the
 * feed no longer has are deleted. Pure, so "a re-import changes nothing" is decided here and
 * tested without a database. Rows are matched by the feed's own ids: agencies by agency_id,
 * stations by stop_id, platforms by stop_id (or label), trains by number, patterns by trip_id.
 */
export function diffCatalog(plan: CatalogPlan, existing: ExistingCatalog, newId: () => string = randomUUID): CatalogChanges {
  const feedId = existing.feed?.id ?? newId();

  const agencies = matchRows(
    plan.agencies,
    existing.agencies,
    (agency) => agency.gtfsId,
    (planned, current): AgencyRow => ({ ...planned, id: current?.id ?? newId() }),
    (a, b) => a.name === b.name && a.url === b.url && a.timeZone === b.timeZone,
  );
  const agencyIds = new Map([...existing.agencies, ...agencies.insert].map((agency) => [agency.gtfsId, agency.id]));

  const stations = matchRows(
    plan.stations,
    existing.stations,
    (station) => station.gtfsId,
    ({ line: _line, ...planned }, current): StationRow => ({ ...planned, id: current?.id ?? newId() }),
    (a, b) => a.code === b.code && a.name === b.name && a.latitude === b.latitude && a.longitude === b.longitude,
  );
  const stationIds = new Map([...existing.stations, ...stations.insert].map((station) => [station.gtfsId, station.id]));

  const platformKey = (platform: { gtfsId: string | null; name: string | null }) => platform.gtfsId ?? `label:${platform.name}`;
  const platforms = matchRows(
    plan.platforms.map(({ stationGtfsId, ...platform }) => ({ ...platform, stationId: stationIds.get(stationGtfsId)! })),
    existing.platforms,
    (platform) => `${platform.stationId}|${platformKey(platform)}`,
    (planned, current): PlatformRow => ({ ...planned, id: current?.id ?? newId() }),
    (a, b) => a.name === b.name && a.latitude === b.latitude && a.longitude === b.longitude,
  );

  const trains = matchRows(
    plan.trains,
    existing.trains,
    (train) => train.number,
    (planned, current): TrainRow => ({
      id: current?.id ?? newId(),
      number: planned.number,
      name: planned.name,
      type: planned.type,
      timeZone: planned.timeZone,
      agencyId: agencyIds.get(planned.agencyGtfsId)!,
      runsOn: planned.runsOn,
      daysKnown: planned.daysKnown,
    }),
    (a, b) => a.name === b.name && a.type === b.type && a.timeZone === b.timeZone && a.agencyId === b.agencyId && sameList(a.runsOn, b.runsOn) && a.daysKnown === b.daysKnown,
  );
  const trainIds = new Map([...existing.trains, ...trains.insert].map((train) => [train.number, train.id]));

  const planned = plan.trains.flatMap((train) => train.patterns.map((pattern) => ({ ...pattern, trainId: trainIds.get(train.number)! })));
  const patterns = matchRows(
    planned,
    existing.patterns,
    (pattern) => `${pattern.trainId}|${pattern.gtfsTripId}`,
    (pattern, current): PatternRow => ({ id: current?.id ?? newId(), trainId: pattern.trainId, gtfsTripId: pattern.gtfsTripId, headsign: pattern.headsign, gtfsDayShift: pattern.gtfsDayShift, ...pattern.calendar }),
    (a, b) => a.headsign === b.headsign && a.gtfsDayShift === b.gtfsDayShift && sameCalendar(a, b),
  );
  const patternIds = new Map([...existing.patterns, ...patterns.insert].map((pattern) => [`${pattern.trainId}|${pattern.gtfsTripId}`, pattern.id]));

  const stops: StopChanges = { replaceOf: [], write: [], count: 0, stationIds };
  for (const pattern of planned) {
    const patternId = patternIds.get(`${pattern.trainId}|${pattern.gtfsTripId}`)!;
    const current = existing.stops.get(patternId);
    if (current && current.digest === stopsDigest(resolvedStops(pattern.stops, stationIds))) continue;
    if (current) stops.replaceOf.push(patternId);
    stops.write.push({ trainId: pattern.trainId, patternId, stops: pattern.stops });
    stops.count += pattern.stops.length;
  }

  const anything = [agencies, stations, platforms, trains, patterns].some((rows) => rows.insert.length + rows.update.length + rows.delete.length > 0) || stops.count > 0;
  const feedChanged = existing.feed !== null && (existing.feed.name !== plan.feed.name || existing.feed.version !== plan.feed.version);
  return {
    feed: { id: feedId, insert: existing.feed === null, touch: existing.feed !== null && (anything || feedChanged), code: plan.feed.code, name: plan.feed.name, version: plan.feed.version },
    agencies,
    stations,
    platforms,
    trains,
    patterns,
    stops,
  };
}

/** A plan's stops with their stations resolved to row ids. */
function* resolvedStops(stops: readonly PlannedStop[], stationIds: ReadonlyMap<string, string>): Generator<ExistingStop> {
  for (const stop of stops) yield stopRow(stop, stationIds, '', '');
}

/** The route_stops rows of the stops to write, made one at a time as they are sent. */
export function* stopRowsOf(changes: StopChanges): Generator<StopRow> {
  for (const { trainId, patternId, stops } of changes.write) {
    for (const stop of stops) yield stopRow(stop, changes.stationIds, trainId, patternId);
  }
}

// Every field written out (no spread), so each row is a plain object of one shape.
const stopRow = (stop: PlannedStop, stationIds: ReadonlyMap<string, string>, trainId: string, patternId: string): StopRow => ({
  trainId,
  patternId,
  stationId: stationIds.get(stop.stationGtfsId)!,
  sequence: stop.sequence,
  arrivalMinute: stop.arrivalMinute,
  arrivalDay: stop.arrivalDay,
  departureMinute: stop.departureMinute,
  departureDay: stop.departureDay,
  distanceKm: stop.distanceKm,
  platform: stop.platform,
  gtfsStopId: stop.gtfsStopId,
  gtfsStopSequence: stop.gtfsStopSequence,
});

/** Rows written per table, as the report counts them. */
export function countChanges(changes: CatalogChanges, existing: ExistingCatalog): Record<CatalogTable, TableCounts> {
  const counts = <T>(rows: RowChanges<T>): TableCounts => ({ inserted: rows.insert.length, updated: rows.update.length, deleted: rows.delete.length });
  // Stops go with their deleted patterns (and trains) by cascade; replaced ones are deleted first.
  const deletedStops = [...changes.patterns.delete, ...changes.stops.replaceOf].reduce((sum, patternId) => sum + (existing.stops.get(patternId)?.count ?? 0), 0);
  return {
    agencies: counts(changes.agencies),
    stations: counts(changes.stations),
    platforms: counts(changes.platforms),
    trains: counts(changes.trains),
    patterns: counts(changes.patterns),
    routeStops: { inserted: changes.stops.count, updated: 0, deleted: deletedStops },
  };
}

/**
 * Station codes and train numbers of the plan that another feed's rows (or hand-made rows)
 * hold: the catalog has one station per code and one train per number, so the import stops there.
 */
export function collisions(plan: CatalogPlan, taken: TakenKeys): GtfsProblem[] {
  const owner = (feed: string | null) => (feed === null ? 'a hand-made' : `feed ${feed}'s`);
  return [
    ...plan.stations.flatMap((station) =>
      taken.stationCodes.has(station.code)
        ? [{ file: 'stops.txt', line: station.line, field: 'stop_id', message: `station code ${station.code} is ${owner(taken.stationCodes.get(station.code)!)} station already` }]
        : [],
    ),
    ...plan.trains.flatMap((train) =>
      taken.trainNumbers.has(train.number)
        ? [{ file: 'trips.txt', line: train.line, field: train.numberField, message: `train number ${train.number} is ${owner(taken.trainNumbers.get(train.number)!)} train already: choose numbers with --number-rule` }]
        : [],
    ),
  ];
}

function matchRows<P, C extends { id: string }, R extends { id: string }>(
  planned: readonly P[],
  current: readonly C[],
  key: (row: P | C) => string,
  toRow: (planned: P, current: C | undefined) => R,
  same: (row: R, current: C) => boolean,
): RowChanges<R> {
  const byKey = new Map(current.map((row) => [key(row), row]));
  const changes: RowChanges<R> = { insert: [], update: [], delete: [] };
  const kept = new Set<string>();
  for (const row of planned) {
    const existing = byKey.get(key(row));
    const next = toRow(row, existing);
    if (!existing) changes.insert.push(next);
    else {
      kept.add(existing.id);
      if (!same(next, existing)) changes.update.push(next);
    }
  }
  changes.delete = current.filter((row) => !kept.has(row.id)).map((row) => row.id);
  return changes;
}

const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((value, index) => value === b[index]);

const sameCalendar = (a: ServiceCalendar, b: ServiceCalendar) =>
  sameList(a.runsOn, b.runsOn) &&
  a.validFrom === b.validFrom &&
  a.validTo === b.validTo &&
  sameList(a.addedDates, b.addedDates) &&
  sameList(a.removedDates, b.removedDates) &&
  a.daysKnown === b.daysKnown;

