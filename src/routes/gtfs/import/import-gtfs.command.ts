import { parseArgs } from 'node:util';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { validateEnv } from '../../../config/env.validation.js';
import { DatabaseModule } from '../../../database/database.module.js';
import { formatGtfsProblem, GtfsFeedError } from '../gtfs-feed.error.js';
import {
  CATALOG_TABLES,
  DEFAULT_IMPORT_RULES,
  DISTANCE_UNITS,
  type DistanceUnit,
  type GtfsImportRules,
  type ImportReport,
  NUMBER_SOURCES,
  type NumberRule,
  type NumberSource,
  STATION_CODE_SOURCES,
  type StationCodeSource,
} from './gtfs-import.model.js';
import { GtfsImportModule } from './gtfs-import.module.js';
import { GtfsImportService } from './gtfs-import.service.js';
import { progressReporter, type ProgressStream } from './import-progress.js';

@Module({ imports: [ConfigModule.forRoot({ isGlobal: true, validate: validateEnv }), DatabaseModule, GtfsImportModule] })
class ImportGtfsModule {}

export const IMPORT_GTFS_USAGE = [
  'Usage: npm run import:gtfs -- <feed.zip | folder> [options]',
  '  --feed <code>                 the feed’s code in the catalog (default: its publisher’s name, e.g. long-island-rail-road)',
  '  --number-from <field>         trip_short_name (default; else trip_id) or trip_id',
  "  --number-rule '<regex>=<template>'  rewrite the number source, first match wins, e.g. '_(\\d+)$=$1' (repeatable)",
  '  --station-code <field>        stop_id (default) or stop_code',
  '  --distance-unit <unit>        unit of shape_dist_traveled: km (default), m, mi, ft',
  '  --days-unknown-service <id>   service_id meaning "days of operation unknown" (default DAYS_UNKNOWN)',
  '  --platform-column <name>      stop_times column holding a platform or track (default track; repeatable)',
  '  --dry-run                     compare with the catalog and report, write nothing',
].join('\n');

/** A command-line mistake: the usage is printed, exit code 2. */
export class UsageError extends Error {}

/** `'<regex>=<template>'`, split at the last `=` (templates hold no `=`). */
export function parseNumberRule(text: string): NumberRule {
  const at = text.lastIndexOf('=');
  if (at <= 0) throw new UsageError(`--number-rule ${text}: write it <regex>=<template>, e.g. '_(\\d+)$=$1'`);
  try {
    return { pattern: new RegExp(text.slice(0, at)), template: text.slice(at + 1) };
  } catch (error) {
    throw new UsageError(`--number-rule ${text}: ${(error as Error).message}`);
  }
}

const oneOf = <T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: T): T => {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new UsageError(`--${option} must be one of ${allowed.join(', ')}`);
  return value as T;
};

