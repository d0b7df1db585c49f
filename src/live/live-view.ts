import type { RouteStop } from '../routes/route-stop.entity.js';
import type { LiveStop, LiveView } from './live.model.js';
import type { RunState } from './run-state.js';
import { addMinutes, scheduledInstant } from '../trains/service-time.js';

/**
 * Derives expected times (timetable + current delay for every stop not yet left), the last
 * and next stop, and the position, interpolated between stations by time, at `now`. `route`
 * is the stop pattern the train runs on the state's service date; its times are in `timeZone`.
 */
export function liveView(state: RunState, route: RouteStop[], now: Date, timeZone: string): LiveView {
  const actuals = new Map(state.actuals.map((actual) => [actual.sequence, actual]));
  const last = state.lastStopSequence ?? 0;
  const stops = route.map((stop): LiveStop => {
    const scheduledArrival = stop.arrivalMinute === null ? null : scheduledInstant(state.serviceDate, stop.arrivalMinute, stop.arrivalDay!, timeZone);
    const scheduledDeparture = stop.departureMinute === null ? null : scheduledInstant(state.serviceDate, stop.departureMinute, stop.departureDay!, timeZone);
    const actual = actuals.get(stop.sequence);
    const reached = stop.sequence <= last;
    const left = hasLeft(state, stop.sequence);
    const delayed = (at: Date | null) => (at ? addMinutes(at, state.delayMinutes) : null);
    const cancelled = state.phase === 'CANCELLED';
    return {
      sequence: stop.sequence,
      stationCode: stop.station!.code,
      stationName: stop.station!.name,
      scheduledArrival,
      scheduledDeparture,
      actualArrival: actual?.arrivedAt ? new Date(actual.arrivedAt) : null,
      actualDeparture: actual?.departedAt ? new Date(actual.departedAt) : null,
      actualTimes: !reached ? 'PENDING' : actual ? 'RECORDED' : 'NO_DATA',
      expectedArrival: cancelled || reached ? null : delayed(scheduledArrival),
      expectedDeparture: cancelled || left ? null : delayed(scheduledDeparture),
      platform: stop.sequence === platformStopOf(state) && state.platform ? state.platform : stop.platform,
      status: cancelled ? 'CANCELLED' : left ? 'PASSED' : reached ? 'CURRENT' : 'UPCOMING',
    };
  });
  const lastStop = state.lastStopSequence ? stops[state.lastStopSequence - 1] ?? null : null;
  const nextStop = state.phase === 'CANCELLED' || state.phase === 'ARRIVED' ? null : stops.find((stop) => stop.status === 'UPCOMING') ?? null;
  return { state, stops, lastStop, nextStop, position: position(state, route, stops, now), realtime: state.version > 0, asOf: now };
}

/** Whether the train has left the stop with this sequence (a stop it stands at, it has not). */
export const hasLeft = (state: Pick<RunState, 'lastStopSequence' | 'departedLastStop'>, sequence: number): boolean => {
  const last = state.lastStopSequence ?? 0;
  return sequence < last || (sequence === last && state.departedLastStop);
};

/** The stop the reported platform belongs to: where the train stands, or where it goes next. */
export const platformStopOf = (state: Pick<RunState, 'lastStopSequence' | 'departedLastStop'>) =>
  state.lastStopSequence === null ? 1 : state.departedLastStop ? state.lastStopSequence + 1 : state.lastStopSequence;

function position(state: RunState, route: RouteStop[], stops: LiveStop[], now: Date): LiveView['position'] {
  const at = (index: number) => {
    const station = route[index]?.station;
    return station && station.latitude !== null && station.longitude !== null ? { latitude: station.latitude, longitude: station.longitude } : null;
  };
  if (state.phase === 'CANCELLED') return null;
  if (state.phase === 'SCHEDULED' || state.lastStopSequence === null) return at(0);
  if (state.phase === 'ARRIVED') return at(route.length - 1);
  const from = state.lastStopSequence - 1;
  if (!state.departedLastStop || from + 1 >= route.length) return at(from);
  const a = at(from);
  const b = at(from + 1);
  if (!a || !b) return a;
  const leftAt = (stops[from].actualDeparture ?? stops[from].scheduledDeparture)?.getTime() ?? now.getTime();
  const arriveAt = stops[from + 1].expectedArrival?.getTime() ?? leftAt;
  const fraction = arriveAt > leftAt ? Math.min(1, Math.max(0, (now.getTime() - leftAt) / (arriveAt - leftAt))) : 1;
  const round = (value: number) => Math.round(value * 1e5) / 1e5;
  return { latitude: round(a.latitude + (b.latitude - a.latitude) * fraction), longitude: round(a.longitude + (b.longitude - a.longitude) * fraction) };
}
