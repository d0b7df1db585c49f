import type { NotificationEvent } from '../notifications/notification-event.js';
import { platformStopOf } from '../live/expected-times.js';
import type { LiveView } from '../live/live.model.js';
import type { RunState } from '../live/run-state.js';
import { localClock } from '../trains/service-time.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "28 Nov" for 2026-11-28: the day a run left, as riders say it. */
export const dayAndMonth = (date: string) => `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]}`;

/** Delays that are news when first crossed, and the change since the last notice that is news again. */
const DELAY_THRESHOLDS = [15, 30, 60];
const DELAY_CHANGE_WORTH_NOTICE = 10;

export interface RuleOutcome {
  events: NotificationEvent[];
  /** The delay last announced, carried in the run state. */
  notifiedDelay: number;
}

/**
 * What followers of a train should hear about a change. Every event has a natural key, so the
 * same event (a retried tick, a second instance) can never notify a user twice. `viewOf` gives
 * the run's live view, asked for only when an event needs its stops: most changes (a delay moving
 * by a minute) notify nobody, and working out every stop's times for each changed run was most
 * of a tick's cost.
 */
export function notificationsFor(previous: RunState, next: RunState, viewOf: () => LiveView, train: { number: string; name: string; timeZone: string }): RuleOutcome {
  let known: LiveView | undefined;
  const view = () => (known ??= viewOf());
  const events: NotificationEvent[] = [];
  // Titles name the run, not just the train: a long journey has runs of two dates on the line at once.
  const run = `${train.number} (${dayAndMonth(next.serviceDate)})`;
  const label = `${train.number} ${train.name}`;
  const event = (type: NotificationEvent['type'], key: string, title: string, body: string, data: Record<string, unknown> = {}) =>
    events.push({
      type,
      trainId: next.trainId,
      runDate: next.serviceDate,
      title,
      body,
      data: { trainNumber: train.number, serviceDate: next.serviceDate, version: next.version, ...data },
      eventKey: `${train.number}:${next.serviceDate}:${key}`,
    });
  const lateness = (minutes: number) => (minutes > 0 ? `${minutes} min late` : 'on time');
  // Clock times as the train's timetable and its riders read them: in its time zone.
  const clock = (at: Date) => localClock(at, train.timeZone);

  if (next.phase === 'CANCELLED' && previous.phase !== 'CANCELLED') {
    event('CANCELLED', `CANCELLED:v${next.version}`, `${run} is cancelled`, `${label} of ${next.serviceDate} is cancelled.`);
    return { events, notifiedDelay: next.notifiedDelay };
  }
  if (previous.phase === 'CANCELLED' && next.phase !== 'CANCELLED') {
    event('RESTORED', `RESTORED:v${next.version}`, `${run} is running again`, `${label} of ${next.serviceDate} has been restored.`);
  }

  const leftOrigin = (state: RunState) => state.lastStopSequence !== null && (state.lastStopSequence > 1 || state.departedLastStop);
  if (leftOrigin(next) && !leftOrigin(previous) && next.phase !== 'ARRIVED') {
    const origin = view().stops[0];
    const at = origin.actualDeparture ?? new Date(next.updatedAt);
    event('DEPARTED', 'DEPARTED', `${run} has left ${origin.stationName}`, `${label} left ${origin.stationName} at ${clock(at)}, ${lateness(next.delayMinutes)}.`, {
      stationCode: origin.stationCode,
      delayMinutes: next.delayMinutes,
    });
  }
  if (next.phase === 'ARRIVED' && previous.phase !== 'ARRIVED') {
    const { stops } = view();
    const destination = stops[stops.length - 1];
    const at = destination.actualArrival ?? new Date(next.updatedAt);
    event('ARRIVED', 'ARRIVED', `${run} has arrived at ${destination.stationName}`, `${label} arrived at ${destination.stationName} at ${clock(at)}, ${lateness(next.delayMinutes)}.`, {
      stationCode: destination.stationCode,
      delayMinutes: next.delayMinutes,
    });
  }

  // A platform is news only when it changes for the same stop, not because the train moved on.
  const sameStop = platformStopOf(previous) === platformStopOf(next);
  const platformStop = previous.platform && next.platform && previous.platform !== next.platform && sameStop ? view().stops[platformStopOf(next) - 1] : undefined;
  if (platformStop) {
    event(
      'PLATFORM_CHANGE',
      `PLATFORM:${platformStop.sequence}:${next.platform}`,
      `Platform change for ${run} at ${platformStop.stationName}`,
      `${label} will be on platform ${next.platform} at ${platformStop.stationName} (was ${previous.platform}).`,
      { stationCode: platformStop.stationCode, platform: next.platform, previousPlatform: previous.platform },
    );
  }

  let notifiedDelay = previous.notifiedDelay;
  const delay = next.delayMinutes;
  const crossed = DELAY_THRESHOLDS.some((threshold) => notifiedDelay < threshold && delay >= threshold);
  const moved = Math.abs(delay - notifiedDelay) >= DELAY_CHANGE_WORTH_NOTICE && Math.max(delay, notifiedDelay) >= DELAY_THRESHOLDS[0];
  if (next.phase === 'RUNNING' || next.phase === 'SCHEDULED') {
    if (crossed || moved) {
      const { nextStop } = view();
      const where = nextStop?.expectedArrival ? `, expected at ${nextStop.stationName} ${clock(nextStop.expectedArrival)}` : '';
      const title = delay > 0 ? `${run} is running ${delay} min late` : `${run} is back on time`;
      const body = delay > 0 ? `${label} is running ${delay} min late${where}.` : `${label} has made up its delay and is running on time${where}.`;
      event('DELAY', `DELAY:${delay}:v${next.version}`, title, body, { delayMinutes: delay, previousDelayMinutes: notifiedDelay, nextStationCode: nextStop?.stationCode ?? null });
      notifiedDelay = delay;
    }
  }
  return { events, notifiedDelay };
}
