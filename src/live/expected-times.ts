import type { RouteStop } from '../routes/route-stop.entity.js';
import { scheduledInstant } from '../trains/service-time.js';
import type { StopUpdate } from './observed-run.js';
import type { RunState, StopActual } from './run-state.js';

/**
 * Where an expected time comes from: REALTIME (the source gave this stop's own time, or the
 * time it happened), PROPAGATED (carried from an earlier stop's prediction, or from the run's
 * one delay when its source reports no more than that), SCHEDULE (no live data reaches it: the
 * timetable's time).
 */
export const TIME_SOURCES = ['REALTIME', 'PROPAGATED', 'SCHEDULE'] as const;
export type TimeSource = (typeof TIME_SOURCES)[number];

/** A predicted instant and where it came from. */
export interface PredictedTime {
  scheduled: Date;
  predicted: Date;
  source: TimeSource;
}

/** What the live data predicts for one stop, before "already happened" is applied. */
export interface PredictedStop {
  sequence: number;
  /** Null where the stop has no such event (the origin's arrival, the destination's departure). */
  arrival: PredictedTime | null;
  departure: PredictedTime | null;
  skipped: boolean;
  /** The platform the source assigned, when it differs from the timetable's. */
  assignedPlatform: string | null;
}

const SECOND_MS = 1000;

const scheduledOf = (stop: RouteStop, serviceDate: string, timeZone: string) => ({
  arrival: stop.arrivalMinute === null ? null : scheduledInstant(serviceDate, stop.arrivalMinute, stop.arrivalDay!, timeZone),
  departure: stop.departureMinute === null ? null : scheduledInstant(serviceDate, stop.departureMinute, stop.departureDay!, timeZone),
});

/**
 * The predicted times of every stop of a run, from what its source said (GTFS-Realtime
 * TripUpdate rules):
 * - a stop with its own time has it (REALTIME); a stop given only one of arrival and departure
 *   gets the other from that one's delay (PROPAGATED), never departing before it arrives;
 * - the delay of the last stop with a prediction carries forward to later stops (PROPAGATED),
 *   through SKIPPED stops, until a stop with its own prediction, or a NO_DATA stop, after which
 *   stops have no prediction (SCHEDULE) until the next stop with one;
 * - stops before the first update have none (SCHEDULE: nothing propagates backwards);
 * - a source without per-stop updates (the simulator, an operator) gives one delay for the run,
 *   which every stop carries (PROPAGATED).
 * Pure, so the tracker (a feed's position) and every reader (timeline, board, alerts) agree.
 */
export function predictStops(
  route: readonly RouteStop[],
  serviceDate: string,
  timeZone: string,
  observed: { delayMinutes: number; stopUpdates: readonly StopUpdate[] },
): PredictedStop[] {
  const updates = new Map((observed.stopUpdates ?? []).map((update) => [update.sequence, update]));
  // Delay in ms carried to the next stop without a prediction of its own; null: none.
  let carried: number | null = updates.size === 0 ? observed.delayMinutes * 60 * SECOND_MS : null;
  const shifted = (scheduled: Date | null, delay: number | null): PredictedTime | null =>
    scheduled === null ? null : delay === null ? { scheduled, predicted: scheduled, source: 'SCHEDULE' } : { scheduled, predicted: new Date(scheduled.getTime() + delay), source: 'PROPAGATED' };
  return route.map((stop): PredictedStop => {
    const scheduled = scheduledOf(stop, serviceDate, timeZone);
    const update = updates.get(stop.sequence);
    const base = { sequence: stop.sequence, assignedPlatform: update?.platform ?? null };
    if (!update) return { ...base, arrival: shifted(scheduled.arrival, carried), departure: shifted(scheduled.departure, carried), skipped: false };
    if (update.relationship === 'SKIPPED') return { ...base, arrival: shifted(scheduled.arrival, carried), departure: shifted(scheduled.departure, carried), skipped: true };
    if (update.relationship === 'NO_DATA') {
      carried = null;
      return { ...base, arrival: shifted(scheduled.arrival, null), departure: shifted(scheduled.departure, null), skipped: false };
    }
    const own = (scheduledAt: Date | null, at: string | null): PredictedTime | null =>
      scheduledAt && at ? { scheduled: scheduledAt, predicted: new Date(at), source: 'REALTIME' } : null;
    const delayOf = (time: PredictedTime | null) => (time ? time.predicted.getTime() - time.scheduled.getTime() : null);
    let arrival = own(scheduled.arrival, update.arrival);
    let departure = own(scheduled.departure, update.departure);
    // One given, the other follows its delay; neither given, the carried delay (if any).
    if (!arrival) arrival = shifted(scheduled.arrival, delayOf(departure) ?? carried);
    if (!departure) departure = shifted(scheduled.departure, delayOf(arrival) ?? carried);
    if (arrival && departure && departure.predicted < arrival.predicted) {
      if (departure.source === 'REALTIME') arrival = { ...arrival, predicted: departure.predicted };
      else departure = { ...departure, predicted: arrival.predicted };
    }
    carried = delayOf(departure?.source === 'REALTIME' ? departure : null) ?? delayOf(arrival?.source === 'REALTIME' ? arrival : null) ?? carried;
    return { ...base, arrival, departure, skipped: false };
  });
}