/** The feed path and the import rules from the command line. */
export function parseImportArgs(args: string[]): { path: string; rules: GtfsImportRules; dryRun: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        feed: { type: 'string' },
        'number-from': { type: 'string' },
        'number-rule': { type: 'string', multiple: true },
        'station-code': { type: 'string' },
        'distance-unit': { type: 'string' },
        'days-unknown-service': { type: 'string' },
        'platform-column': { type: 'string', multiple: true },
        'dry-run': { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { positionals, values } = parsed;
  if (positionals.length !== 1) throw new UsageError('Name one feed: a .zip or a folder');
  return {
    path: positionals[0],
    dryRun: values['dry-run'] ?? false,
    rules: {
      feedCode: values.feed,
      numberFrom: oneOf<NumberSource>('number-from', values['number-from'], NUMBER_SOURCES, DEFAULT_IMPORT_RULES.numberFrom),
      numberRules: (values['number-rule'] ?? []).map(parseNumberRule),
      stationCode: oneOf<StationCodeSource>('station-code', values['station-code'], STATION_CODE_SOURCES, DEFAULT_IMPORT_RULES.stationCode),
      distanceUnit: oneOf<DistanceUnit>('distance-unit', values['distance-unit'], Object.keys(DISTANCE_UNITS) as DistanceUnit[], DEFAULT_IMPORT_RULES.distanceUnit),
      daysUnknownServiceId: values['days-unknown-service'],
      platformColumns: values['platform-column'],
    },
  };
}

const LABELS: Record<(typeof CATALOG_TABLES)[number], string> = {
  agencies: 'agencies',
  stations: 'stations',
  platforms: 'platforms',
  trains: 'trains',
  patterns: 'stop patterns',
  routeStops: 'route stops',
};

/** The report as printed. */
export function reportLines(path: string, report: ImportReport): string[] {
  const { imported: i } = report;
  const state = report.dryRun ? 'Dry run of' : report.unchanged ? 'Checked' : report.existed ? 'Updated from' : 'Imported';
  const lines = [
    `${state} ${path}: feed ${report.feed}${report.existed ? '' : ' (new)'}`,
    `The feed: ${i.agencies} agencies, ${i.stations} stations with ${i.platforms} platforms, ${i.trains} trains running ${i.patterns} stop patterns, ${i.routeStops} route stops.`,
  ];
  if (report.unchanged) lines.push('No changes: the catalog already holds this feed as it is.');
  else {
    const changed = CATALOG_TABLES.filter((table) => {
      const count = report.changes[table];
      return count.inserted + count.updated + count.deleted > 0;
    }).map((table) => {
      const { inserted, updated, deleted } = report.changes[table];
      return `${LABELS[table]} +${inserted} ~${updated} -${deleted}`;
    });
    lines.push(`${report.dryRun ? 'Would change' : 'Changed'}: ${changed.join(', ') || 'the feed’s name or version'}.`);
  }
  if (report.stationsKept.length > 0) lines.push(`Kept ${report.stationsKept.length} stations the feed dropped but other trains still call at: ${report.stationsKept.join(', ')}`);
  if (report.warnings.length > 0) {
    lines.push(`${report.warnings.length} warnings:`);
    lines.push(...report.warnings.slice(0, 10).map((warning) => `  ${formatGtfsProblem(warning)}`));
    if (report.warnings.length > 10) lines.push(`  … and ${report.warnings.length - 10} more`);
  }
  return lines;
}

/**
 * `npm run import:gtfs -- <feed> [options]`: imports a GTFS feed into the configured database
 * (embedded or DATABASE_URL; migrated first). Exit code 0 when imported (or unchanged), 1 when
 * the feed has errors (each printed with file, line and field; nothing written), 2 for a usage
 * mistake.
 */
export async function importGtfs(args: string[], out: ProgressStream & NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let command;
  try {
    command = parseImportArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err.write(`${error.message}\n${IMPORT_GTFS_USAGE}\n`);
    return 2;
  }
  const app = await NestFactory.createApplicationContext(ImportGtfsModule, { logger: ['error', 'warn'] });
  const progress = progressReporter(out);
  try {
    const report = await app.get(GtfsImportService).import(command.path, command.rules, { dryRun: command.dryRun, onProgress: (p) => progress.onProgress(p) });
    progress.done();
    out.write(`${reportLines(command.path, report).join('\n')}\n`);
    return 0;
  } catch (error) {
    progress.done();
    if (!(error instanceof GtfsFeedError)) throw error;
    const count = error.problems.length + error.omitted;
    err.write(`${command.path} cannot be imported (${count} ${count === 1 ? 'error' : 'errors'}); nothing was written:\n`);
    err.write(`${error.problems.map((problem) => `  ${formatGtfsProblem(problem)}`).join('\n')}\n`);
    if (error.omitted > 0) err.write(`  … and ${error.omitted} more\n`);
    return 1;
  } finally {
    await app.close();
  }
}
