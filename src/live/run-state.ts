/** Where a train run stands. */
export const RUN_PHASES = ['SCHEDULED', 'RUNNING', 'ARRIVED', 'CANCELLED'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

export type RunSource = 'PROVIDER' | 'OPERATOR';

/** Actual times at a stop the train has reached (ISO instants). */
export interface StopActual {
  sequence: number;
  arrivedAt: string | null;
  departedAt: string | null;
}

/**
 * The live state of one run (a train on one service date), as stored in PostgreSQL and cached
 * in Redis. Positions and expected times are derived from it and the timetable when read.
 */
export interface RunState {
  trainId: string;
  trainNumber: string;
  /** Date the train leaves its origin, YYYY-MM-DD (Indian time). */
  serviceDate: string;
  phase: RunPhase;
  delayMinutes: number;
  /** Last stop reached (arrived at or departed from); null before departure. */
  lastStopSequence: number | null;
  departedLastStop: boolean;
  /** Platform at the station the train is at or heading to, when known. */
  platform: string | null;
  actuals: StopActual[];
  /** Delay of the last delay notification, so small wobbles do not notify. */
  notifiedDelay: number;
  source: RunSource;
  /** Grows by one with every change; clients drop updates older than what they have. */
  version: number;
  updatedAt: string;
}

export const runKey = (trainId: string, serviceDate: string) => `${trainId}:${serviceDate}`;

/** The fields whose change is news; anything else (time passing) is not a change. */
export const sameObservedState = (
  a: Pick<RunState, 'phase' | 'delayMinutes' | 'lastStopSequence' | 'departedLastStop' | 'platform'>,
  b: Pick<RunState, 'phase' | 'delayMinutes' | 'lastStopSequence' | 'departedLastStop' | 'platform'>,
) =>
  a.phase === b.phase &&
  a.delayMinutes === b.delayMinutes &&
  a.lastStopSequence === b.lastStopSequence &&
  a.departedLastStop === b.departedLastStop &&
  a.platform === b.platform;
