import { liveView } from '../../src/live/live-view.js';
import type { TrainLiveView } from '../../src/live/live.model.js';
import { type RunState, scheduledState } from '../../src/live/run-state.js';
import type { RouteStop } from '../../src/routes/route-stop.entity.js';
import { INDIAN_TIME_ZONE } from '../../src/trains/service-time.js';
import type { Train } from '../../src/trains/train.entity.js';
import { overnightRoute } from './route-stops.js';

export const OVERNIGHT_TRAIN = { id: 't1', number: '12951', name: 'Mumbai Rajdhani', timeZone: INDIAN_TIME_ZONE } as Train;

/** A run state of 12951 on 2026-11-24: by default unreported (version 0); anything else given is as reported. */
export const runState = (overrides: Partial<RunState> = {}): RunState => ({
  ...scheduledState(OVERNIGHT_TRAIN.id, OVERNIGHT_TRAIN.number, '2026-11-24'),
  ...(Object.keys(overrides).length > 0 && { phase: 'RUNNING', version: 1, updatedAt: '2026-11-24T16:30:00.000Z' }),
  ...overrides,
});

/** The live view of a run of the overnight route (AAA → BBB → CCC → DDD) at `now`, as LiveStatusService builds it. */
export function runView(state: RunState, now: Date, route: RouteStop[] = overnightRoute()): TrainLiveView {
  return { ...liveView(state, route, now, OVERNIGHT_TRAIN.timeZone), train: OVERNIGHT_TRAIN, route };
}
