import type { NotificationEvent } from '../src/notifications/notification-event.js';
import type { RouteStop } from '../src/routes/route-stop.entity.js';
import type { TimetableService, TrainTimetable } from '../src/routes/timetable.service.js';
import { notificationsFor } from '../src/tracking/notification-rules.js';
import { advance } from '../src/tracking/run-transition.js';
import { SimulatedStatusProvider } from '../src/tracking/simulated-status.provider.js';
import { liveView } from '../src/live/live-view.js';
import type { RunState } from '../src/live/run-state.js';
import type { Weekday } from '../src/trains/train-type.js';
import { weeklyTimetable } from './builders/route-stops.js';
import { demo } from './demo-data.js';

export interface SimulatedNotification {
  at: Date;
  type: NotificationEvent['type'];
  trainNumber: string;
}

/**
 * Notifications that depend only on where a run is (left its origin, arrived, cancelled or
 * restored), not on the delay seen at the instants a tick happens to sample, so every tracker
 * that ticks through a period of simulated time creates them, however often it ticks.
 */
export const PHASE_NOTIFICATIONS: ReadonlySet<NotificationEvent['type']> = new Set(['DEPARTED', 'ARRIVED', 'CANCELLED', 'RESTORED']);

/**
 * What a follower of `numbers` is notified of while the simulator runs from `from` to `to`: the
 * tracker's own pipeline (the simulator's active runs → `advance` → `notificationsFor`), replayed
 * without a database every `stepMinutes` of simulated time from a tracker that knows nothing yet.
 * The simulator is a pure function of the timetable, the run and the instant (its delays are
 * seeded by train number and date), so this is what the app does at the same simulated instants.
 * Events of the first step (a new tracker's first sight of runs already under way) are left out:
 * a follower who starts following later never gets those.
 */
export async function simulatedNotifications(numbers: readonly string[], from: Date, to: Date, stepMinutes = 5): Promise<SimulatedNotification[]> {
  const stations = new Map(demo.stations.map((station) => [station.code, station]));
  const timetables = new Map<string, TrainTimetable>(
    demo.trains
      .filter((train) => numbers.includes(train.number))
      .map((train) => [
        train.number,
        // The train number stands in for the id: the simulator seeds runs by number and date.
        weeklyTimetable(
          { id: train.number, number: train.number, name: train.name, runsOn: train.runsOn as Weekday[] },
          train.stops.map((stop) => ({ ...stop, station: { code: stop.stationCode, name: stations.get(stop.stationCode)!.name } }) as unknown as RouteStop),
        ),
      ]),
  );
  const provider = new SimulatedStatusProvider({ all: async () => timetables } as unknown as TimetableService);
  const states = new Map<string, RunState>();
  const notifications: SimulatedNotification[] = [];
  for (let at = from.getTime(); at <= to.getTime(); at += stepMinutes * 60_000) {
    const now = new Date(at);
    for (const observed of await provider.activeRuns(now)) {
      const key = `${observed.trainId}:${observed.serviceDate}`;
      const transition = advance(states.get(key), observed, 'PROVIDER', now);
      if (!transition) continue;
      const { train, patterns } = timetables.get(observed.trainId)!;
      const { events, notifiedDelay } = notificationsFor(transition.previous, transition.next, () => liveView(transition.next, patterns[0].stops, now, train.timeZone), train);
      states.set(key, { ...transition.next, notifiedDelay });
      if (at === from.getTime()) continue;
      for (const event of events) notifications.push({ at: now, type: event.type, trainNumber: train.number });
    }
  }
  return notifications;
}

/** The longest stretch of [from, to] without one of `instants`, in ms. */
export function longestQuiet(instants: Date[], from: Date, to: Date): number {
  const points = [from.getTime(), ...instants.map((at) => at.getTime()).filter((at) => at > from.getTime() && at < to.getTime()).sort((a, b) => a - b), to.getTime()];
  return Math.max(...points.slice(1).map((at, i) => at - points[i]));
}
