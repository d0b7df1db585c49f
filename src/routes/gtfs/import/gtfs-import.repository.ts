import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { batchesOf } from '../../../common/batches.js';
import { stopRowsOf } from './catalog-diff.js';
import { canCopyFromClient, type Column, copyRows } from '../../../database/copy-lines.js';
import type {
  AgencyRow,
  CatalogChanges,
  CatalogPlan,
  ExistingCatalog,
  PatternRow,
  PlatformRow,
  StationRow,
  StopChanges,
  StopRow,
  TakenKeys,
  TrainRow,
} from './gtfs-import.model.js';
import { STOPS_DIGEST_SQL } from './route-stops-digest.js';

/** Weekday lists and date lists travel as comma-joined text (rows' arrays differ in length; a 2-D array parameter cannot). */
const joined = (values: readonly string[]) => values.join(',');
const split = (column: string) => `string_to_array(v.${column}, ',')`;

const AGENCY_COLUMNS: Column<AgencyRow>[] = [
  { name: 'gtfs_id', type: 'text', value: (row) => row.gtfsId },
  { name: 'name', type: 'text', value: (row) => row.name },
  { name: 'url', type: 'text', value: (row) => row.url },
  { name: 'time_zone', type: 'text', value: (row) => row.timeZone },
];
const STATION_COLUMNS: Column<StationRow>[] = [
  { name: 'gtfs_id', type: 'text', value: (row) => row.gtfsId },
  { name: 'code', type: 'text', value: (row) => row.code },
  { name: 'name', type: 'text', value: (row) => row.name },
  { name: 'latitude', type: 'float8', value: (row) => row.latitude },
  { name: 'longitude', type: 'float8', value: (row) => row.longitude },
];
const PLATFORM_COLUMNS: Column<PlatformRow>[] = [
  { name: 'station_id', type: 'uuid', value: (row) => row.stationId },
  { name: 'gtfs_id', type: 'text', value: (row) => row.gtfsId },
  { name: 'name', type: 'text', value: (row) => row.name },
  { name: 'latitude', type: 'float8', value: (row) => row.latitude },
  { name: 'longitude', type: 'float8', value: (row) => row.longitude },
];
const TRAIN_COLUMNS: Column<TrainRow>[] = [
  { name: 'number', type: 'text', value: (row) => row.number },
  { name: 'name', type: 'text', value: (row) => row.name },
  // Enums travel as text (PGlite cannot send arrays of custom types) and are cast in the statement.
  { name: 'type', type: 'text', value: (row) => row.type },
  { name: 'time_zone', type: 'text', value: (row) => row.timeZone },
  { name: 'agency_id', type: 'uuid', value: (row) => row.agencyId },
  { name: 'runs_on', type: 'text', value: (row) => joined(row.runsOn) },
  { name: 'days_known', type: 'bool', value: (row) => row.daysKnown },
];
const PATTERN_COLUMNS: Column<PatternRow>[] = [
  { name: 'train_id', type: 'uuid', value: (row) => row.trainId },
  { name: 'gtfs_trip_id', type: 'text', value: (row) => row.gtfsTripId },
  { name: 'headsign', type: 'text', value: (row) => row.headsign },
  { name: 'gtfs_day_shift', type: 'int2', value: (row) => row.gtfsDayShift },
  { name: 'runs_on', type: 'text', value: (row) => joined(row.runsOn) },
  { name: 'valid_from', type: 'date', value: (row) => row.validFrom },
  { name: 'valid_to', type: 'date', value: (row) => row.validTo },
  { name: 'added_dates', type: 'text', value: (row) => joined(row.addedDates) },
  { name: 'removed_dates', type: 'text', value: (row) => joined(row.removedDates) },
  { name: 'days_known', type: 'bool', value: (row) => row.daysKnown },
];
const STOP_COLUMNS: Column<StopRow>[] = [
  { name: 'train_id', type: 'uuid', value: (row) => row.trainId },
  { name: 'pattern_id', type: 'uuid', value: (row) => row.patternId },
  { name: 'station_id', type: 'uuid', value: (row) => row.stationId },
  { name: 'sequence', type: 'int2', value: (row) => row.sequence },
  { name: 'arrival_minute', type: 'int2', value: (row) => row.arrivalMinute },
  { name: 'arrival_day', type: 'int2', value: (row) => row.arrivalDay },
  { name: 'departure_minute', type: 'int2', value: (row) => row.departureMinute },
  { name: 'departure_day', type: 'int2', value: (row) => row.departureDay },
  { name: 'distance_km', type: 'int4', value: (row) => row.distanceKm },
  { name: 'platform', type: 'text', value: (row) => row.platform },
  { name: 'gtfs_stop_id', type: 'text', value: (row) => row.gtfsStopId },
  { name: 'gtfs_stop_sequence', type: 'int4', value: (row) => row.gtfsStopSequence },
];

