import { Column, getMetadataArgsStorage } from 'typeorm';
import { RUN_PHASES, type RunPhase } from './run-phase.js';

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
}

export type ObservedRunField = keyof ObservedRun;

/** One observed field: its property, its column and the PostgreSQL type of an array of it. */
export interface ObservedRunColumn {
  field: ObservedRunField;
  column: string;
  /** Cast of a parameter holding one value per run (enums travel as text[]: PGlite cannot send arrays of custom types). */
  arrayCast: string;
}

const toSnake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export const OBSERVED_RUN_COLUMNS: readonly ObservedRunColumn[] = getMetadataArgsStorage()
  .filterColumns(ObservedRun)
  .map(({ propertyName, options }) => ({
    field: propertyName as ObservedRunField,
    column: toSnake(propertyName),
    arrayCast: options.type === 'enum' ? `text[]::${options.enumName}[]` : `${String(options.type)}[]`,
  }));

export const OBSERVED_RUN_FIELDS: readonly ObservedRunField[] = OBSERVED_RUN_COLUMNS.map(({ field }) => field);

/** The observed part of a state (of anything that carries one). */
export const observedPart = (state: ObservedRun): ObservedRun =>
  Object.fromEntries(OBSERVED_RUN_FIELDS.map((field) => [field, state[field]])) as unknown as ObservedRun;

/** Whether two states observe the same thing; anything else (time passing) is not a change. */
export const sameObservedState = (a: ObservedRun, b: ObservedRun) => OBSERVED_RUN_FIELDS.every((field) => a[field] === b[field]);
