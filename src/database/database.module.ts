import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Env } from '../config/env.validation.js';
import { buildDataSourceOptions } from './database.options.js';
import { TransactionRunner } from './transaction-runner.js';

/**
 * The database connection and transactions, for the app and the admin commands alike. Loading
 * the default catalog at start is the app's (DefaultCatalogModule), so a command such as import:gtfs
 * never loads it into an empty database first.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) =>
        buildDataSourceOptions({
          DATABASE_URL: config.get('DATABASE_URL', { infer: true }),
          DATA_DIR: config.get('DATA_DIR', { infer: true }),
          DB_POOL_SIZE: config.get('DB_POOL_SIZE', { infer: true }),
          DB_MIGRATE_ON_START: config.get('DB_MIGRATE_ON_START', { infer: true }),
        }),
    }),
  ],
  providers: [TransactionRunner],
  exports: [TransactionRunner],
})
@Global()
export class DatabaseModule {}
