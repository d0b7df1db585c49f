import pg from 'pg';

/** The PostgreSQL server the e2e tests use (a local one with trust auth by default). */
export const TEST_SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const TEST_DATABASE = 'train_tracker_test';

export const databaseUrl = (database: string) => `${TEST_SERVER_URL.replace(/\/+$/, '')}/${database}`;

/** Creates the database if missing and empties it, so migrations replay from nothing. */
export async function recreateDatabase(database: string): Promise<string> {
  const admin = new pg.Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(database);
  await withClient(url, async (client) => {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
  });
  return url;
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs one SQL query against the shared test database (for asserting rows written). */
export const query = <T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  withClient(databaseUrl(TEST_DATABASE), async (client) => (await client.query<T>(sql, params)).rows);
