import { Inject, Injectable, Logger } from '@nestjs/common';
import { CATALOG_RELOAD, type CatalogReloadPolicy, CatalogSnapshot } from '../catalog/catalog-snapshot.js';
import { CatalogVersionRepository } from '../catalog/catalog-version.repository.js';
import { CatalogWrites } from '../catalog/catalog-writes.js';
import { Metrics } from '../common/observability/metrics.js';
import { StationIndex } from './station-index.js';
import { StationsRepository } from './stations.repository.js';

/**
 * The station index in memory (search, nearby, lookups by code), kept at the catalog version as
 * the timetable is: checked every couple of seconds, rebuilt in the background when it moved, at
 * once after a catalog write on this instance (CatalogWrites).
 */
@Injectable()
export class StationIndexService {
  private readonly snapshot: CatalogSnapshot<StationIndex>;

  constructor(
    stations: StationsRepository,
    versions: CatalogVersionRepository,
    writes: CatalogWrites,
    metrics: Metrics,
    @Inject(CATALOG_RELOAD) policy: CatalogReloadPolicy,
  ) {
    this.snapshot = new CatalogSnapshot(
      {
        version: () => versions.current(),
        build: async (version) => StationIndex.build(version, await stations.all(), await stations.aliases()),
      },
      policy,
      (outcome) => metrics.stationIndexReloads.inc({ outcome }),
      'Station index',
      new Logger(StationIndexService.name),
    );
    writes.onWrite(() => this.snapshot.invalidate());
  }

  /**
   * Loads the index unless the one in memory is current: the app's start waits for it before it
   * listens, so that no search waits for the first load.
   */
  async load(): Promise<void> {
    await this.snapshot.get();
  }

  /** The index in service (the first read waits for the first load). */
  current(): Promise<StationIndex> {
    return this.snapshot.get();
  }
}
