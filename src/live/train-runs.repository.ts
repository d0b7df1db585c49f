import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { batchesOf } from '../common/batches.js';
import { mapInSlices } from '../common/event-loop/slices.js';
import { OBSERVED_RUN_COLUMNS } from './observed-run.js';
import { type RunRef, runKey, type RunState } from './run-state.js';

type Row = Record<string, unknown>;

/** A column written for every run of a batch: its name, the cast of its array parameter, and how to read it off a state. */
interface BatchColumn {
  column: string;
  arrayCast: string;
  value: (state: RunState) => unknown;
}

const OBSERVED: BatchColumn[] = OBSERVED_RUN_COLUMNS.map(({ field, column, arrayCast, toParam }) => ({ column, arrayCast, value: (state) => toParam(state[field]) }));

/** train_runs, in the order of the batch insert: identity, what was observed, bookkeeping. */
const RUN_COLUMNS: BatchColumn[] = [
  { column: 'train_id', arrayCast: 'uuid[]', value: (s) => s.trainId },
  { column: 'service_date', arrayCast: 'date[]', value: (s) => s.serviceDate },
  ...OBSERVED,
  { column: 'actuals', arrayCast: 'text[]::jsonb[]', value: (s) => JSON.stringify(s.actuals) },
  { column: 'notified_delay', arrayCast: 'int[]', value: (s) => s.notifiedDelay },
  { column: 'source', arrayCast: 'varchar[]', value: (s) => s.source },
  { column: 'observed_at', arrayCast: 'timestamptz[]', value: (s) => s.observedAt ?? null },
  { column: 'version', arrayCast: 'int[]', value: (s) => s.version },
  { column: 'updated_at', arrayCast: 'timestamptz[]', value: (s) => s.updatedAt },
];

/** train_run_events after run_id: one history row per version. */
const EVENT_COLUMNS: BatchColumn[] = [
  { column: 'version', arrayCast: 'int[]', value: (s) => s.version },
  { column: 'recorded_at', arrayCast: 'timestamptz[]', value: (s) => s.updatedAt },
  ...OBSERVED,
  { column: 'source', arrayCast: 'varchar[]', value: (s) => s.source },
];

const names = (columns: BatchColumn[]) => columns.map(({ column }) => column).join(', ');
const unnestOf = (columns: BatchColumn[], first = 1) => columns.map(({ arrayCast }, index) => `$${first + index}::${arrayCast}`).join(', ');

/**
 * Runs written (or read) per statement. One statement for the 5,000 runs of a first tick on the
 * Indian catalog joined, sent and parsed its parameters and results in one go (~70 ms of event
 * loop on a loaded machine); batches of this size stay a few milliseconds each, in the same
 * transaction. A tick that writes up to this many runs (1% of 100,000) still sends one statement
 * per table; more cost one statement per batch: constant per 1,000 runs, not per tick.
 */
const ROWS_PER_STATEMENT = 1000;


/**
 * One array parameter per column, as PostgreSQL array literals written here in slices: given
 * JavaScript arrays, the driver writes them in one go inside query(), which held the event loop
 * ~100 ms for the 5,000 runs of a first tick on the Indian catalog.
 */
async function paramsOf<T>(columns: Array<(row: T) => unknown>, rows: T[]): Promise<string[]> {
  const elements = columns.map(() => new Array<string>(rows.length));
  await mapInSlices(rows, (row, index) => columns.forEach((value, column) => (elements[column][index] = arrayElement(value(row)))));
  return elements.map((column) => `{${column.join(',')}}`);
}

/** One element of an array literal: NULL, or the value's text quoted (valid for every element type). */
const arrayElement = (value: unknown) =>
  value === null || value === undefined ? 'NULL' : `"${String(value instanceof Date ? value.toISOString() : value).replace(/[\\"]/g, (c) => `\\${c}`)}"`;

const UPDATABLE = RUN_COLUMNS.filter(({ column }) => column !== 'train_id' && column !== 'service_date');

const SELECT_STATE = `
  SELECT r.id, r.train_id, t.number AS train_number, to_char(r.service_date, 'YYYY-MM-DD') AS service_date,
         ${OBSERVED_RUN_COLUMNS.map(({ column }) => `r.${column}`).join(', ')},
         r.actuals, r.notified_delay, r.source, r.observed_at, r.version, r.updated_at
  FROM train_runs r JOIN trains t ON t.id = r.train_id`;

