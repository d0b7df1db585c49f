import { Column, getMetadataArgsStorage } from 'typeorm';
import { RUN_PHASES, type RunPhase } from './run-phase.js';

/** How a source says a stop is served: as planned, not at all (SKIPPED), or unknown (NO_DATA: nothing is propagated past it). */
export const STOP_RELATIONSHIPS = ['SCHEDULED', 'SKIPPED', 'NO_DATA'] as const;
export type StopRelationship = (typeof STOP_RELATIONSHIPS)[number];

/**
 * What a source said of one stop of a run, as it said it (a GTFS-Realtime stop_time_update):
 * nothing is propagated here; expected times follow from these when read (expected-times.ts).
 */
export interface StopUpdate {
  /** The stop's sequence in the run's pattern (1..n). */
  sequence: number;
  /** Predicted instants (ISO 8601), where the source gave them. */
  arrival: string | null;
  departure: string | null;
  relationship: StopRelationship;
  /** The platform the source assigned when it differs from the timetable's; null otherwise. */
  platform: string | null;
}

/**
 * What a source observes of a run, and what makes a change news: defined once, here. The
 * class is embedded in `train_runs` (current state) and `train_run_events` (history); the
 * field list that change detection compares and the SQL column lists of the run repository are
 * read off these decorators. Adding a field means a property here plus a migration.
 */
export class ObservedRun {
  @Column({ type: 'enum', enum: RUN_PHASES, enumName: 'run_phase' })
  phase: RunPhase;

  /** Minutes late (negative: early). */
  @Column({ type: 'integer' })
  delayMinutes: number;

  /** Last stop reached (arrived at or departed from); null before departure. */
  @Column({ type: 'smallint', nullable: true })
  lastStopSequence: number | null;

  @Column({ type: 'boolean' })
  departedLastStop: boolean;

  /** Platform at the station the train is at or heading to, when known. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  platform: string | null;

  /**
   * Per-stop predictions of a source that gives them (a GTFS-Realtime feed), in stop order; empty
   * for a source that reports one delay for the run (the simulator, an operator).
   */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  stopUpdates: StopUpdate[];
}

export type ObservedRunField = keyof ObservedRun;

/** One observed field: its property, its column and the PostgreSQL type of an array of it. */
export interface ObservedRunColumn {
  field: ObservedRunField;
  column: string;
  /** Cast of a parameter holding one value per run (enums travel as text[]: PGlite cannot send arrays of custom types; JSON as text[]). */
  arrayCast: string;
  /** The field's value as a query parameter. */
  toParam: (value: unknown) => unknown;
  /** Whether two values observe the same thing (JSON fields by content). */
  same: (a: unknown, b: unknown) => boolean;
}

const toSnake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * JSON with object keys sorted: PostgreSQL's jsonb gives keys back in its own order (shorter
 * first), so a state read from the database must compare equal to the same state built by a source.
 */
const canonicalJson = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonicalJson).join(',')}]`
    : value !== null && typeof value === 'object'
      ? `{${Object.keys(value)
          .sort()
          .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
          .join(',')}}`
      : JSON.stringify(value ?? null);

export const OBSERVED_RUN_COLUMNS: readonly ObservedRunColumn[] = getMetadataArgsStorage()
  .filterColumns(ObservedRun)
  .map(({ propertyName, options }) => {
    const json = options.type === 'jsonb';
    return {
      field: propertyName as ObservedRunField,
      column: toSnake(propertyName),
      arrayCast: options.type === 'enum' ? `text[]::${options.enumName}[]` : json ? 'text[]::jsonb[]' : `${String(options.type)}[]`,
      toParam: json ? (value: unknown) => JSON.stringify(value ?? []) : (value: unknown) => value,
      // A state cached before a JSON field existed lacks it: the same as empty.
      same: json ? (a: unknown, b: unknown) => canonicalJson(a ?? []) === canonicalJson(b ?? []) : (a: unknown, b: unknown) => a === b,
    };
  });

export const OBSERVED_RUN_FIELDS: readonly ObservedRunField[] = OBSERVED_RUN_COLUMNS.map(({ field }) => field);

/** The observed part of a state (of anything that carries one). */
export const observedPart = (state: ObservedRun): ObservedRun =>
  Object.fromEntries(OBSERVED_RUN_FIELDS.map((field) => [field, state[field]])) as unknown as ObservedRun;

/** Whether two states observe the same thing; anything else (time passing) is not a change. */
export const sameObservedState = (a: ObservedRun, b: ObservedRun) => OBSERVED_RUN_COLUMNS.every(({ field, same }) => same(a[field], b[field]));
