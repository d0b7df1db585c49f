import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/database.options.js';
import { STOPS_DIGEST_SQL, stopsDigest } from '../src/routes/gtfs/import/route-stops-digest.js';
import { recreateDatabase } from './test-database.js';

/**
 * route_stops as the GTFS import writes it (migration RouteStopsForBulkWrites1764800000000), on a
 * database of its own migrated from nothing: references checked per statement by triggers
 * instead of foreign keys, with the same guarantees and the same error (23503 naming the
 * constraint); and the digest of a pattern's stops, computed alike in SQL and in TypeScript.
 */
describe('route stop references (per statement)', () => {
  let client: pg.Client;
  let stations: string[];
  let trains: string[];
  let patterns: string[];

  const stop = (pattern: number, train: number, station: string, sequence: number) => [patterns[pattern], trains[train], station, sequence];
  const insertStops = (rows: unknown[][]) =>
    client.query(
      `INSERT INTO route_stops (pattern_id, train_id, station_id, sequence, departure_minute, departure_day, distance_km)
       SELECT p, t, s, q, 600, 0, 0 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int2[]) AS v(p, t, s, q)`,
      [0, 1, 2, 3].map((column) => rows.map((row) => row[column])),
    );
  const stopCount = async (where = 'true', params: unknown[] = []) => Number((await client.query(`SELECT count(*) FROM route_stops WHERE ${where}`, params)).rows[0].count);
  const failure = async (work: Promise<unknown>) => {
    const error = (await work.then(
      () => null,
      (caught: unknown) => caught,
    )) as { code?: string; constraint?: string } | null;
    return error && { code: error.code, constraint: error.constraint };
  };

  beforeAll(async () => {
    const url = await recreateDatabase('train_tracker_test_route_stop_references');
    const dataSource = new DataSource(buildDataSourceOptions({ DATABASE_URL: url, DATA_DIR: 'data', DB_POOL_SIZE: 1, DB_MIGRATE_ON_START: false }));
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.destroy();
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });
  afterAll(() => client?.end());

  beforeEach(async () => {
    await client.query('DELETE FROM route_stops');
    await client.query('DELETE FROM trains');
    await client.query('DELETE FROM stations');
    stations = (await client.query(`INSERT INTO stations (code, name) VALUES ('RA', 'A'), ('RB', 'B'), ('RC', 'C') RETURNING id`)).rows.map((row) => row.id);
    trains = (
      await client.query(
        `INSERT INTO trains (number, name, type, runs_on, days_known, time_zone) VALUES ('901', 'One', 'RAIL', '{}', true, 'UTC'), ('902', 'Two', 'RAIL', '{}', true, 'UTC') RETURNING id`,
      )
    ).rows.map((row) => row.id);
    patterns = (
      await client.query(
        `INSERT INTO train_patterns (train_id, runs_on, added_dates, removed_dates, days_known) VALUES ($1, '{}', '{}', '{}', true), ($1, '{}', '{}', '{}', true), ($2, '{}', '{}', '{}', true) RETURNING id`,
        trains,
      )
    ).rows.map((row) => row.id);
  });

  it('takes stops naming a pattern of their own train and a station, many in one statement', async () => {
    await insertStops([stop(0, 0, stations[0], 1), stop(0, 0, stations[1], 2), stop(1, 0, stations[1], 1), stop(2, 1, stations[2], 1)]);
    expect(await stopCount()).toBe(4);
  });

  it('refuses a whole statement when one stop names no pattern, a pattern of another train, or no station', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await failure(insertStops([stop(0, 0, stations[0], 1), [missing, trains[0], stations[1], 2]]))).toEqual({ code: '23503', constraint: 'fk_route_stops_pattern' });
    expect(await failure(insertStops([stop(0, 0, stations[0], 1), stop(2, 0, stations[1], 2)]))).toEqual({ code: '23503', constraint: 'fk_route_stops_pattern' });
    expect(await failure(insertStops([stop(0, 0, stations[0], 1), [patterns[0], trains[0], missing, 2]]))).toEqual({ code: '23503', constraint: 'fk_route_stops_station' });
    expect(await stopCount()).toBe(0);
    await insertStops([stop(0, 0, stations[0], 1)]);
    expect(await failure(client.query('UPDATE route_stops SET station_id = $1', [missing]))).toEqual({ code: '23503', constraint: 'fk_route_stops_station' });
  });

  it('deletes the stops of deleted patterns, and of the patterns of deleted trains (cascade)', async () => {
    await insertStops([stop(0, 0, stations[0], 1), stop(0, 0, stations[1], 2), stop(1, 0, stations[1], 1), stop(2, 1, stations[2], 1)]);
    await client.query('DELETE FROM train_patterns WHERE id = $1', [patterns[0]]);
    expect(await stopCount('pattern_id = $1', [patterns[0]])).toBe(0);
    expect(await stopCount()).toBe(2);
    await client.query('DELETE FROM trains WHERE id = $1', [trains[0]]);
    expect(await stopCount('train_id = $1', [trains[0]])).toBe(0);
    expect(await stopCount()).toBe(1);
  });

  it('keeps a station some stop calls at (restrict), and lets one go once no stop calls there', async () => {
    await insertStops([stop(0, 0, stations[0], 1), stop(0, 0, stations[1], 2)]);
    expect(await failure(client.query('DELETE FROM stations WHERE id = ANY($1::uuid[])', [stations]))).toEqual({ code: '23503', constraint: 'fk_route_stops_station' });
    expect(await failure(client.query('TRUNCATE stations CASCADE'))).toEqual({ code: '23503', constraint: 'fk_route_stops_station' });
    expect(Number((await client.query('SELECT count(*) FROM stations')).rows[0].count)).toBe(3);
    await client.query('DELETE FROM stations WHERE id = $1', [stations[2]]);
    expect(Number((await client.query('SELECT count(*) FROM stations')).rows[0].count)).toBe(2);
  });

  it('keeps the keys a stop refers to, and empties route_stops with its patterns on TRUNCATE', async () => {
    await insertStops([stop(0, 0, stations[0], 1), stop(2, 1, stations[1], 1)]);
    const otherId = '00000000-0000-4000-8000-000000000001';
    expect(await failure(client.query('UPDATE stations SET id = $2 WHERE id = $1', [stations[0], otherId]))).toEqual({ code: '23503', constraint: 'fk_route_stops_station' });
    expect(await failure(client.query('UPDATE train_patterns SET train_id = $2 WHERE id = $1', [patterns[0], trains[1]]))).toEqual({ code: '23503', constraint: 'fk_route_stops_pattern' });
    // The same values written again (the import's updates do) are no change of key.
    await client.query('UPDATE train_patterns SET train_id = train_id, headsign = $2 WHERE id = $1', [patterns[0], 'Somewhere']);
    await client.query('TRUNCATE train_patterns');
    expect(await stopCount()).toBe(0);
  });

  it('digests a pattern’s stops in SQL exactly as the import does in TypeScript: nulls, zeros, platforms of any text', async () => {
    const stops = [
      { stationId: stations[0], sequence: 1, arrivalMinute: null, arrivalDay: null, departureMinute: 0, departureDay: 0, distanceKm: 0, platform: 'Gleis 1 ü;,\t\\', gtfsStopId: 'S1;,a', gtfsStopSequence: 10 },
      { stationId: stations[1], sequence: 2, arrivalMinute: 1439, arrivalDay: 1, departureMinute: 5, departureDay: 2, distanceKm: 12, platform: null, gtfsStopId: null, gtfsStopSequence: null },
      { stationId: stations[2], sequence: 3, arrivalMinute: 30, arrivalDay: 2, departureMinute: null, departureDay: null, distanceKm: 40, platform: '', gtfsStopId: '', gtfsStopSequence: 0 },
    ];
    await client.query(
      `INSERT INTO route_stops (pattern_id, train_id, station_id, sequence, arrival_minute, arrival_day, departure_minute, departure_day, distance_km, platform, gtfs_stop_id, gtfs_stop_sequence)
       SELECT $1, $2, * FROM unnest($3::uuid[], $4::int2[], $5::int2[], $6::int2[], $7::int2[], $8::int2[], $9::int4[], $10::text[], $11::text[], $12::int4[])`,
      [
        patterns[0],
        trains[0],
        ...(['stationId', 'sequence', 'arrivalMinute', 'arrivalDay', 'departureMinute', 'departureDay', 'distanceKm', 'platform', 'gtfsStopId', 'gtfsStopSequence'] as const).map((field) => stops.map((stop) => stop[field])),
      ],
    );
    const digestOf = async () => (await client.query(`SELECT ${STOPS_DIGEST_SQL} AS digest FROM route_stops rs WHERE rs.pattern_id = $1`, [patterns[0]])).rows[0].digest;
    expect(await digestOf()).toBe(stopsDigest(stops));
    // Any field of any stop changes it: a null that becomes 0, an empty platform that becomes none.
    expect(stopsDigest(stops.map((stop, index) => (index === 0 ? { ...stop, arrivalMinute: 0, arrivalDay: 0 } : stop)))).not.toBe(await digestOf());
    expect(stopsDigest(stops.map((stop, index) => (index === 2 ? { ...stop, platform: null } : stop)))).not.toBe(await digestOf());
    expect(stopsDigest(stops.map((stop, index) => (index === 2 ? { ...stop, gtfsStopId: null } : stop)))).not.toBe(await digestOf());
    expect(stopsDigest(stops.map((stop, index) => (index === 1 ? { ...stop, gtfsStopSequence: 0 } : stop)))).not.toBe(await digestOf());
  });
});