/** An expected time as clients read it. */
export interface ExpectedTime {
  scheduled: Date;
  /**
   * When it is expected (or, once it happened, when it was observed to happen); null when the
   * stop is not served (skipped, run cancelled) or it happened without a recorded time.
   */
  expected: Date | null;
  /** Where `expected` came from; null exactly when `expected` is. */
  source: TimeSource | null;
}

/** Every expected time of one stop of a run, and its platform. */
export interface ExpectedStop {
  sequence: number;
  arrival: ExpectedTime | null;
  departure: ExpectedTime | null;
  skipped: boolean;
  platform: { planned: string | null; current: string | null };
}

/** The stop the run's one reported platform belongs to: where the train stands, or where it goes next. */
export const platformStopOf = (state: Pick<RunState, 'lastStopSequence' | 'departedLastStop'>) =>
  state.lastStopSequence === null ? 1 : state.departedLastStop ? state.lastStopSequence + 1 : state.lastStopSequence;

/**
 * The expected times of every stop of a run: the one place that answers "when is this run
 * expected at that stop, and how do we know" (timeline, board, status, notifications, alerts).
 * `live` is whether the run has live data now (reported on, and not gone quiet): without it,
 * every time still to come is the timetable's (SCHEDULE), never a guess that it is on time.
 * Times that have passed are the recorded ones (REALTIME), else unknown.
 */
export function expectedStops(state: RunState, route: readonly RouteStop[], timeZone: string, live: boolean): ExpectedStop[] {
  const predicted = predictStops(route, state.serviceDate, timeZone, state);
  const actuals = new Map<number, StopActual>(state.actuals.map((actual) => [actual.sequence, actual]));
  const last = state.lastStopSequence ?? 0;
  const cancelled = state.phase === 'CANCELLED';
  const platformStop = platformStopOf(state);
  return route.map((stop, index): ExpectedStop => {
    const prediction = predicted[index];
    const actual = actuals.get(stop.sequence);
    const reached = stop.sequence <= last;
    const left = stop.sequence < last || (stop.sequence === last && state.departedLastStop);
    const timeOf = (time: PredictedTime | null, happened: boolean, recorded: string | null | undefined): ExpectedTime | null => {
      if (!time) return null;
      const { scheduled } = time;
      if (happened) return recorded ? { scheduled, expected: new Date(recorded), source: 'REALTIME' } : { scheduled, expected: null, source: null };
      if (cancelled || prediction.skipped) return { scheduled, expected: null, source: null };
      if (!live) return { scheduled, expected: scheduled, source: 'SCHEDULE' };
      return { scheduled, expected: time.predicted, source: time.source };
    };
    const reported = stop.sequence === platformStop && state.platform ? state.platform : null;
    return {
      sequence: stop.sequence,
      arrival: timeOf(prediction.arrival, reached, actual?.arrivedAt),
      departure: timeOf(prediction.departure, left, actual?.departedAt),
      skipped: prediction.skipped,
      platform: { planned: stop.platform, current: prediction.assignedPlatform ?? reported ?? stop.platform },
    };
  });
}
