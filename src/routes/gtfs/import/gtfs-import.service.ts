import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../../../database/transaction-runner.js';
import { GtfsFeedError } from '../gtfs-feed.error.js';
import { readGtfsFeed } from '../gtfs-feed.reader.js';
import { collisions, countChanges, diffCatalog } from './catalog-diff.js';
import { planCatalog } from './gtfs-catalog.plan.js';
import type { GtfsImportRules, ImportOptions, ImportReport } from './gtfs-import.model.js';
import { GtfsImportRepository } from './gtfs-import.repository.js';

/** Rolls a dry run's transaction back once its report is made. */
class DryRunDone extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

/**
 * Imports a GTFS feed into the catalog (issue #12): reads it with the streaming reader, plans the
 * catalog it describes, and writes the difference from what the catalog holds of that feed, in
 * one transaction. A feed with errors, or one whose codes or numbers another feed holds, writes
 * nothing and throws GtfsFeedError naming each problem's file, line and field.
 */
@Injectable()
export class GtfsImportService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly repository: GtfsImportRepository,
  ) {}

  async import(path: string, rules: GtfsImportRules, options: ImportOptions = {}): Promise<ImportReport> {
    const progress = options.onProgress;
    const feed = await readGtfsFeed(path, {
      daysUnknownServiceId: rules.daysUnknownServiceId,
      stopTimePlatformColumns: rules.platformColumns,
      onProgress: progress && ((table) => progress({ phase: 'read', ...table })),
    });
    progress?.({ phase: 'plan' });
    const { plan, problems, warnings } = planCatalog(feed, rules);
    if (problems.length > 0) throw new GtfsFeedError(problems);
    progress?.({ phase: 'write' });
    try {
      return await this.transactions.run(async (manager) => {
        await this.repository.lock(manager);
        const existing = await this.repository.load(plan.feed.code, manager);
        const clashes = collisions(plan, await this.repository.taken(plan, existing.feed?.id ?? null, manager));
        if (clashes.length > 0) throw new GtfsFeedError(clashes.slice(0, 500), Math.max(0, clashes.length - 500));
        const changes = diffCatalog(plan, existing);
        const counts = countChanges(changes, existing);
        const written = Object.values(counts).some((count) => count.inserted + count.updated + count.deleted > 0) || changes.feed.insert || changes.feed.touch;
        const { stationsKept } = options.dryRun || !written ? { stationsKept: [] } : await this.repository.apply(changes, manager);
        const report: ImportReport = {
          feed: plan.feed.code,
          existed: existing.feed !== null,
          imported: {
            agencies: plan.agencies.length,
            stations: plan.stations.length,
            platforms: plan.platforms.length,
            trains: plan.trains.length,
            patterns: plan.trains.reduce((sum, train) => sum + train.patterns.length, 0),
            routeStops: plan.trains.reduce((sum, train) => sum + train.patterns.reduce((stops, pattern) => stops + pattern.stops.length, 0), 0),
          },
          changes: counts,
          stationsKept,
          warnings: [...feed.warnings, ...warnings],
          unchanged: !written,
          dryRun: options.dryRun ?? false,
        };
        if (options.dryRun) throw new DryRunDone(report);
        return report;
      });
    } catch (error) {
      if (error instanceof DryRunDone) return error.report;
      throw error;
    }
  }
}
