import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGliteDriver } from 'typeorm-pglite';
import { migrations } from '../../migrations/index.js';
import type { Env } from '../config/env.validation.js';
import { entities } from './entities.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';


type DatabaseEnv = Pick<Env, 'DATABASE_URL' | 'DATA_DIR' | 'DB_POOL_SIZE' | 'DB_MIGRATE_ON_START'>;

/**
 * One description of the database for the app, the TypeORM CLI and the seed command.
 * With DATABASE_URL it is that PostgreSQL server; without, an embedded PostgreSQL (PGlite)
 * stored under DATA_DIR, which runs the same migrations and SQL.
 */
export function buildDataSourceOptions(env: DatabaseEnv): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each' as const,
    migrationsRun: env.DB_MIGRATE_ON_START,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+ (and PGlite): no extension to install.
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
  };
  if (env.DATABASE_URL) {
    return {
      ...common,
      url: env.DATABASE_URL,
      extra: { max: env.DB_POOL_SIZE, connectionTimeoutMillis: 5000 },
    };
  }
  const dataDir = resolve(env.DATA_DIR, 'pgdata');
  mkdirSync(dataDir, { recursive: true });
  return {
    ...common,
    // Contrib extensions are built into PGlite as separate bundles: one must be loaded here
    // before a migration can CREATE EXTENSION it (pg_trgm: station search).
    driver: new PGliteDriver({ dataDir, extensions: { pg_trgm } }).driver,
  };
}

export const isEmbedded = (env: Pick<Env, 'DATABASE_URL'>) => !env.DATABASE_URL;
