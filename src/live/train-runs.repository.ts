import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { batchesOf } from '../common/batches.js';
import { canCopyFromClient, type Column, copyRows } from '../database/copy-lines.js';
import { EventLoopSlices, mapInSlices } from '../common/event-loop/slices.js';
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

/** train_run_events after run_id, each from the train_runs column it records (a version's time is its updated_at). */
const EVENT_COLUMNS: Array<{ column: string; from: string }> = [
  { column: 'version', from: 'version' },
  { column: 'recorded_at', from: 'updated_at' },
  ...OBSERVED_RUN_COLUMNS.map(({ column }) => ({ column, from: column })),
  { column: 'source', from: 'source' },
];

const names = (columns: Array<{ column: string }>) => columns.map(({ column }) => column).join(', ');
const sources = EVENT_COLUMNS.map(({ from }) => from).join(', ');
const unnestOf = (columns: BatchColumn[], first = 1) => columns.map(({ arrayCast }, index) => `$${first + index}::${arrayCast}`).join(', ');

/**
 * Runs written (or read) per statement of array parameters. One statement for the 5,000 runs of
 * a first tick on the Indian catalog joined, sent and parsed its parameters and results in one
 * go (~70 ms of event loop on a loaded machine); batches of this size stay a few milliseconds
 * each. A write of more runs goes through COPY instead (saveNewer), whose rows are streamed.
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

/** The run columns as COPY writes them: every value as text, escaped (JSON may hold a backslash or a newline). */
const COPY_COLUMNS: Column<RunState>[] = RUN_COLUMNS.map(({ column, value }) => ({
  name: column,
  type: 'text',
  value: (state) => {
    const param = value(state);
    return param instanceof Date ? param.toISOString() : param;
  },
}));

/**
 * One statement that upserts the runs of `source` (a FROM item whose columns are RUN_COLUMNS,
 * aliased `written`), each only over an older version, appends a history row for each run it
 * wrote, and returns their (train, date). A train deleted since its timetable was read is
 * skipped rather than failing the write.
 */
const upsertFrom = (source: string) => `
  WITH saved AS (
    INSERT INTO train_runs (${names(RUN_COLUMNS)})
    SELECT ${names(RUN_COLUMNS)} FROM ${source}
    WHERE EXISTS (SELECT 1 FROM trains t WHERE t.id = written.train_id)
    ON CONFLICT ON CONSTRAINT uq_train_runs_train_date DO UPDATE SET
      ${UPDATABLE.map(({ column }) => `${column} = EXCLUDED.${column}`).join(', ')}
    WHERE train_runs.version < EXCLUDED.version
    RETURNING id, train_id, service_date, ${sources}
  ), history AS (
    INSERT INTO train_run_events (run_id, ${names(EVENT_COLUMNS)})
    SELECT id, ${sources} FROM saved
    ON CONFLICT ON CONSTRAINT uq_train_run_events_run_version DO NOTHING
  )
  SELECT train_id, to_char(service_date, 'YYYY-MM-DD') AS service_date FROM saved`;

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

/** Run states in PostgreSQL, with their history. */
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
   * Upserts the states, each only over an older version, with one history row per state
   * written: if another writer (a second instance after a lock expiry) got there first, that row
   * is left alone and gets no history. Returns the states written, in the order given. Up to ROWS_PER_STATEMENT
   * states are one statement; more are streamed with COPY into a table of this transaction's own
   * and written from there, so a tick of 100,000 changed runs sends as many statements as one of
   * ten (on the embedded database, which cannot COPY from the client, one statement per batch).
   * Called once per transaction (the COPY's table lives until its commit).
   */
  async saveNewer(states: RunState[], manager: EntityManager): Promise<RunState[]> {
    if (states.length > ROWS_PER_STATEMENT && canCopyFromClient(manager)) {
      await manager.query(`CREATE TEMP TABLE run_writes ON COMMIT DROP AS SELECT ${names(RUN_COLUMNS)} FROM train_runs WITH NO DATA`);
      await copyRows('run_writes', COPY_COLUMNS, states, manager);
      return this.written(states, await manager.query(upsertFrom('run_writes AS written')));
    }
    const saved: RunState[] = [];
    for (const batch of batchesOf(states, ROWS_PER_STATEMENT)) {
      const rows: Row[] = await manager.query(
        upsertFrom(`unnest(${unnestOf(RUN_COLUMNS)}) AS written(${names(RUN_COLUMNS)})`),
        await paramsOf(RUN_COLUMNS.map(({ value }) => value), batch),
      );
      saved.push(...(await this.written(batch, rows)));
    }
    return saved;
  }

  /**
   * The states PostgreSQL wrote (from the (train, date) of the rows it returned), in the order
   * given: the caller can pair them with its own list without a lookup. In slices (a tick may
   * write 100,000).
   */
  private async written(states: RunState[], rows: Row[]): Promise<RunState[]> {
    const slices = new EventLoopSlices();
    const indexOf = new Map<string, number>();
    await mapInSlices(states, (state, index) => indexOf.set(runKey(state.trainId, state.serviceDate), index), slices);
    const saved = new Uint8Array(states.length);
    await mapInSlices(rows, (row) => (saved[indexOf.get(runKey(row.train_id as string, row.service_date as string))!] = 1), slices);
    const written: RunState[] = [];
    for (let index = 0; index < states.length; index++) {
      if (slices.due()) await slices.next();
      if (saved[index] === 1) written.push(states[index]);
    }
    return written;
  }
}
