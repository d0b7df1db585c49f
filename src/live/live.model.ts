import type { RouteStop } from '../routes/route-stop.entity.js';
import type { Train } from '../trains/train.entity.js';
import type { ExpectedStop, ExpectedTime } from './expected-times.js';
import type { RunState } from './run-state.js';

/**
 * What is known of a stop's actual times: RECORDED (the times given were observed), NO_DATA
 * (the train has passed, but its source gave no times) or PENDING (not reached yet).
 */
export const ACTUAL_TIMES = ['RECORDED', 'NO_DATA', 'PENDING'] as const;
export type ActualTimes = (typeof ACTUAL_TIMES)[number];

export const LIVE_STOP_STATUSES = ['PASSED', 'CURRENT', 'UPCOMING', 'SKIPPED', 'CANCELLED'] as const;
/** PASSED (left), CURRENT (at the station now), UPCOMING, SKIPPED (the source says the train will not or did not call), or CANCELLED with the run. */
export type LiveStopStatus = (typeof LIVE_STOP_STATUSES)[number];

export interface LiveStop {
  sequence: number;
  stationCode: string;
  stationName: string;
  scheduledArrival: Date | null;
  scheduledDeparture: Date | null;
  actualArrival: Date | null;
  actualDeparture: Date | null;
  actualTimes: ActualTimes;
  /** The expected time for events still to come (null once reached / left, skipped or cancelled). */
  expectedArrival: Date | null;
  expectedDeparture: Date | null;
  /** The current platform (platforms.current). */
  platform: string | null;
  status: LiveStopStatus;
  /** Scheduled, expected and where the expected time comes from; null where the stop has no such event. */
  arrival: ExpectedTime | null;
  departure: ExpectedTime | null;
  platforms: ExpectedStop['platform'];
}

/** A run as clients see it at `asOf`: the stored state plus what follows from it and the timetable. */
export interface LiveView {
  state: RunState;
  stops: LiveStop[];
  lastStop: LiveStop | null;
  nextStop: LiveStop | null;
  position: { latitude: number; longitude: number } | null;
  /**
   * Whether the run has live data now: a source has reported on it, and (for a source whose data
   * ages, a feed) its latest data is not older than the freshness limit. False: timetable only.
   */
  realtime: boolean;
  /** When the source's latest data on the run was produced (a feed's timestamp; else the last change); null when nothing was reported. */
  lastDataAt: Date | null;
  /** Seconds from lastDataAt to asOf; null when nothing was reported. */
  dataAgeSeconds: number | null;
  /** The instant (app clock) the view was computed for. */
  asOf: Date;
}

export interface TrainLiveView extends LiveView {
  train: Train;
  /** The stop pattern the train runs on this service date (stations attached). */
  route: RouteStop[];
}

/** One train's call at a station, on a board. */
export interface BoardCall {
  view: TrainLiveView;
  stop: LiveStop;
  origin: RouteStop;
  destination: RouteStop;
}

export interface StationBoard {
  station: { code: string; name: string };
  from: Date;
  to: Date;
  calls: BoardCall[];
}

/** The service dates a train runs on within the served window, and the one served by default. */
export interface RunDates {
  train: Train;
  current: string | null;
  serviceDates: string[];
}
