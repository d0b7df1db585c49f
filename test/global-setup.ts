import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/database.options.js';
import { DemoDataSeeder } from '../src/database/seed/demo-data.seeder.js';
import { recreateDatabase, TEST_DATABASE } from './test-database.js';

/**
 * Once per e2e run: an empty test database, migrated from nothing and loaded with the demo
 * catalog. Test files add their own users, trains and statuses with unique names.
 */
export default async function globalSetup(): Promise<void> {
  const url = await recreateDatabase(TEST_DATABASE);
  const dataSource = new DataSource(
    buildDataSourceOptions({ DATABASE_URL: url, DATA_DIR: 'data', DB_POOL_SIZE: 2, DB_MIGRATE_ON_START: false }),
  );
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    await new DemoDataSeeder(dataSource).seed();
  } finally {
    await dataSource.destroy();
  }
}
