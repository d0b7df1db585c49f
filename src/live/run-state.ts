import type { ObservedRun } from './observed-run.js';
import type { RunSource } from './run-phase.js';

export { RUN_PHASES, RUN_SOURCES, type RunPhase, type RunSource } from './run-phase.js';

/** Actual times at a stop the train has reached (ISO instants). */
export interface StopActual {
  sequence: number;
  arrivedAt: string | null;
  departedAt: string | null;
}

/**
 * The live state of one run (a train on one service date), as stored in PostgreSQL and cached
 * in Redis: what was observed of it, plus bookkeeping. Positions and expected times are
 * derived from it and the timetable when read.
 */
export interface RunState extends ObservedRun {
  trainId: string;
  trainNumber: string;
  /** Date the train leaves its origin, YYYY-MM-DD (timetable time). */
  serviceDate: string;
  actuals: StopActual[];
  /** Delay of the last delay notification, so small wobbles do not notify. */
  notifiedDelay: number;
  source: RunSource;
  /**
   * When the source's latest data on this run was produced (a feed's timestamp), ISO; null for
   * a source whose word does not age (the simulator derives each state from the clock; an
   * operator's report stands until replaced). Data older than LIVE_DATA_STALE_AFTER_SECONDS is
   * "no live data".
   */
  observedAt: string | null;
  /** Grows by one with every change of this run; 0 = nothing observed yet. */
  version: number;
  updatedAt: string;
}

/** A run: a train on one service date. */
export interface RunRef {
  trainId: string;
  serviceDate: string;
}

export const runKey = (trainId: string, serviceDate: string) => `${trainId}:${serviceDate}`;

/** The state of a run nobody has reported on yet: scheduled, on time, version 0. */
export function scheduledState(trainId: string, trainNumber: string, serviceDate: string): RunState {
  return {
    trainId,
    trainNumber,
    serviceDate,
    phase: 'SCHEDULED',
    delayMinutes: 0,
    lastStopSequence: null,
    departedLastStop: false,
    platform: null,
    stopUpdates: [],
    actuals: [],
    notifiedDelay: 0,
    source: 'PROVIDER',
    observedAt: null,
    version: 0,
    updatedAt: new Date(0).toISOString(),
  };
}