/** How a column's unnested value is written: arrays rebuilt from their text, enums cast. */
const EXPRESSIONS: Record<string, string> = {
  runs_on: split('runs_on'),
  added_dates: split('added_dates'),
  removed_dates: split('removed_dates'),
  type: 'v.type::train_type',
};
const expressionOf = (column: string) => EXPRESSIONS[column] ?? `v.${column}`;

/** Rows are sent in slices, so one statement's parameters stay small whatever the feed's size. */
const SLICE = 20_000;
/** The fewest stops for which an import rebuilds route_stops' indexes rather than inserting into them (isBulkLoad). */
const BULK_LOAD_MIN_STOPS = 10_000;

const slices = <T>(rows: readonly T[]) => batchesOf(rows, SLICE);

/**
 * The SQL of an import: what the catalog holds of a feed, and the writes of its changes, each a
 * batch (one statement per table and kind of change, rows sent as arrays and unnested; route
 * stops with COPY), all in the caller's transaction.
 */
@Injectable()
export class GtfsImportRepository {
  /** One import at a time: two at once could both take the same station code or train number. */
  async lock(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('catalog-import'))`);
  }

  async load(feedCode: string, manager: EntityManager): Promise<ExistingCatalog> {
    const [feed] = (await manager.query(`SELECT id, name, version FROM feeds WHERE code = $1`, [feedCode])) as Array<{ id: string; name: string; version: string | null }>;
    if (!feed) return { feed: null, agencies: [], stations: [], platforms: [], trains: [], patterns: [], stops: new Map() };
    // One after the other: a transaction is one connection, which runs one query at a time.
    const agencies: ExistingCatalog['agencies'] = await manager.query(
      `SELECT id, gtfs_id AS "gtfsId", name, url, time_zone AS "timeZone" FROM agencies WHERE feed_id = $1`,
      [feed.id],
    );
    const stations: ExistingCatalog['stations'] = await manager.query(
      `SELECT id, gtfs_id AS "gtfsId", code, name, latitude, longitude FROM stations WHERE feed_id = $1`,
      [feed.id],
    );
    const platforms: ExistingCatalog['platforms'] = await manager.query(
      `SELECT p.id, p.station_id AS "stationId", p.gtfs_id AS "gtfsId", p.name, p.latitude, p.longitude
       FROM platforms p JOIN stations s ON s.id = p.station_id WHERE s.feed_id = $1`,
      [feed.id],
    );
    const trains: ExistingCatalog['trains'] = await manager.query(
      `SELECT id, number, name, type::text AS type, time_zone AS "timeZone", agency_id AS "agencyId", runs_on AS "runsOn", days_known AS "daysKnown"
       FROM trains WHERE feed_id = $1`,
      [feed.id],
    );
    const patterns: ExistingCatalog['patterns'] = await manager.query(
      `SELECT p.id, p.train_id AS "trainId", p.gtfs_trip_id AS "gtfsTripId", p.headsign, p.gtfs_day_shift AS "gtfsDayShift", p.runs_on AS "runsOn",
              to_char(p.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(p.valid_to, 'YYYY-MM-DD') AS "validTo",
              p.added_dates AS "addedDates", p.removed_dates AS "removedDates", p.days_known AS "daysKnown"
       FROM train_patterns p JOIN trains t ON t.id = p.train_id WHERE t.feed_id = $1`,
      [feed.id],
    );
    // One digest per pattern instead of its stops: the catalog's stops never come into memory.
    const stops: Array<{ patternId: string; count: number; digest: string }> = await manager.query(
      `SELECT rs.pattern_id AS "patternId", count(*)::int AS count, ${STOPS_DIGEST_SQL} AS digest
       FROM route_stops rs JOIN train_patterns p ON p.id = rs.pattern_id JOIN trains t ON t.id = p.train_id WHERE t.feed_id = $1
       GROUP BY rs.pattern_id`,
      [feed.id],
    );
    return { feed, agencies, stations, platforms, trains, patterns, stops: new Map(stops.map(({ patternId, count, digest }) => [patternId, { count, digest }])) };
  }

  /** Codes and numbers of the plan that rows not of this feed hold (any row, for a feed new to the catalog). */
  async taken(plan: CatalogPlan, feedId: string | null, manager: EntityManager): Promise<TakenKeys> {
    const stations: Array<{ key: string; feed: string | null }> = await manager.query(
      `SELECT s.code AS key, f.code AS feed FROM stations s LEFT JOIN feeds f ON f.id = s.feed_id
       WHERE s.code = ANY($1::text[]) AND ($2::uuid IS NULL OR s.feed_id IS DISTINCT FROM $2::uuid)`,
      [plan.stations.map((station) => station.code), feedId],
    );
    const trains: Array<{ key: string; feed: string | null }> = await manager.query(
      `SELECT t.number AS key, f.code AS feed FROM trains t LEFT JOIN feeds f ON f.id = t.feed_id
       WHERE t.number = ANY($1::text[]) AND ($2::uuid IS NULL OR t.feed_id IS DISTINCT FROM $2::uuid)`,
      [plan.trains.map((train) => train.number), feedId],
    );
    const byKey = (rows: Array<{ key: string; feed: string | null }>) => new Map(rows.map((row) => [row.key, row.feed]));
    return { stationCodes: byKey(stations), trainNumbers: byKey(trains) };
  }

  /**
   * Writes the changes. The order lets a feed move a code from one of its stations to another:
   * stops and patterns go first, then stations no longer listed (those still called at by
   * another feed's or a hand-made train stay, and are returned), then new and changed rows.
   */
  async apply(changes: CatalogChanges, manager: EntityManager): Promise<{ stationsKept: string[] }> {
    const { feed } = changes;
    if (feed.insert) await manager.query(`INSERT INTO feeds (id, code, name, version) VALUES ($1, $2, $3, $4)`, [feed.id, feed.code, feed.name, feed.version]);
    else if (feed.touch) await manager.query(`UPDATE feeds SET name = $2, version = $3, updated_at = now() WHERE id = $1`, [feed.id, feed.name, feed.version]);

    await this.deleteIds('route_stops', 'pattern_id', changes.stops.replaceOf, manager);
    await this.deleteIds('train_patterns', 'id', changes.patterns.delete, manager);
    await this.deleteIds('trains', 'id', changes.trains.delete, manager);
    await this.deleteIds('platforms', 'id', changes.platforms.delete, manager);
    const deleted = new Set<string>();
    for (const ids of slices(changes.stations.delete)) {
      const rows = (await manager.query(
        `DELETE FROM stations s WHERE s.id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM route_stops rs WHERE rs.station_id = s.id) RETURNING s.id`,
        [ids],
      )) as [Array<{ id: string }>, number] | Array<{ id: string }>;
      for (const row of rowsOf(rows)) deleted.add(row.id);
    }
    const kept = changes.stations.delete.filter((id) => !deleted.has(id));
    // A station kept for another feed's trains is no longer this feed's.
    if (kept.length > 0) await manager.query(`UPDATE stations SET feed_id = NULL, gtfs_id = NULL, updated_at = now() WHERE id = ANY($1::uuid[])`, [kept]);
    const keptCodes = kept.length > 0 ? ((await manager.query(`SELECT code FROM stations WHERE id = ANY($1::uuid[]) ORDER BY code`, [kept])) as Array<{ code: string }>).map((row) => row.code) : [];

    await this.upsert('agencies', AGENCY_COLUMNS, changes.agencies, { feed_id: feed.id }, manager);
    await this.upsert('stations', STATION_COLUMNS, changes.stations, { feed_id: feed.id }, manager);
    await this.upsert('platforms', PLATFORM_COLUMNS, changes.platforms, {}, manager);
    await this.upsert('trains', TRAIN_COLUMNS, changes.trains, { feed_id: feed.id }, manager);
    await this.upsert('train_patterns', PATTERN_COLUMNS, changes.patterns, {}, manager);
    await this.insertStops(changes.stops, manager);
    await this.deleteIds('agencies', 'id', changes.agencies.delete, manager);
    return { stationsKept: keptCodes };
  }

  /**
   * The stops, the bulk of a feed: with COPY on a PostgreSQL server (its text format costs both
   * sides about half the CPU of arrays sent and unnested), in batches of arrays on the embedded
   * database, whose driver cannot COPY from the client.
   */
  private async insertStops(changes: StopChanges, manager: EntityManager): Promise<void> {
    if (changes.count === 0) return;
    const rebuild = await this.isBulkLoad(changes.count, manager);
    if (rebuild) {
      await manager.query(`ALTER TABLE route_stops DROP CONSTRAINT pk_route_stops`);
      await manager.query(`DROP INDEX ix_route_stops_station_id`);
    }
    await this.sendStops(changes, manager);
    // The same definitions as the migrations'; a duplicate (pattern, sequence) fails here as it would have in the COPY.
    if (rebuild) {
      await manager.query(`ALTER TABLE route_stops ADD CONSTRAINT pk_route_stops PRIMARY KEY (pattern_id, sequence)`);
      await manager.query(`CREATE INDEX ix_route_stops_station_id ON route_stops (station_id)`);
    }
  }

  /**
   * Whether the stops to write are a bulk load: at least BULK_LOAD_MIN_STOPS and more than
   * route_stops holds. Then its two indexes are dropped before the stops are sent and built after
   * (sorting once instead of inserting row by row: a first import of 600,000 stops spent two thirds
   * of its PostgreSQL time on index inserts). Dropping an index locks route_stops against reads
   * until the import commits, which only an import that more than doubles the catalog pays.
   */
  private async isBulkLoad(count: number, manager: EntityManager): Promise<boolean> {
    if (count < BULK_LOAD_MIN_STOPS) return false;
    const [{ stops }] = (await manager.query(`SELECT count(*)::int AS stops FROM route_stops`)) as Array<{ stops: number }>;
    return count > stops;
  }

  private async sendStops(changes: StopChanges, manager: EntityManager): Promise<void> {
    const rows = stopRowsOf(changes);
    if (!canCopyFromClient(manager)) {
      for (let batch = take(rows, SLICE); batch.length > 0; batch = take(rows, SLICE)) await this.insert('route_stops', STOP_COLUMNS, batch, {}, false, manager);
      return;
    }
    await copyRows('route_stops', STOP_COLUMNS, rows, manager);
  }

  private async upsert<T extends { id: string }>(
    table: string,
    columns: Column<T>[],
    rows: { insert: T[]; update: T[] },
    constants: Record<string, string>,
    manager: EntityManager,
  ): Promise<void> {
    for (const slice of slices(rows.insert)) await this.insert(table, columns, slice, constants, true, manager);
    for (const slice of slices(rows.update)) {
      const all = [{ name: 'id', type: 'uuid', value: (row: T) => row.id }, ...columns];
      await manager.query(
        `UPDATE ${table} t SET ${columns.map(({ name }) => `${name} = ${expressionOf(name)}`).join(', ')}, updated_at = now()
         FROM unnest(${all.map(({ type }, index) => `$${index + 1}::${type}[]`).join(', ')}) AS v(${all.map(({ name }) => name).join(', ')})
         WHERE t.id = v.id`,
        all.map(({ value }) => slice.map(value)),
      );
    }
  }

  private async insert<T>(table: string, columns: Column<T>[], rows: T[], constants: Record<string, string>, withId: boolean, manager: EntityManager): Promise<void> {
    if (rows.length === 0) return;
    const all = withId ? [{ name: 'id', type: 'uuid', value: (row: T) => (row as { id: string }).id }, ...columns] : columns;
    const constantNames = Object.keys(constants);
    const first = all.length + 1;
    await manager.query(
      `INSERT INTO ${table} (${[...all.map(({ name }) => name), ...constantNames].join(', ')})
       SELECT ${[...all.map(({ name }) => expressionOf(name)), ...constantNames.map((_, index) => `$${first + index}::uuid`)].join(', ')}
       FROM unnest(${all.map(({ type }, index) => `$${index + 1}::${type}[]`).join(', ')}) AS v(${all.map(({ name }) => name).join(', ')})`,
      [...all.map(({ value }) => rows.map(value)), ...Object.values(constants)],
    );
  }

  private async deleteIds(table: string, column: string, ids: readonly string[], manager: EntityManager): Promise<void> {
    for (const slice of slices(ids)) await manager.query(`DELETE FROM ${table} WHERE ${column} = ANY($1::uuid[])`, [slice]);
  }
}

/** Up to `count` more rows of an iterator. */
function take<T>(rows: Iterator<T>, count: number): T[] {
  const batch: T[] = [];
  while (batch.length < count) {
    const next = rows.next();
    if (next.done) break;
    batch.push(next.value);
  }
  return batch;
}


/** TypeORM returns [rows, count] for DELETE … RETURNING on PostgreSQL. */
const rowsOf = <T>(result: [T[], number] | T[]): T[] => (Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]));

