import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/database.options.js';
import { recreateDatabase } from './test-database.js';

const tables = async (dataSource: DataSource) =>
  (await dataSource.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).map(
    (row: { tablename: string }) => row.tablename,
  );

describe('migrations', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    const url = await recreateDatabase('train_tracker_test_migrations');
    dataSource = new DataSource(buildDataSourceOptions({ DATABASE_URL: url, DATA_DIR: 'data', DB_POOL_SIZE: 2, DB_MIGRATE_ON_START: false }));
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  it('replay from an empty database, and the schema matches the entities', async () => {
    expect(await tables(dataSource)).toEqual([]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((migration) => migration.name)).toEqual(dataSource.migrations.map((migration) => migration.name));
    expect(await tables(dataSource)).toEqual(expect.arrayContaining(['migrations', 'route_stops', 'stations', 'trains']));
    // What `migration:generate` would write: nothing, when entities and migrations agree.
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('revert to empty and apply again', async () => {
    for (let i = 0; i < dataSource.migrations.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables(dataSource)).toEqual(['migrations']);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied).toHaveLength(dataSource.migrations.length);
  });
});
