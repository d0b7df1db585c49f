import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/database.options.js';
import { DemoDataSeeder } from '../src/database/seed/demo-data.seeder.js';
import { loadDemoData } from '../src/database/seed/demo-data.js';
import { recreateDatabase } from './test-database.js';

describe('demo data seeding', () => {
  let dataSource: DataSource;
  let seeder: DemoDataSeeder;
  const snapshot = async () =>
    dataSource.query(`
      SELECT s.code, s.name, s.updated_at, t.number, t.updated_at AS train_updated_at, rs.xmin::text AS stop_version, rs.arrival_minute
      FROM route_stops rs JOIN stations s ON s.id = rs.station_id JOIN trains t ON t.id = rs.train_id
      ORDER BY t.number, rs.sequence`);

  beforeAll(async () => {
    const url = await recreateDatabase('train_tracker_test_seed');
    dataSource = new DataSource(buildDataSourceOptions({ DATABASE_URL: url, DATA_DIR: 'data', DB_POOL_SIZE: 2, DB_MIGRATE_ON_START: true }));
    await dataSource.initialize();
    seeder = new DemoDataSeeder(dataSource);
  });
  afterAll(() => dataSource.destroy());

  it('loads every station, train and stop of the data files', async () => {
    const data = loadDemoData();
    const report = await seeder.seed();
    expect(report).toEqual({
      stationsInserted: data.stations.length,
      stationsUpdated: 0,
      trainsInserted: data.trains.length,
      trainsUpdated: 0,
      routesReplaced: 0,
    });
    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM route_stops');
    expect(count).toBe(data.trains.reduce((sum, train) => sum + train.stops.length, 0));
  });

  it('changes nothing on a second run', async () => {
    const before = await snapshot();
    const report = await seeder.seed();
    expect(report).toEqual({ stationsInserted: 0, stationsUpdated: 0, trainsInserted: 0, trainsUpdated: 0, routesReplaced: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('updates the rows a changed data file describes', async () => {
    const data = loadDemoData();
    const station = data.stations[0];
    station.name = `${station.name} Junction Renamed`;
    const train = data.trains[0];
    train.name = `${train.name} Special`;
    const stop = train.stops[1];
    stop.arrivalMinute = stop.arrivalMinute! - 1;

    const report = await seeder.seed(data);
    expect(report).toEqual({ stationsInserted: 0, stationsUpdated: 1, trainsInserted: 0, trainsUpdated: 1, routesReplaced: 1 });
    const [row] = await dataSource.query('SELECT name FROM stations WHERE code = $1', [station.code]);
    expect(row.name).toBe(station.name);
    const [stopRow] = await dataSource.query(
      `SELECT rs.arrival_minute, t.name FROM route_stops rs JOIN trains t ON t.id = rs.train_id WHERE t.number = $1 AND rs.sequence = 2`,
      [train.number],
    );
    expect(stopRow).toEqual({ arrival_minute: stop.arrivalMinute, name: train.name });
    expect(await seeder.seed(data)).toEqual({ stationsInserted: 0, stationsUpdated: 0, trainsInserted: 0, trainsUpdated: 0, routesReplaced: 0 });
  });
});
