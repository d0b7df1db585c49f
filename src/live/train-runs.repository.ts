import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { RunState } from './run-state.js';

export interface RunRef {
  trainId: string;
  serviceDate: string;
}

const SELECT_STATE = `
  SELECT r.id, r.train_id, t.number AS train_number, to_char(r.service_date, 'YYYY-MM-DD') AS service_date, r.phase,
         r.delay_minutes, r.last_stop_sequence, r.departed_last_stop, r.platform, r.actuals, r.notified_delay,
         r.source, r.version, r.updated_at
  FROM train_runs r JOIN trains t ON t.id = r.train_id`;

type Row = Record<string, unknown>;

const toState = (row: Row): RunState => ({
  trainId: row.train_id as string,
  trainNumber: row.train_number as string,
  serviceDate: row.service_date as string,
  phase: row.phase as RunState['phase'],
  delayMinutes: row.delay_minutes as number,
  lastStopSequence: (row.last_stop_sequence as number | null) ?? null,
  departedLastStop: row.departed_last_stop as boolean,
  platform: (row.platform as string | null) ?? null,
  actuals: row.actuals as RunState['actuals'],
  notifiedDelay: row.notified_delay as number,
  source: row.source as RunState['source'],
  version: row.version as number,
  updatedAt: new Date(row.updated_at as string).toISOString(),
});

/** Run states in PostgreSQL; every write is one statement for all runs of a tick. */
@Injectable()
export class TrainRunsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findMany(refs: RunRef[]): Promise<RunState[]> {
    if (refs.length === 0) return [];
    const rows: Row[] = await this.dataSource.query(
      `${SELECT_STATE} JOIN unnest($1::uuid[], $2::date[]) AS wanted(train_id, service_date)
         ON wanted.train_id = r.train_id AND wanted.service_date = r.service_date`,
      [refs.map((ref) => ref.trainId), refs.map((ref) => ref.serviceDate)],
    );
    return rows.map(toState);
  }

  /**
   * Upserts the states, each only over an older version: if another writer (a second
   * instance after a lock expiry) got there first, that row is left alone. Returns the rows
   * written, with their run ids.
   */
  async saveNewer(states: RunState[], manager: EntityManager): Promise<Array<{ runId: string; state: RunState }>> {
    if (states.length === 0) return [];
    const column = <T>(pick: (state: RunState) => T) => states.map(pick);
    const rows: Row[] = await manager.query(
      `INSERT INTO train_runs (train_id, service_date, phase, delay_minutes, last_stop_sequence, departed_last_stop,
                               platform, actuals, notified_delay, source, version, updated_at)
       SELECT u.* FROM unnest($1::uuid[], $2::date[], $3::text[]::run_phase[], $4::int[], $5::smallint[], $6::boolean[],
                              $7::varchar[], $8::text[]::jsonb[], $9::int[], $10::varchar[], $11::int[], $12::timestamptz[])
         AS u(train_id, service_date, phase, delay_minutes, last_stop_sequence, departed_last_stop, platform, actuals,
              notified_delay, source, version, updated_at)
       -- A train deleted since its timetable was read is skipped rather than failing the batch.
       WHERE EXISTS (SELECT 1 FROM trains t WHERE t.id = u.train_id)
       ON CONFLICT ON CONSTRAINT uq_train_runs_train_date DO UPDATE SET
         phase = EXCLUDED.phase, delay_minutes = EXCLUDED.delay_minutes, last_stop_sequence = EXCLUDED.last_stop_sequence,
         departed_last_stop = EXCLUDED.departed_last_stop, platform = EXCLUDED.platform, actuals = EXCLUDED.actuals,
         notified_delay = EXCLUDED.notified_delay, source = EXCLUDED.source, version = EXCLUDED.version,
         updated_at = EXCLUDED.updated_at
       WHERE train_runs.version < EXCLUDED.version
       RETURNING id, train_id, to_char(service_date, 'YYYY-MM-DD') AS service_date`,
      [
        column((s) => s.trainId),
        column((s) => s.serviceDate),
        column((s) => s.phase),
        column((s) => s.delayMinutes),
        column((s) => s.lastStopSequence),
        column((s) => s.departedLastStop),
        column((s) => s.platform),
        column((s) => JSON.stringify(s.actuals)),
        column((s) => s.notifiedDelay),
        column((s) => s.source),
        column((s) => s.version),
        column((s) => s.updatedAt),
      ],
    );
    const byKey = new Map(states.map((state) => [`${state.trainId}:${state.serviceDate}`, state]));
    return rows.map((row) => ({ runId: row.id as string, state: byKey.get(`${row.train_id}:${row.service_date}`)! }));
  }

  /** Appends one history row per written state. */
  async appendHistory(written: Array<{ runId: string; state: RunState }>, manager: EntityManager): Promise<void> {
    if (written.length === 0) return;
    const column = <T>(pick: (state: RunState) => T) => written.map(({ state }) => pick(state));
    await manager.query(
      `INSERT INTO train_run_events (run_id, version, recorded_at, phase, delay_minutes, last_stop_sequence,
                                     departed_last_stop, platform, source)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::text[]::run_phase[], $5::int[], $6::smallint[],
                            $7::boolean[], $8::varchar[], $9::varchar[])
       ON CONFLICT ON CONSTRAINT uq_train_run_events_run_version DO NOTHING`,
      [
        written.map(({ runId }) => runId),
        column((s) => s.version),
        column((s) => s.updatedAt),
        column((s) => s.phase),
        column((s) => s.delayMinutes),
        column((s) => s.lastStopSequence),
        column((s) => s.departedLastStop),
        column((s) => s.platform),
        column((s) => s.source),
      ],
    );
  }
}
