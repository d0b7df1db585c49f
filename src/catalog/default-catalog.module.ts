import { Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.validation.js';
import { isEmbedded } from '../database/database.options.js';
import { DemoDataSeeder } from '../database/seed/demo-data.seeder.js';
import { GtfsImportModule } from '../routes/gtfs/import/gtfs-import.module.js';
import { RoutesModule } from '../routes/routes.module.js';
import { TimetableService } from '../routes/timetable.service.js';
import { StationIndexService } from '../stations/station-index.service.js';
import { StationsModule } from '../stations/stations.module.js';
import { DefaultCatalogLoader } from './default-catalog.loader.js';

/**
 * The app's start: CATALOG_WHEN_EMPTY (default `india` when embedded, `none` with DATABASE_URL)
 * is loaded into an empty database, then the in-memory copies of the catalog (the timetable, the
 * station index) are loaded from it, all before the server listens (main.ts listens after
 * app.init(), which awaits every onApplicationBootstrap): the first requests are answered from
 * memory instead of waiting for the whole Indian timetable to load.
 *
 * The copies are loaded here, after the import, and not in their services' own hooks: Nest runs
 * onApplicationBootstrap module by module, the most deeply imported first, so the hooks of
 * RoutesModule and StationsModule (imported by this module) would run before this one's import.
 */
@Module({ imports: [GtfsImportModule, RoutesModule, StationsModule], providers: [DemoDataSeeder, DefaultCatalogLoader] })
export class DefaultCatalogModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(DefaultCatalogModule.name);

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly loader: DefaultCatalogLoader,
    private readonly timetable: TimetableService,
    private readonly stationIndex: StationIndexService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const embedded = isEmbedded({ DATABASE_URL: this.config.get('DATABASE_URL', { infer: true }) });
    await this.loader.loadIfEmpty(this.config.get('CATALOG_WHEN_EMPTY', { infer: true }) ?? (embedded ? 'india' : 'none'));
    // Both builds yield to the event loop in slices. A failure does not stop the start: as before
    // this preload, the first read that needs a copy loads it again.
    const started = performance.now();
    try {
      await Promise.all([this.timetable.load(), this.stationIndex.load()]);
      this.logger.log(`Timetable and station index loaded into memory in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      this.logger.warn(`Timetable or station index not loaded at start, the first read loads it: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
