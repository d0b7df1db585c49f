import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.validation.js';
import { isEmbedded } from '../database/database.options.js';
import { DemoDataSeeder } from '../database/seed/demo-data.seeder.js';
import { GtfsImportModule } from '../routes/gtfs/import/gtfs-import.module.js';
import { RoutesModule } from '../routes/routes.module.js';
import { DefaultCatalogLoader } from './default-catalog.loader.js';

/**
 * The app's start: CATALOG_WHEN_EMPTY (default `india` when embedded, `none` with DATABASE_URL)
 * is loaded into an empty database before the server listens.
 */
@Module({ imports: [GtfsImportModule, RoutesModule], providers: [DemoDataSeeder, DefaultCatalogLoader] })
export class DefaultCatalogModule implements OnApplicationBootstrap {
  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly loader: DefaultCatalogLoader,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const embedded = isEmbedded({ DATABASE_URL: this.config.get('DATABASE_URL', { infer: true }) });
    await this.loader.loadIfEmpty(this.config.get('CATALOG_WHEN_EMPTY', { infer: true }) ?? (embedded ? 'india' : 'none'));
  }
}
