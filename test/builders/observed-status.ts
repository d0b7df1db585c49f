import type { ObservedRunStatus, ObservedStopTimes } from '../../src/tracking/train-status-provider.js';

/** Shorthands for the times at the last stop, turned into `stopTimes`. */
export interface LastStopTimes {
  lastArrivedAt?: Date | null;
  lastDepartedAt?: Date | null;
}

/**
 * An observed status, as a provider reports it: by default train t1 / 12951 on 2026-11-24,
 * scheduled and on time, with no stop times. Shared by unit and e2e tests.
 */
export function observedStatus(overrides: Partial<ObservedRunStatus> & LastStopTimes = {}): ObservedRunStatus {
  const { lastArrivedAt = null, lastDepartedAt = null, ...fields } = overrides;
  const status: ObservedRunStatus = {
    trainId: 't1',
    trainNumber: '12951',
    serviceDate: '2026-11-24',
    phase: 'SCHEDULED',
    delayMinutes: 0,
    lastStopSequence: null,
    departedLastStop: false,
    platform: null,
    stopUpdates: [],
    stopTimes: [],
    ...fields,
  };
  if ((lastArrivedAt || lastDepartedAt) && status.lastStopSequence !== null && !overrides.stopTimes) {
    const last: ObservedStopTimes = { sequence: status.lastStopSequence, arrivedAt: lastArrivedAt, departedAt: status.departedLastStop ? lastDepartedAt : null };
    status.stopTimes = [last];
  }
  return status;
}

/** A run that has left its origin and is on its way, as e2e tests of tracking observe it. */
export const runningStatus = (overrides: Partial<ObservedRunStatus> & LastStopTimes = {}) =>
  observedStatus({ phase: 'RUNNING', lastStopSequence: 1, departedLastStop: true, ...overrides });
