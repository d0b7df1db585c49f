import type { RunState } from '../live/run-state.js';

/**
 * The latest observed status of one run, as a feed reports it. A GTFS-Realtime TripUpdates
 * feed maps onto it too (trip → train and service date, stop_time_update → last stop, delay).
 */
export interface ObservedRunStatus
  extends Pick<RunState, 'trainId' | 'trainNumber' | 'serviceDate' | 'phase' | 'delayMinutes' | 'lastStopSequence' | 'departedLastStop' | 'platform'> {
  /** When the train reached / left its last stop, if the feed knows. */
  lastArrivedAt: Date | null;
  lastDepartedAt: Date | null;
}

/** Where live status comes from: the simulator by default; real feeds later. */
export interface TrainStatusProvider {
  /** The latest status of every active run (running, or about to). */
  activeRuns(now: Date): Promise<ObservedRunStatus[]>;
}

export const TRAIN_STATUS_PROVIDER = Symbol('TRAIN_STATUS_PROVIDER');
