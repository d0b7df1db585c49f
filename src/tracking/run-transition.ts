import type { RunSource, RunState, StopActual } from '../live/run-state.js';
import { sameObservedState } from '../live/run-state.js';
import { scheduledState } from '../live/live-view.js';
import type { ObservedRunStatus } from './train-status-provider.js';

export interface Transition {
  /** The state before: the stored one, or "scheduled, on time" for a run never reported. */
  previous: RunState;
  next: RunState;
}

/**
 * The next state of a run after an observation, or null when nothing news-worthy changed
 * (time passing alone is no change). A run never reported before starts from "scheduled, on
 * time", so a run observed exactly so causes no write either.
 */
export function advance(previous: RunState | undefined, observed: ObservedRunStatus, source: RunSource, now: Date): Transition | null {
  const base = previous ?? scheduledState(observed.trainId, observed.trainNumber, observed.serviceDate);
  const next: RunState = {
    ...base,
    phase: observed.phase,
    delayMinutes: observed.delayMinutes,
    lastStopSequence: observed.lastStopSequence,
    departedLastStop: observed.departedLastStop,
    platform: observed.platform,
  };
  if (sameObservedState(base, next) && (base.source === source || !previous)) return null;
  return {
    previous: base,
    next: { ...next, actuals: updateActuals(base, observed, now), source, version: base.version + 1, updatedAt: now.toISOString() },
  };
}

/** Records when the train reached and left its last stop. */
function updateActuals(base: RunState, observed: ObservedRunStatus, now: Date): StopActual[] {
  const sequence = observed.lastStopSequence;
  if (sequence === null) return base.actuals;
  const current = base.actuals.find((actual) => actual.sequence === sequence);
  const reachedNow = !current;
  const arrivedAt = current?.arrivedAt ?? (sequence === 1 ? null : (observed.lastArrivedAt ?? (reachedNow ? now : null))?.toISOString() ?? null);
  const departedAt = observed.departedLastStop ? (current?.departedAt ?? (observed.lastDepartedAt ?? now).toISOString()) : null;
  if (current && current.arrivedAt === arrivedAt && current.departedAt === departedAt) return base.actuals;
  const others = base.actuals.filter((actual) => actual.sequence !== sequence);
  return [...others, { sequence, arrivedAt, departedAt }].sort((a, b) => a.sequence - b.sequence);
}
