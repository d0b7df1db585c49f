import type { ObservedRun } from '../live/observed-run.js';
import type { RunRef } from '../live/run-state.js';

/** When a train reached and left one stop, as a source saw it. */
export interface ObservedStopTimes {
  sequence: number;
  arrivedAt: Date | null;
  departedAt: Date | null;
}

/**
 * The latest observed status of one run, as a source reports it. A GTFS-Realtime TripUpdate maps
 * onto it (trip → train and service date, stop_time_updates → stopUpdates, position and delay).
 */
export interface ObservedRunStatus extends RunRef, ObservedRun {
  trainNumber: string;
  /**
   * Times at stops already reached, where the source knows them (a simulator knows them all;
   * a feed may know only recent ones; an operator none). A reached stop without times is shown
   * as "no data", except the stop reached at this very observation, which is stamped now.
   */
  stopTimes: ObservedStopTimes[];
  /**
   * When the source produced this data (a feed's timestamp). Absent or null for a source whose
   * word does not age: the simulator derives every state from the clock, an operator's report
   * stands until replaced. Data older than LIVE_DATA_STALE_AFTER_SECONDS is "no live data".
   */
  observedAt?: Date | null;
}

/** Where live status comes from (STATUS_PROVIDER): the simulator by default, or an operator's GTFS-Realtime feed. */
export interface TrainStatusProvider {
  /** The latest status of every active run (running, or about to). */
  activeRuns(now: Date): Promise<ObservedRunStatus[]>;
}

export const TRAIN_STATUS_PROVIDER = Symbol('TRAIN_STATUS_PROVIDER');
