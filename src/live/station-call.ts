import type { LiveStop, TrainLiveView } from './live.model.js';

/**
 * Where a run stands with respect to one station: still to come (EXPECTED), standing there
 * (AT_STATION), gone (PASSED), not calling there because the run is cancelled (CANCELLED) or
 * because this stop is skipped (SKIPPED).
 */
export const STATION_CALL_STATUSES = ['EXPECTED', 'AT_STATION', 'PASSED', 'CANCELLED', 'SKIPPED'] as const;
export type StationCallStatus = (typeof STATION_CALL_STATUSES)[number];

/**
 * A run's call at one station, as a rider with that station sees it: the one answer to "when is
 * run R expected at station S" (rider alerts, favorites). It is read off the live view's stop,
 * which is where per-stop expected times are computed; when per-stop predictions replace the
 * run-wide delay, they change there and reach this through the stop.
 */
export interface StationCall {
  stop: LiveStop;
  status: StationCallStatus;
  /** Null where the run has no arrival here (its origin), or has already arrived. */
  expectedArrival: Date | null;
  /** Null where the run has no departure here (its destination), or has already left. */
  expectedDeparture: Date | null;
  /** Minutes late at this station (negative: early), expected against timetable. */
  delayMinutes: number;
  /** The platform as the rider should read it: reported when known, else the timetable's. */
  platform: string | null;
  /** The timetable's platform, to tell a changed platform from the planned one. */
  scheduledPlatform: string | null;
  /** False when no source has reported on the run: every time here is the timetable's. */
  realtime: boolean;
}

const STATUS_OF: Record<LiveStop['status'], StationCallStatus> = { UPCOMING: 'EXPECTED', CURRENT: 'AT_STATION', PASSED: 'PASSED', CANCELLED: 'CANCELLED', SKIPPED: 'SKIPPED' };

/**
 * Where a run nobody has reported on stands at a stop: by the timetable, at the view's instant.
 * Its live view keeps it at its origin, which is right for the run (nothing is known), but a rider
 * waiting at a station the timetable says it has passed is not told it is still to come.
 */
function byTimetable(stop: LiveStop, now: Date): StationCallStatus {
  if (stop.status === 'CANCELLED') return 'CANCELLED';
  const arrival = stop.scheduledArrival;
  const departure = stop.scheduledDeparture;
  if ((departure ?? arrival)! <= now) return 'PASSED';
  return arrival && arrival <= now ? 'AT_STATION' : 'EXPECTED';
}

const minutesBetween = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 60_000);

/**
 * The run's call at `stationCode`, or null when the station is not on the stop pattern the run
 * takes that day. A station a route passes twice is taken at its first call still to come.
 *
 * A run no source has reported on (`realtime: false`) is placed by its timetable: passed once its
 * timetable time there is over. A stop a realtime feed marks SKIPPED is SKIPPED here, and rider
 * alerts tell the rider the train will not stop there.
 */
export function callAt(view: TrainLiveView, stationCode: string): StationCall | null {
  const index = view.stops.findIndex((stop) => stop.stationCode === stationCode && stop.status !== 'PASSED');
  const at = index >= 0 ? index : view.stops.findIndex((stop) => stop.stationCode === stationCode);
  if (at < 0) return null;
  const stop = view.stops[at];
  const delayMinutes =
    stop.expectedArrival && stop.scheduledArrival
      ? minutesBetween(stop.scheduledArrival, stop.expectedArrival)
      : stop.expectedDeparture && stop.scheduledDeparture
        ? minutesBetween(stop.scheduledDeparture, stop.expectedDeparture)
        : view.state.delayMinutes;
  const status = view.realtime ? STATUS_OF[stop.status] : byTimetable(stop, view.asOf);
  return {
    stop,
    status,
    expectedArrival: status === 'EXPECTED' ? stop.expectedArrival : null,
    expectedDeparture: status === 'EXPECTED' || status === 'AT_STATION' ? stop.expectedDeparture : null,
    delayMinutes,
    platform: stop.platform,
    scheduledPlatform: view.route[at]?.platform ?? null,
    realtime: view.realtime,
  };
}
