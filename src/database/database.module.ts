import { Global, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Env } from '../config/env.validation.js';
import { buildDataSourceOptions, isEmbedded } from './database.options.js';
import { DemoDataSeeder } from './seed/demo-data.seeder.js';
import { TransactionRunner } from './transaction-runner.js';

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
  providers: [DemoDataSeeder, TransactionRunner],
  exports: [TransactionRunner],
})
@Global()
export class DatabaseModule implements OnApplicationBootstrap {
  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly seeder: DemoDataSeeder,
  ) {}

  /** The demo catalog is loaded into an empty database (by default only in embedded mode). */
  async onApplicationBootstrap(): Promise<void> {
    const seed = this.config.get('SEED_DEMO_DATA_WHEN_EMPTY', { infer: true }) ?? isEmbedded({ DATABASE_URL: this.config.get('DATABASE_URL', { infer: true }) });
    if (seed) await this.seeder.seedIfEmpty();
  }
}
