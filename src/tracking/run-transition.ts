import { DEFAULT_FRESHNESS, type Freshness, hasLiveData } from '../live/live-view.js';
import { observedPart, sameObservedState } from '../live/observed-run.js';
import { type RunSource, type RunState, scheduledState, type StopActual } from '../live/run-state.js';
import type { ObservedRunStatus } from './train-status-provider.js';

export interface Transition {
  /** The state before: the stored one, or "scheduled, on time" for a run never reported. */
  previous: RunState;
  next: RunState;
}

/**
 * How far a run has got: 0 before departure, then two steps per stop (reached, left). Only
 * meaningful between two runs that are not cancelled.
 */
function progress(state: Pick<RunState, 'phase' | 'lastStopSequence' | 'departedLastStop'>): number {
  if (state.phase === 'ARRIVED') return Number.POSITIVE_INFINITY;
  if (state.lastStopSequence === null) return 0;
  return state.lastStopSequence * 2 - (state.departedLastStop ? 0 : 1);
}

/**
 * Whether an observation would move a run backwards: back to an earlier stop, back to standing
 * at a station it had left, or out of ARRIVED. A provider that does so is behind (a simulator
 * restarted at an earlier simulated time, a feed replaying old data), so it is ignored; only an
 * operator may correct a run backwards. Cancelling and restoring are not movement.
 */
export function movesBackwards(previous: RunState, observed: ObservedRunStatus): boolean {
  if (previous.phase === 'CANCELLED' || observed.phase === 'CANCELLED') return false;
  return progress(observed) < progress(previous);
}

/**
 * The next state of a run after an observation, or null when there is nothing to record:
 * nothing news-worthy changed (time passing alone is no change), or a provider's observation
 * is behind what is stored. The first observation of a run is always recorded, even "scheduled,
 * on time": from then on the run is known to have live data (version ≥ 1).
 *
 * For a source whose data ages (a feed: `observedAt`), three more rules:
 * - data older than what is stored is a replay: ignored;
 * - newer data that puts the train behind where it was is a revised prediction, not a replay:
 *   its times are taken, the position stays (a run never goes backwards);
 * - unchanged data is still recorded when it has moved on by a quarter of the freshness limit
 *   (so a quiet but current feed never looks stale), and once more when the run's data goes stale
 *   (so followers hear that it has no live data any more). Both bound the writes: one per
 *   quarter limit per run at most.
 */
export function advance(previous: RunState | undefined, observed: ObservedRunStatus, source: RunSource, now: Date, freshness: Freshness = DEFAULT_FRESHNESS): Transition | null {
  const base = previous ?? scheduledState(observed.trainId, observed.trainNumber, observed.serviceDate);
  const observedAt = observed.observedAt ? observed.observedAt.toISOString() : null;
  let taken: ObservedRunStatus = observed;
  if (previous) {
    const newer = source === 'PROVIDER' && observedAt !== null && previous.observedAt !== null && previous.observedAt !== undefined;
    if (newer && observedAt < previous.observedAt!) return null;
    if (source === 'PROVIDER' && movesBackwards(previous, observed)) {
      if (!newer || observedAt === previous.observedAt) return null;
      taken = { ...observed, phase: previous.phase, lastStopSequence: previous.lastStopSequence, departedLastStop: previous.departedLastStop, stopTimes: [] };
    }
    if (sameObservedState(previous, taken) && previous.source === source && !freshnessNews(previous, observedAt, now, freshness)) return null;
  }
  return {
    previous: base,
    next: {
      ...base,
      ...observedPart(taken),
      actuals: updateActuals(base, taken, now),
      source,
      observedAt,
      version: base.version + 1,
      updatedAt: now.toISOString(),
    },
  };
}

/**
 * Whether unchanged data is worth recording for its age alone: it moved on by a quarter of the
 * freshness limit since the stored data, or the stored data has gone stale since it was written.
 */
function freshnessNews(previous: RunState, observedAt: string | null, now: Date, freshness: Freshness): boolean {
  if ((previous.observedAt ?? null) !== observedAt && (observedAt === null || previous.observedAt === null || previous.observedAt === undefined)) return true;
  if (observedAt === null || !previous.observedAt) return false;
  if (Date.parse(observedAt) - Date.parse(previous.observedAt) >= freshness.staleAfterMs / 4) return true;
  const liveWhenWritten = hasLiveData(previous, new Date(previous.updatedAt), freshness);
  return liveWhenWritten && !hasLiveData({ ...previous, observedAt }, now, freshness);
}

const iso = (at: Date | null | undefined) => (at ? at.toISOString() : null);

/**
 * Actual times of the stops reached: what is recorded stays; what the source knows of the
 * other reached stops is added; the stop reached or left at this observation is stamped with
 * the observation's time when the source does not say when, unless its data ages (a feed, whose
 * report may come minutes after the fact: its own times, or none).
 */
function updateActuals(base: RunState, observed: ObservedRunStatus, now: Date): StopActual[] {
  const last = observed.lastStopSequence;
  if (last === null) return base.actuals;
  const recorded = new Map(base.actuals.map((actual) => [actual.sequence, actual]));
  const known = new Map(observed.stopTimes.filter((times) => times.sequence <= last).map((times) => [times.sequence, times]));
  const sequences = new Set([...recorded.keys(), ...known.keys(), last]);
  const actuals: StopActual[] = [];
  for (const sequence of [...sequences].sort((a, b) => a - b)) {
    const current = recorded.get(sequence);
    const source = known.get(sequence);
    const isLast = sequence === last;
    // A source whose data ages (a feed) says when things happened or does not: its reports come late, so "now" would be wrong.
    const stamps = !observed.observedAt;
    const newlyReached = stamps && isLast && !current && sequence !== 1;
    const leftNow = isLast ? observed.departedLastStop : sequence < last;
    const arrivedAt = sequence === 1 ? null : (current?.arrivedAt ?? iso(source?.arrivedAt) ?? (newlyReached ? now.toISOString() : null));
    // Standing at the last stop (an operator may say the train has not left after all): no departure.
    const departedAt = isLast && !leftNow ? null : (current?.departedAt ?? iso(source?.departedAt) ?? (isLast && stamps ? now.toISOString() : null));
    if (arrivedAt === null && departedAt === null) continue;
    actuals.push({ sequence, arrivedAt, departedAt });
  }
  return sameActuals(actuals, base.actuals) ? base.actuals : actuals;
}

const sameActuals = (a: StopActual[], b: StopActual[]) =>
  a.length === b.length && a.every((actual, i) => actual.sequence === b[i].sequence && actual.arrivedAt === b[i].arrivedAt && actual.departedAt === b[i].departedAt);
