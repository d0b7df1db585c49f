import type { Schemas } from './api/client';

/**
 * How the page reads a stop's times, platform and data source: the API's per-stop
 * `arrival`/`departure` (`{ scheduled, expected, source }`) and `platforms` (`{ planned, current }`),
 * and a run's freshness (`realtime`, `lastDataAt`, `dataAgeSeconds`), in these few functions.
 */
export type TimeSource = 'realtime' | 'propagated' | 'scheduled';

export interface StopTime {
  scheduled: string;
  /** The actual time once it happened, else the expected one; null when only the timetable is known. */
  expected: string | null;
  /** realtime: reported by a source; propagated: carried on from an earlier stop's report; scheduled: the timetable's. */
  source: TimeSource;
}

export interface Platform {
  planned: string | null;
  current: string | null;
}

type TimelineStop = Schemas['TimelineStopDto'];
type BoardCall = Schemas['BoardCallDto'];
type LiveStatus = Schemas['LiveStatusDto'];
type ApiTime = NonNullable<TimelineStop['arrival']>;

const SOURCES: Record<NonNullable<ApiTime['source']>, TimeSource> = { REALTIME: 'realtime', PROPAGATED: 'propagated', SCHEDULE: 'scheduled' };

function timeOf(time: ApiTime | null | undefined, actual: string | null, recorded: boolean): StopTime | null {
  if (!time) return null;
  if (actual && recorded) return { scheduled: time.scheduled, expected: actual, source: 'realtime' };
  if (time.expected && time.source && time.source !== 'SCHEDULE') return { scheduled: time.scheduled, expected: time.expected, source: SOURCES[time.source] };
  return { scheduled: time.scheduled, expected: null, source: 'scheduled' };
}

/** A timeline stop's arrival and departure: recorded actual times, else the API's expected times and their source. */
export function timelineTimes(stop: TimelineStop): { arrival: StopTime | null; departure: StopTime | null } {
  const recorded = stop.actualTimes === 'RECORDED';
  return { arrival: timeOf(stop.arrival, stop.actualArrival, recorded), departure: timeOf(stop.departure, stop.actualDeparture, recorded) };
}

/** A board call's arrival and departure, as the API gives them with their source. */
export function boardTimes(call: BoardCall): { arrival: StopTime | null; departure: StopTime | null } {
  return { arrival: timeOf(call.arrival, null, false), departure: timeOf(call.departure, null, false) };
}

/** Planned (timetable) and current (live) platform. */
export function platformOf(platforms: Platform): Platform {
  return { planned: platforms.planned, current: platforms.current };
}

/** Whether a run has live data: false means timetable times only, not "on time". */
export const isRealtime = (run: Pick<LiveStatus, 'realtime'>): boolean => run.realtime;

/** Minutes since the source's latest data on the run, on the app's clock; null without any. */
export function dataAgeMinutes(run: Pick<LiveStatus, 'dataAgeSeconds'>): number | null {
  return run.dataAgeSeconds === null ? null : Math.floor(run.dataAgeSeconds / 60);
}

/**
 * A run that had live data and no longer has (the server says `realtime: false` once its data is
 * older than its limit) while it should be moving: the feed may have stopped.
 */
export function isStale(run: Pick<LiveStatus, 'realtime' | 'lastDataAt' | 'state'>): boolean {
  return !run.realtime && run.lastDataAt !== null && (run.state === 'RUNNING' || run.state === 'SCHEDULED');
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
