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

/*
 * The functions below run for every stop of every run a tick changes (100,000 runs: millions of
 * stops), so they build each result object once, as a literal, with no per-stop closures or
 * spreads: those were most of a tick's CPU and garbage.
 */

const scheduledTime = (minute: number | null, day: number | null, serviceDate: string, timeZone: string): Date | null =>
  minute === null ? null : scheduledInstant(serviceDate, minute, day!, timeZone);

/** The scheduled time moved by `delay` ms (PROPAGATED), or as it is when there is no delay to carry (SCHEDULE). */
const shifted = (scheduled: Date | null, delay: number | null): PredictedTime | null =>
  scheduled === null ? null : delay === null ? { scheduled, predicted: scheduled, source: 'SCHEDULE' } : { scheduled, predicted: new Date(scheduled.getTime() + delay), source: 'PROPAGATED' };

/** A stop's own time from its source (REALTIME). */
const own = (scheduled: Date | null, at: string | null): PredictedTime | null => (scheduled && at ? { scheduled, predicted: new Date(at), source: 'REALTIME' } : null);

const delayOf = (time: PredictedTime | null): number | null => (time ? time.predicted.getTime() - time.scheduled.getTime() : null);

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
  const stopUpdates = observed.stopUpdates ?? [];
  const updates = stopUpdates.length === 0 ? null : new Map(stopUpdates.map((update) => [update.sequence, update]));
  // Delay in ms carried to the next stop without a prediction of its own; null: none.
  let carried: number | null = updates === null ? observed.delayMinutes * 60 * SECOND_MS : null;
  const predicted = new Array<PredictedStop>(route.length);
  for (let index = 0; index < route.length; index++) {
    const stop = route[index];
    const scheduledArrival = scheduledTime(stop.arrivalMinute, stop.arrivalDay, serviceDate, timeZone);
    const scheduledDeparture = scheduledTime(stop.departureMinute, stop.departureDay, serviceDate, timeZone);
    const update = updates?.get(stop.sequence);
    if (update === undefined || update.relationship === 'SKIPPED' || update.relationship === 'NO_DATA') {
      if (update?.relationship === 'NO_DATA') carried = null;
      predicted[index] = {
        sequence: stop.sequence,
        assignedPlatform: update?.platform ?? null,
        arrival: shifted(scheduledArrival, carried),
        departure: shifted(scheduledDeparture, carried),
        skipped: update?.relationship === 'SKIPPED',
      };
      continue;
    }
    let arrival = own(scheduledArrival, update.arrival);
    let departure = own(scheduledDeparture, update.departure);
    // One given, the other follows its delay; neither given, the carried delay (if any).
    if (!arrival) arrival = shifted(scheduledArrival, delayOf(departure) ?? carried);
    if (!departure) departure = shifted(scheduledDeparture, delayOf(arrival) ?? carried);
    if (arrival && departure && departure.predicted < arrival.predicted) {
      if (departure.source === 'REALTIME') arrival = { scheduled: arrival.scheduled, predicted: departure.predicted, source: arrival.source };
      else departure = { scheduled: departure.scheduled, predicted: arrival.predicted, source: departure.source };
    }
    carried = delayOf(departure?.source === 'REALTIME' ? departure : null) ?? delayOf(arrival?.source === 'REALTIME' ? arrival : null) ?? carried;
    predicted[index] = { sequence: stop.sequence, assignedPlatform: update.platform ?? null, arrival, departure, skipped: false };
  }
  return predicted;
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
  const actuals = state.actuals.length === 0 ? null : new Map<number, StopActual>(state.actuals.map((actual) => [actual.sequence, actual]));
  const last = state.lastStopSequence ?? 0;
  const cancelled = state.phase === 'CANCELLED';
  const platformStop = platformStopOf(state);
  const expected = new Array<ExpectedStop>(route.length);
  for (let index = 0; index < route.length; index++) {
    const stop = route[index];
    const prediction = predicted[index];
    const actual = actuals?.get(stop.sequence);
    const reached = stop.sequence <= last;
    const left = stop.sequence < last || (stop.sequence === last && state.departedLastStop);
    const notServed = cancelled || prediction.skipped;
    const reported = stop.sequence === platformStop && state.platform ? state.platform : null;
    expected[index] = {
      sequence: stop.sequence,
      arrival: expectedTime(prediction.arrival, reached, actual?.arrivedAt, notServed, live),
      departure: expectedTime(prediction.departure, left, actual?.departedAt, notServed, live),
      skipped: prediction.skipped,
      platform: { planned: stop.platform, current: prediction.assignedPlatform ?? reported ?? stop.platform },
    };
  }
  return expected;
}

/** One expected time of a stop: recorded once it happened, none when not served, else the prediction (the timetable's without live data). */
function expectedTime(time: PredictedTime | null, happened: boolean, recorded: string | null | undefined, notServed: boolean, live: boolean): ExpectedTime | null {
  if (!time) return null;
  const { scheduled } = time;
  if (happened) return recorded ? { scheduled, expected: new Date(recorded), source: 'REALTIME' } : { scheduled, expected: null, source: null };
  if (notServed) return { scheduled, expected: null, source: null };
  if (!live) return { scheduled, expected: scheduled, source: 'SCHEDULE' };
  return { scheduled, expected: time.predicted, source: time.source };
}
