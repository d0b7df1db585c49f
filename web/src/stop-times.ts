import type { Schemas } from './api/client';

/**
 * How the page reads a stop's times, platform and data source. Kept in these few functions so
 * that when the API's stops carry `arrival`/`departure` as `{ scheduled, expected, source }` and
 * platforms as `{ planned, current }`, only this file changes; until then they are derived
 * from today's fields.
 */
export type TimeSource = 'realtime' | 'propagated' | 'scheduled';

export interface StopTime {
  scheduled: string;
  /** The actual time once it happened, else the expected one; null when only the timetable is known. */
  expected: string | null;
  /** realtime: reported by a source; propagated: expected from the run's delay; scheduled: the timetable's. */
  source: TimeSource;
}

export interface Platform {
  planned: string | null;
  current: string | null;
}

type TimelineStop = Schemas['TimelineStopDto'];
type BoardCall = Schemas['BoardCallDto'];
type LiveStatus = Schemas['LiveStatusDto'];

function timeOf(scheduled: string | null, actual: string | null, expected: string | null, recorded: boolean, realtime: boolean): StopTime | null {
  if (!scheduled) return null;
  if (actual && recorded) return { scheduled, expected: actual, source: 'realtime' };
  if (realtime && expected) return { scheduled, expected, source: 'propagated' };
  return { scheduled, expected: null, source: 'scheduled' };
}

/** A timeline stop's arrival and departure. */
export function timelineTimes(stop: TimelineStop, run: Pick<LiveStatus, 'realtime'>): { arrival: StopTime | null; departure: StopTime | null } {
  const recorded = stop.actualTimes === 'RECORDED';
  return {
    arrival: timeOf(stop.scheduledArrival, stop.actualArrival, stop.expectedArrival, recorded, run.realtime),
    departure: timeOf(stop.scheduledDeparture, stop.actualDeparture, stop.expectedDeparture, recorded, run.realtime),
  };
}

/** A board call's arrival and departure: expected times come from the run's live delay. */
export function boardTimes(call: BoardCall): { arrival: StopTime | null; departure: StopTime | null } {
  return {
    arrival: timeOf(call.scheduledArrival, null, call.expectedArrival, false, call.realtime),
    departure: timeOf(call.scheduledDeparture, null, call.expectedDeparture, false, call.realtime),
  };
}

/** Planned (timetable) and current (live) platform; the live one is null until a source says otherwise. */
export function platformOf(live: string | null, planned: string | null): Platform {
  return { planned, current: live };
}

/** Whether a run has live data: false means timetable times only, not "on time". */
export const isRealtime = (run: Pick<LiveStatus, 'realtime'>): boolean => run.realtime;

/** Minutes since the run's last report, on the app's clock (asOf); null without one. */
export function dataAgeMinutes(run: Pick<LiveStatus, 'updatedAt' | 'asOf'>): number | null {
  if (!run.updatedAt) return null;
  return Math.max(0, Math.floor((Date.parse(run.asOf) - Date.parse(run.updatedAt)) / 60_000));
}

/** A run on the line whose last report is older than this is shown as stale: the feed may have stopped. */
export const STALE_AFTER_MINUTES = 15;

export function isStale(run: Pick<LiveStatus, 'updatedAt' | 'asOf' | 'state' | 'realtime'>): boolean {
  const age = dataAgeMinutes(run);
  return run.realtime && run.state === 'RUNNING' && age !== null && age > STALE_AFTER_MINUTES;
}

/**
 * Where the train is between its last station and the next, 0 (just left) to 1 (arriving),
 * by time: from the departure from the last station to the expected arrival at the next.
 */
export function progressBetweenStations(run: Pick<LiveStatus, 'lastStation' | 'nextStation' | 'asOf'>): number | null {
  const left = run.lastStation?.departedAt;
  const arrives = run.nextStation?.expectedArrival;
  if (!left || !arrives) return null;
  const span = Date.parse(arrives) - Date.parse(left);
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, (Date.parse(run.asOf) - Date.parse(left)) / span));
}
