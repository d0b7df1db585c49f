import { Module } from '@nestjs/common';
import { GtfsImportRepository } from './gtfs-import.repository.js';
import { GtfsImportService } from './gtfs-import.service.js';

/**
 * GTFS feeds into the catalog. Used by the `import:gtfs` command; it writes catalog tables with
 * its own batch SQL and depends on no other feature module (running app instances pick the
 * changes up when their timetable reloads).
 */
@Module({
  providers: [GtfsImportService, GtfsImportRepository],
  exports: [GtfsImportService],
})
export class GtfsImportModule {}
