import type { GtfsProblem } from '../gtfs-feed.error.js';
import type { GtfsTableProgress } from '../gtfs-table.js';
import type { ServiceCalendar } from '../../service-calendar.js';
import type { TrainType, Weekday } from '../../../trains/train-type.js';

/**
 * The types of a GTFS import (`npm run import:gtfs`): the rules it reads a feed by, the catalog
 * it plans from the feed, what the catalog holds of that feed already, the changes between the
 * two, and the report.
 */

/** Where a train's public number is read from: trip_short_name (else trip_id, as GTFS says), or trip_id. */
export const NUMBER_SOURCES = ['trip_short_name', 'trip_id'] as const;
export type NumberSource = (typeof NUMBER_SOURCES)[number];

/**
 * Rewrites the number source into a number: the first rule whose pattern matches gives the
 * number, its template with `$1`… replaced by the groups (`_(\d+)$` → `$1` takes Sound
 * Transit's trailing digits). No rule matching: the source as it is.
 */
export interface NumberRule {
  pattern: RegExp;
  template: string;
}

export const STATION_CODE_SOURCES = ['stop_id', 'stop_code'] as const;
export type StationCodeSource = (typeof STATION_CODE_SOURCES)[number];

/** Kilometres per unit of shape_dist_traveled. */
export const DISTANCE_UNITS = { km: 1, m: 0.001, mi: 1.609344, ft: 0.0003048 } as const;
export type DistanceUnit = keyof typeof DISTANCE_UNITS;

/** The per-feed rules of an import (README: "Importing a GTFS feed"). */
export interface GtfsImportRules {
  /** The feed's code in the catalog; default: its publisher's name, slugged (`long-island-rail-road`). */
  feedCode?: string;
  numberFrom: NumberSource;
  numberRules: readonly NumberRule[];
  /** Station codes from stop_id (default: stable, what realtime feeds use) or stop_code. */
  stationCode: StationCodeSource;
  /** The unit of shape_dist_traveled (kilometres in the Indian feed). Without it, straight lines between stops. */
  distanceUnit: DistanceUnit;
  daysUnknownServiceId?: string;
  platformColumns?: readonly string[];
}

export const DEFAULT_IMPORT_RULES: GtfsImportRules = { numberFrom: 'trip_short_name', numberRules: [], stationCode: 'stop_id', distanceUnit: 'km' };

// The catalog planned from a feed. Stations, platforms and stops name stations by their stop_id
// (gtfsId); the write resolves them to rows.

export interface PlannedFeed {
  code: string;
  name: string;
  version: string | null;
}

export interface PlannedAgency {
  gtfsId: string;
  name: string;
  url: string;
  timeZone: string;
}

export interface PlannedStation {
  gtfsId: string;
  code: string;
  name: string;
  latitude: number | null;
  longitude: number | null;
  /** stops.txt line, for messages. */
  line: number;
}

