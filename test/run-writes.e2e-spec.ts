import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { runKey, type RunState, scheduledState } from '../src/live/run-state.js';
import { TrainRunsRepository } from '../src/live/train-runs.repository.js';
import { testEnv, useTestApp } from './app.factory.js';
import { query } from './test-database.js';

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Run states of every demo train over `days` dates from `first`, each with `version`; one stop update's platform holds characters COPY must escape. */
function statesOf(trains: Array<{ id: string; number: string }>, first: string, days: number, version: number): RunState[] {
  return trains.flatMap(({ id, number }, trainIndex) =>
    Array.from({ length: days }, (_, day): RunState => ({
      ...scheduledState(id, number, addDays(first, day)),
      phase: 'RUNNING',
      delayMinutes: (trainIndex * 7 + day) % 120,
      lastStopSequence: 2,
      departedLastStop: day % 2 === 0,
      platform: day % 3 === 0 ? `P${day}` : null,
      stopUpdates: [{ sequence: 3, arrival: '2026-11-24T10:00:00.000Z', departure: null, relationship: 'SCHEDULED', platform: 'Tab\there, back\\slash,\nnew line "quoted"' }],
      actuals: [{ sequence: 2, arrivedAt: '2026-11-24T09:00:00.000Z', departedAt: day % 2 === 0 ? '2026-11-24T09:05:00.000Z' : null }],
      notifiedDelay: 5,
      source: 'PROVIDER',
      observedAt: '2026-11-24T09:06:00.000Z',
      version,
      updatedAt: `2026-11-24T09:06:${String(version).padStart(2, '0')}.000Z`,
    })),
  );
}

describe('writing many run states at once', () => {
  const api = useTestApp(testEnv('train_tracker_test_run_writes'));

  /** saveNewer in a transaction of its own, with the statements it sent through the manager (a COPY goes on the same connection, outside it). */
  const save = async (states: RunState[]) => {
    const statements: string[] = [];
    const written = await api.app.get(DataSource).transaction(async (manager: EntityManager) => {
      const send = manager.query.bind(manager);
      manager.query = ((text: string, parameters?: unknown[]) => (statements.push(text), send(text, parameters))) as EntityManager['query'];
      return api.app.get(TrainRunsRepository).saveNewer(states, manager);
    });
    return { written, statements };
  };

  it('streams more than a statement’s worth with COPY: each run written over an older version only, with one history row, in the same statements for 1,440 runs as for 2,880', async () => {
    const trains = await query<{ id: string; number: string }>(`SELECT id, number FROM trains ORDER BY number`);
    expect(trains.length).toBeGreaterThanOrEqual(24);
    // 60 dates of every train: 1,440 runs and more, in one write.
    const first = statesOf(trains, '2030-01-01', 60, 3);
    // Runs another writer has already taken to version 9: the write must leave them alone.
    const newerElsewhere = statesOf(trains.slice(0, 2), '2030-01-01', 5, 9);
    expect((await save(newerElsewhere)).written).toHaveLength(10);

    // A train deleted since its timetable was read is skipped, not a failed write.
    const gone: RunState = { ...first[0], trainId: randomUUID(), trainNumber: '00000' };
    const { written, statements } = await save([...first, gone]);
    const skipped = new Set(newerElsewhere.map((state) => runKey(state.trainId, state.serviceDate)));
    const expected = first.filter((state) => !skipped.has(runKey(state.trainId, state.serviceDate)));
    expect(new Set(written.map((state) => runKey(state.trainId, state.serviceDate)))).toEqual(new Set(expected.map((state) => runKey(state.trainId, state.serviceDate))));
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^CREATE TEMP TABLE run_writes/);

    // What was written reads back as it was given, escapes included; the others kept version 9.
    const stored = await api.app.get(TrainRunsRepository).findMany(first);
    const byKey = new Map(stored.map((state) => [runKey(state.trainId, state.serviceDate), state]));
    for (const state of expected) expect(byKey.get(runKey(state.trainId, state.serviceDate))).toEqual(state);
    for (const state of newerElsewhere) expect(byKey.get(runKey(state.trainId, state.serviceDate))).toEqual(state);

    const history = await query<{ version: number; runs: number }>(
      `SELECT e.version, count(*)::int AS runs FROM train_run_events e JOIN train_runs r ON r.id = e.run_id
       WHERE r.service_date >= '2030-01-01' GROUP BY e.version ORDER BY e.version`,
    );
    expect(history).toEqual([
      { version: 3, runs: expected.length },
      { version: 9, runs: 10 },
    ]);
    const [{ platform }] = await query<{ platform: string }>(
      `SELECT e.stop_updates->0->>'platform' AS platform FROM train_run_events e JOIN train_runs r ON r.id = e.run_id WHERE r.service_date = '2030-01-02' LIMIT 1`,
    );
    expect(platform).toBe('Tab\there, back\\slash,\nnew line "quoted"');

    // Twice as many runs (the same ones again, at version 4, and 60 more dates): the same two statements and a COPY.
    const second = [...statesOf(trains, '2030-01-01', 60, 4), ...statesOf(trains, '2030-03-02', 60, 4)];
    const again = await save(second);
    expect(again.written).toHaveLength(second.length - 10);
    expect(again.statements).toHaveLength(2);
  });

  it('writes a statement’s worth or less in one statement, history included', async () => {
    const trains = await query<{ id: string; number: string }>(`SELECT id, number FROM trains ORDER BY number LIMIT 5`);
    const states = statesOf(trains, '2031-01-01', 3, 1);
    const { written, statements } = await save(states);
    expect(written).toHaveLength(15);
    expect(statements).toHaveLength(1);
    const [{ events }] = await query<{ events: number }>(
      `SELECT count(*)::int AS events FROM train_run_events e JOIN train_runs r ON r.id = e.run_id WHERE r.service_date >= '2031-01-01'`,
    );
    expect(events).toBe(15);
  });
});