const toState = (row: Row): RunState => ({
  trainId: row.train_id as string,
  trainNumber: row.train_number as string,
  serviceDate: row.service_date as string,
  ...(Object.fromEntries(OBSERVED_RUN_COLUMNS.map(({ field, column }) => [field, row[column] ?? null])) as Pick<RunState, (typeof OBSERVED_RUN_COLUMNS)[number]['field']>),
  actuals: row.actuals as RunState['actuals'],
  notifiedDelay: row.notified_delay as number,
  source: row.source as RunState['source'],
  observedAt: row.observed_at ? new Date(row.observed_at as string).toISOString() : null,
  version: row.version as number,
  updatedAt: new Date(row.updated_at as string).toISOString(),
});

/** Run states in PostgreSQL; every write is one statement for all runs of a tick. */
@Injectable()
export class TrainRunsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every run of a tick when the cache has none of them (5,000 on the Indian catalog): ROWS_PER_STATEMENT at a time. */
  async findMany(refs: RunRef[]): Promise<RunState[]> {
    const rows: Row[] = [];
    for (const batch of batchesOf(refs, ROWS_PER_STATEMENT)) {
      const found: Row[] = await this.dataSource.query(
        `${SELECT_STATE} JOIN unnest($1::uuid[], $2::date[]) AS wanted(train_id, service_date)
           ON wanted.train_id = r.train_id AND wanted.service_date = r.service_date`,
        [batch.map((ref) => ref.trainId), batch.map((ref) => ref.serviceDate)],
      );
      rows.push(...found);
    }
    return mapInSlices(rows, toState);
  }

  /**
   * Upserts the states, each only over an older version: if another writer (a second
   * instance after a lock expiry) got there first, that row is left alone. Returns the rows
   * written, with their run ids.
   */
  async saveNewer(states: RunState[], manager: EntityManager): Promise<Array<{ runId: string; state: RunState }>> {
    const saved: Array<{ runId: string; state: RunState }> = [];
    for (const batch of batchesOf(states, ROWS_PER_STATEMENT)) saved.push(...(await this.saveNewerBatch(batch, manager)));
    return saved;
  }

  private async saveNewerBatch(states: RunState[], manager: EntityManager): Promise<Array<{ runId: string; state: RunState }>> {
    const rows: Row[] = await manager.query(
      `INSERT INTO train_runs (${names(RUN_COLUMNS)})
       SELECT u.* FROM unnest(${unnestOf(RUN_COLUMNS)}) AS u(${names(RUN_COLUMNS)})
       -- A train deleted since its timetable was read is skipped rather than failing the batch.
       WHERE EXISTS (SELECT 1 FROM trains t WHERE t.id = u.train_id)
       ON CONFLICT ON CONSTRAINT uq_train_runs_train_date DO UPDATE SET
         ${UPDATABLE.map(({ column }) => `${column} = EXCLUDED.${column}`).join(', ')}
       WHERE train_runs.version < EXCLUDED.version
       RETURNING id, train_id, to_char(service_date, 'YYYY-MM-DD') AS service_date`,
      await paramsOf(RUN_COLUMNS.map(({ value }) => value), states),
    );
    const byKey = new Map(states.map((state) => [runKey(state.trainId, state.serviceDate), state]));
    return rows.map((row) => ({ runId: row.id as string, state: byKey.get(runKey(row.train_id as string, row.service_date as string))! }));
  }

  /** Appends one history row per written state. */
  async appendHistory(written: Array<{ runId: string; state: RunState }>, manager: EntityManager): Promise<void> {
    for (const batch of batchesOf(written, ROWS_PER_STATEMENT)) {
      await manager.query(
        `INSERT INTO train_run_events (run_id, ${names(EVENT_COLUMNS)})
         SELECT * FROM unnest($1::uuid[], ${unnestOf(EVENT_COLUMNS, 2)})
         ON CONFLICT ON CONSTRAINT uq_train_run_events_run_version DO NOTHING`,
        await paramsOf(
          [(row) => row.runId, ...EVENT_COLUMNS.map(({ value }) => (row: { state: RunState }) => value(row.state))],
          batch,
        ),
      );
    }
  }
}
