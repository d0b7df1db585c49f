import { Module } from '@nestjs/common';
import { CATALOG_RELOAD, DEFAULT_CATALOG_RELOAD } from './catalog-snapshot.js';
import { CatalogVersionRepository } from './catalog-version.repository.js';
import { CatalogWrites } from './catalog-writes.js';

/**
 * The catalog's version, this instance's catalog writes, and when in-memory copies of the catalog
 * reload: below every catalog module (stations ← routes ← trains), which each keep such a copy.
 */
@Module({
  providers: [CatalogVersionRepository, CatalogWrites, { provide: CATALOG_RELOAD, useValue: DEFAULT_CATALOG_RELOAD }],
  exports: [CatalogVersionRepository, CatalogWrites, CATALOG_RELOAD],
})
export class CatalogModule {}
