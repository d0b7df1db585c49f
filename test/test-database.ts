import pg from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/database.options.js';
import { DemoDataSeeder } from '../src/database/seed/demo-data.seeder.js';

/** The PostgreSQL server the e2e tests use (a local one with trust auth by default). */
export const TEST_SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const TEST_DATABASE = 'train_tracker_test';

/**
 * TEST_DB_SUFFIX names a separate set of test databases, so two checkouts can run their e2e
 * tests on one PostgreSQL server at once without emptying each other's databases.
 */
const SUFFIX = process.env.TEST_DB_SUFFIX ?? '';
const named = (database: string) =>
  database.startsWith(TEST_DATABASE) && SUFFIX && !database.endsWith(SUFFIX) ? `${database}${SUFFIX}` : database;

export const databaseUrl = (database: string) => `${TEST_SERVER_URL.replace(/\/+$/, '')}/${named(database)}`;

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createDatabaseIfMissing(name: string): Promise<void> {
  const database = named(name);
  await withClient(databaseUrl('postgres'), async (admin) => {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount) return;
    try {
      await admin.query(`CREATE DATABASE "${database}"`);
    } catch (error) {
      // Another test file created it at the same moment.
      if ((error as { code?: string }).code !== '42P04' && (error as { code?: string }).code !== '23505') throw error;
    }
  });
}

/** Creates the database if missing and empties it, so migrations replay from nothing. */
export async function recreateDatabase(database: string): Promise<string> {
  await createDatabaseIfMissing(database);
  const url = databaseUrl(database);
  await withClient(url, async (client) => {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
  });
  return url;
}

/**
 * Test files that add stations or trains use this database, so the catalog read tests can
 * compare the shared database with the demo data exactly while they run in parallel.
 */
export const CATALOG_WRITES_DATABASE = 'train_tracker_test_writes';

/**
 * Once per e2e run (named by global-setup.ts) and database: emptied, migrated from nothing and
 * loaded with the demo catalog. Test files start in parallel, so the first one does it under an
 * advisory lock and the others wait for it. Test files then add their own rows.
 */
export async function prepareDatabase(database: string): Promise<string> {
  const runId = process.env.E2E_RUN_ID ?? 'standalone';
  await createDatabaseIfMissing(database);
  const url = databaseUrl(database);
  await withClient(url, async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [database]);
    try {
      await client.query('CREATE SCHEMA IF NOT EXISTS e2e');
      await client.query('CREATE TABLE IF NOT EXISTS e2e.run (id text PRIMARY KEY)');
      const { rowCount } = await client.query('SELECT 1 FROM e2e.run WHERE id = $1', [runId]);
      if (rowCount) return;
      await client.query('DROP SCHEMA IF EXISTS public CASCADE');
      await client.query('CREATE SCHEMA public');
      await migrateAndSeed(url);
      await client.query('TRUNCATE e2e.run');
      await client.query('INSERT INTO e2e.run (id) VALUES ($1)', [runId]);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [database]);
    }
  });
  return url;
}

/** Migrates an empty database from nothing and loads the demo catalog. */
export async function migrateAndSeed(url: string): Promise<void> {
  const dataSource = new DataSource(buildDataSourceOptions({ DATABASE_URL: url, DATA_DIR: 'data', DB_POOL_SIZE: 2, DB_MIGRATE_ON_START: false }));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    await new DemoDataSeeder(dataSource).seed();
  } finally {
    await dataSource.destroy();
  }
}

/** Runs one SQL query against the database of the app under test (for asserting rows written). */
export const query = <T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  withClient(process.env.DATABASE_URL ?? databaseUrl(TEST_DATABASE), async (client) => (await client.query<T>(sql, params)).rows);
