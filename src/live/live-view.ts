import type { RouteStop } from '../routes/route-stop.entity.js';
import { expectedStops } from './expected-times.js';
import type { LiveStop, LiveView } from './live.model.js';
import type { RunState } from './run-state.js';

/** How long a source's data on a run stays live (LIVE_DATA_STALE_AFTER_SECONDS). */
export interface Freshness {
  staleAfterMs: number;
}

export const DEFAULT_FRESHNESS: Freshness = { staleAfterMs: 300_000 };

/** The configured Freshness (LIVE_DATA_STALE_AFTER_SECONDS), provided by LiveModule. */
export const LIVE_FRESHNESS = Symbol('LIVE_FRESHNESS');

/**
 * Whether a run has live data at `now`: someone reported on it, and, when its source's data
 * ages (a feed), that data is not older than the limit. A finished run (arrived, cancelled)
 * keeps its last word: nothing more is expected of it.
 */
export function hasLiveData(state: Pick<RunState, 'version' | 'observedAt' | 'phase'>, now: Date, freshness: Freshness): boolean {
  if (state.version === 0) return false;
  if (!state.observedAt || state.phase === 'ARRIVED' || state.phase === 'CANCELLED') return true;
  return now.getTime() - Date.parse(state.observedAt) <= freshness.staleAfterMs;
}

/**
 * Derives expected times (expected-times.ts: per-stop predictions, or the run's delay, each
 * saying where it came from), the last and next stop, and the position, interpolated between
 * stations by time, at `now`. `route` is the stop pattern the train runs on the state's service
 * date; its times are in `timeZone`.
 */
export function liveView(state: RunState, route: RouteStop[], now: Date, timeZone: string, freshness: Freshness = DEFAULT_FRESHNESS): LiveView {
  const realtime = hasLiveData(state, now, freshness);
  const expected = expectedStops(state, route, timeZone, realtime);
  const last = state.lastStopSequence ?? 0;
  const actuals = new Map(state.actuals.map((actual) => [actual.sequence, actual]));
  const stops = route.map((stop, index): LiveStop => {
    const { arrival, departure, skipped, platform } = expected[index];
    const reached = stop.sequence <= last;
    const left = hasLeft(state, stop.sequence);
    const cancelled = state.phase === 'CANCELLED';
    const actual = actuals.get(stop.sequence);
    return {
      sequence: stop.sequence,
      stationCode: stop.station!.code,
      stationName: stop.station!.name,
      scheduledArrival: arrival?.scheduled ?? null,
      scheduledDeparture: departure?.scheduled ?? null,
      actualArrival: actual?.arrivedAt ? new Date(actual.arrivedAt) : null,
      actualDeparture: actual?.departedAt ? new Date(actual.departedAt) : null,
      actualTimes: !reached ? 'PENDING' : actual ? 'RECORDED' : 'NO_DATA',
      expectedArrival: reached ? null : (arrival?.expected ?? null),
      expectedDeparture: left ? null : (departure?.expected ?? null),
      platform: platform.current,
      status: cancelled ? 'CANCELLED' : skipped ? 'SKIPPED' : left ? 'PASSED' : reached ? 'CURRENT' : 'UPCOMING',
      arrival,
      departure,
      platforms: platform,
    };
  });
  const lastStop = state.lastStopSequence ? stops[state.lastStopSequence - 1] ?? null : null;
  const nextStop = state.phase === 'CANCELLED' || state.phase === 'ARRIVED' ? null : stops.find((stop) => stop.status === 'UPCOMING') ?? null;
  const lastDataAt = state.version === 0 ? null : new Date(state.observedAt ?? state.updatedAt);
  return {
    state,
    stops,
    lastStop,
    nextStop,
    position: position(state, route, stops, now),
    realtime,
    lastDataAt,
    dataAgeSeconds: lastDataAt ? Math.max(0, Math.floor((now.getTime() - lastDataAt.getTime()) / 1000)) : null,
    asOf: now,
  };
}

/** Whether the train has left the stop with this sequence (a stop it stands at, it has not). */
export const hasLeft = (state: Pick<RunState, 'lastStopSequence' | 'departedLastStop'>, sequence: number): boolean => {
  const last = state.lastStopSequence ?? 0;
  return sequence < last || (sequence === last && state.departedLastStop);
};

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
  // Heading for the next stop it calls at: skipped stops are passed through.
  let to = from + 1;
  while (to < stops.length - 1 && stops[to].status === 'SKIPPED') to++;
  const a = at(from);
  const b = at(to);
  if (!a || !b) return a;
  const leftAt = (stops[from].actualDeparture ?? stops[from].scheduledDeparture)?.getTime() ?? now.getTime();
  const arriveAt = stops[to].expectedArrival?.getTime() ?? leftAt;
  const fraction = arriveAt > leftAt ? Math.min(1, Math.max(0, (now.getTime() - leftAt) / (arriveAt - leftAt))) : 1;
  const round = (value: number) => Math.round(value * 1e5) / 1e5;
  return { latitude: round(a.latitude + (b.latitude - a.latitude) * fraction), longitude: round(a.longitude + (b.longitude - a.longitude) * fraction) };
}