export interface PlannedPlatform {
  stationGtfsId: string;
  /** The platform's stop_id; null for a label seen only in a stop_times column. */
  gtfsId: string | null;
  name: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface PlannedStop {
  stationGtfsId: string;
  sequence: number;
  arrivalMinute: number | null;
  arrivalDay: number | null;
  departureMinute: number | null;
  departureDay: number | null;
  distanceKm: number;
  platform: string | null;
  /** The stop_time's own stop_id and stop_sequence, which realtime feeds name it by. */
  gtfsStopId: string | null;
  gtfsStopSequence: number | null;
}

export interface PlannedPattern {
  gtfsTripId: string;
  headsign: string | null;
  /** As dates the train leaves its origin (moved on for trips leaving after 24:00). */
  calendar: ServiceCalendar;
  /** Days the calendar was moved on from the trip's GTFS service dates. */
  gtfsDayShift: number;
  stops: PlannedStop[];
  /** trips.txt line. */
  line: number;
}

export interface PlannedTrain {
  number: string;
  name: string;
  type: TrainType;
  timeZone: string;
  agencyGtfsId: string;
  runsOn: Weekday[];
  daysKnown: boolean;
  patterns: PlannedPattern[];
  /** trips.txt line of its first trip, and the field its number came from. */
  line: number;
  numberField: string;
}

export interface CatalogPlan {
  feed: PlannedFeed;
  agencies: PlannedAgency[];
  stations: PlannedStation[];
  platforms: PlannedPlatform[];
  trains: PlannedTrain[];
}

export interface PlanResult {
  plan: CatalogPlan;
  /** Errors: nothing may be written. */
  problems: GtfsProblem[];
  /** Tolerated: trips skipped, distances clamped… */
  warnings: GtfsProblem[];
}

// What the catalog holds of a feed (rows with its feed_id), as the diff compares it.

export interface ExistingAgency extends PlannedAgency {
  id: string;
}

export interface ExistingStation extends Omit<PlannedStation, 'line'> {
  id: string;
}

export interface ExistingPlatform extends Omit<PlannedPlatform, 'stationGtfsId'> {
  id: string;
  stationId: string;
}

export interface ExistingTrain {
  id: string;
  number: string;
  name: string;
  type: TrainType;
  timeZone: string;
  agencyId: string | null;
  runsOn: Weekday[];
  daysKnown: boolean;
}

export interface ExistingPattern extends ServiceCalendar {
  id: string;
  trainId: string;
  gtfsTripId: string | null;
  headsign: string | null;
  gtfsDayShift: number;
}

export interface ExistingStop extends Omit<PlannedStop, 'stationGtfsId'> {
  stationId: string;
}

export interface ExistingCatalog {
  feed: { id: string; name: string; version: string | null } | null;
  agencies: ExistingAgency[];
  stations: ExistingStation[];
  platforms: ExistingPlatform[];
  trains: ExistingTrain[];
  patterns: ExistingPattern[];
  /** By pattern id: how many stops it has and their digest (route-stops-digest.ts), not the stops themselves. */
  stops: Map<string, ExistingStops>;
}

export interface ExistingStops {
  count: number;
  digest: string;
}

/** Station codes and train numbers the plan wants that rows of another feed (or hand-made ones) hold. */
export interface TakenKeys {
  /** code → the feed holding it, or null for a hand-made station. */
  stationCodes: Map<string, string | null>;
  trainNumbers: Map<string, string | null>;
}

// Rows to write: ids are chosen here so children can name new parents in the same batch.

export interface AgencyRow extends PlannedAgency {
  id: string;
}

export interface StationRow extends Omit<PlannedStation, 'line'> {
  id: string;
}

export interface PlatformRow extends Omit<PlannedPlatform, 'stationGtfsId'> {
  id: string;
  stationId: string;
}

export interface TrainRow extends Omit<ExistingTrain, 'agencyId'> {
  agencyId: string;
}

export interface PatternRow extends ExistingPattern {}

export interface StopRow extends ExistingStop {
  trainId: string;
  patternId: string;
}

export interface RowChanges<T> {
  insert: T[];
  update: T[];
  delete: string[];
}

/** The stops of one pattern to write (its old ones, if any, deleted first). */
export interface PatternStops {
  trainId: string;
  patternId: string;
  stops: readonly PlannedStop[];
}

/**
 * Stops to write, by pattern: kept as the plan's stops and turned into rows (stopRowsOf) only as
 * they are sent, so an import never holds a second copy of every stop.
 */
export interface StopChanges {
  /** Patterns whose stops are replaced (their old stops deleted). */
  replaceOf: string[];
  /** Every pattern whose stops are written: replaced ones and new patterns'. */
  write: PatternStops[];
  /** Stops in `write`. */
  count: number;
  /** Station row id of each stop_id. */
  stationIds: ReadonlyMap<string, string>;
}

export interface CatalogChanges {
  feed: { id: string; insert: boolean; touch: boolean; name: string; version: string | null; code: string };
  agencies: RowChanges<AgencyRow>;
  stations: RowChanges<StationRow>;
  platforms: RowChanges<PlatformRow>;
  trains: RowChanges<TrainRow>;
  patterns: RowChanges<PatternRow>;
  stops: StopChanges;
}

export interface TableCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

export const CATALOG_TABLES = ['agencies', 'stations', 'platforms', 'trains', 'patterns', 'routeStops'] as const;
export type CatalogTable = (typeof CATALOG_TABLES)[number];

export interface ImportReport {
  feed: string;
  /** False on the first import of a feed. */
  existed: boolean;
  /** What the feed holds, as imported. */
  imported: { agencies: number; stations: number; platforms: number; trains: number; patterns: number; routeStops: number };
  changes: Record<CatalogTable, TableCounts>;
  /** Stations the feed no longer lists but a train of another feed (or a hand-made one) still calls at: kept. */
  stationsKept: string[];
  warnings: GtfsProblem[];
  /** Nothing was written. */
  unchanged: boolean;
  dryRun: boolean;
}

/** What an import is doing, for a progress display. */
export type ImportProgress = ({ phase: 'read' } & GtfsTableProgress) | { phase: 'plan' } | { phase: 'write' };

export interface ImportOptions {
  /** Plan and compare, write nothing (the transaction is rolled back). */
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
}
