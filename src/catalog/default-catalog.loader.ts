import { Injectable, Logger } from '@nestjs/common';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import type { CatalogWhenEmpty } from '../config/env.validation.js';
import { DemoDataSeeder } from '../database/seed/demo-data.seeder.js';
import { DEFAULT_IMPORT_RULES } from '../routes/gtfs/import/gtfs-import.model.js';
import { GtfsImportService } from '../routes/gtfs/import/gtfs-import.service.js';
import { TimetableService } from '../routes/timetable.service.js';
import { Station } from '../stations/station.entity.js';

/**
 * The Indian Railways feed (catalog/india/gtfs.zip). Resolved beside this file: from src/ (tests)
 * that is the repository's copy, from dist/src/ the copy `npm run build` puts in dist/catalog/.
 */
export const INDIA_CATALOG_PATH = fileURLToPath(new URL('../../catalog/india/gtfs.zip', import.meta.url));

/**
 * Loads the default catalog into an empty database at start (issue #12, part 4): the real Indian
 * timetable through the same GTFS import as any operator's feed, or the hand-made demo trains.
 * A catalog with any station is left alone, so a restart or an operator's own feed is never
 * overwritten.
 */
@Injectable()
export class DefaultCatalogLoader {
  private readonly logger = new Logger(DefaultCatalogLoader.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly demo: DemoDataSeeder,
    private readonly gtfs: GtfsImportService,
    private readonly timetable: TimetableService,
  ) {}

  async loadIfEmpty(catalog: CatalogWhenEmpty): Promise<void> {
    if (catalog === 'none') return;
    if ((await this.dataSource.getRepository(Station).count()) > 0) return;
    if (catalog === 'demo') await this.demo.seedIfEmpty();
    else {
      const started = performance.now();
      this.logger.log('Empty catalog: importing the Indian Railways timetable (catalog/india/gtfs.zip)');
      const report = await this.gtfs.import(INDIA_CATALOG_PATH, DEFAULT_IMPORT_RULES);
      const { imported } = report;
      this.logger.log(
        `Loaded the Indian Railways timetable: ${imported.stations} stations, ${imported.trains} trains, ${imported.routeStops} route stops in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
    // A tick or request during the load may have cached the empty timetable.
    this.timetable.invalidate();
  }
}
