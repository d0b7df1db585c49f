import { Inject, Injectable } from '@nestjs/common';
import { EventLoopSlices, mapInSlices } from '../common/event-loop/slices.js';
import { Metrics } from '../common/observability/metrics.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { FavoritesService } from '../favorites/favorites.service.js';
import type { TrainLiveView } from '../live/live.model.js';
import { type Freshness, LIVE_FRESHNESS, liveView } from '../live/live-view.js';
import { type RunSource, type RunState, runKey } from '../live/run-state.js';
import { RunStatesService } from '../live/run-states.service.js';
import type { Notification } from '../notifications/notification.entity.js';
import type { NotificationEvent } from '../notifications/notification-event.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { stopsOn } from '../routes/timetable.model.js';
import type { RouteStop } from '../routes/route-stop.entity.js';
import { TimetableService, type TrainTimetable } from '../routes/timetable.service.js';
import { LiveGateway } from './live.gateway.js';
import { notificationsFor } from './notification-rules.js';
import { advance } from './run-transition.js';
import type { ObservedRunStatus } from './train-status-provider.js';


export interface IngestReport {
  observed: number;
  changed: number;
  written: number;
  notifications: number;
  comparedWith: 'cache' | 'database';
  ms: number;
  /** The states written (their runs' new versions). */
  states: RunState[];
}

/**
 * A run whose state changed. Its live view is kept only when a notification rule worked it out:
 * the views of the 5,000 runs of a first tick on the Indian catalog (a dozen objects per stop) all
 * survived until the publish, and the collector copied them young generation after young
 * generation (scavenges of 40-90 ms). Otherwise it is worked out when published (only for trains
 * someone watches), and is garbage right after.
 */
interface Change {
  state: RunState;
  timetable: TrainTimetable;
  route: RouteStop[];
  events: NotificationEvent[];
  /** The run's live view, when a notification rule asked for it (most changes notify nobody and leave it to the push). */
  view?: TrainLiveView;
}

/**
 * The one pipeline every observation goes through, whoever sends it (the tick's provider, an
 * operator's report, later a feed): last known states (cache, else PostgreSQL) → only the runs
 * that changed are written (one transaction: states, history, notifications) → cache updated →
 * changes pushed to subscribers and followers. Idempotent: writes are conditional on version and
 * notifications unique per (user, event), so a repeated or concurrent apply changes nothing twice.
 */
@Injectable()
export class RunIngestService {
  constructor(
    private readonly states: RunStatesService,
    private readonly timetable: TimetableService,
    private readonly favorites: FavoritesService,
    private readonly notifications: NotificationsService,
    private readonly transactions: TransactionRunner,
    private readonly gateway: LiveGateway,
    private readonly metrics: Metrics,
    @Inject(LIVE_FRESHNESS) private readonly freshness: Freshness,
  ) {}

  async apply(observations: ObservedRunStatus[], source: RunSource, now: Date): Promise<IngestReport> {
    const started = performance.now();
    const timetables = await this.timetable.all();
    // A tick over the whole Indian network (5k runs) held the event loop for hundreds of ms in
    // the loops below: requests get a turn every slice.
    const slices = new EventLoopSlices();
    // Only runs that exist: a train the timetable knows, on a date it runs (the stops of that
    // day's pattern). Others are dropped before their state is read, so they cost no lookup.
    const runs: Array<{ observed: ObservedRunStatus; timetable: TrainTimetable; route: RouteStop[] }> = [];
    for (const observed of observations) {
      if (slices.due()) await slices.next();
      const timetable = timetables.get(observed.trainId);
      const route = timetable && stopsOn(timetable, observed.serviceDate);
      if (timetable && route) runs.push({ observed, timetable, route });
    }
    const { states: previous, fromCache } = await this.states.load(runs.map(({ observed: { trainId, serviceDate } }) => ({ trainId, serviceDate })));

    const changes: Change[] = [];
    for (const { observed, timetable, route } of runs) {
      if (slices.due()) await slices.next();
      const before = previous.get(runKey(observed.trainId, observed.serviceDate));
      // An operator's report stands until the run ends; the feed does not overwrite it.
      if (source === 'PROVIDER' && before?.source === 'OPERATOR') continue;
      const transition = advance(before, observed, source, now, this.freshness);
      if (!transition) continue;
      const { next } = transition;
      let view: TrainLiveView | undefined;
      const { events, notifiedDelay } = notificationsFor(transition.previous, next, () => (view = this.viewOf(next, timetable, route, now)), timetable.train);
      next.notifiedDelay = notifiedDelay;
      changes.push({ state: next, timetable, route, events, view });
    }
    const report = { observed: observations.length, changed: changes.length, comparedWith: fromCache ? 'cache' : 'database' } as const;
    if (changes.length === 0) return { ...report, written: 0, notifications: 0, ms: performance.now() - started, states: [] };

    const { written, writtenChanges, lost, created } = await this.transactions.run(async (manager) => {
      const saved = await this.states.record(await mapInSlices(changes, (change) => change.state, slices), manager);
      const { writtenChanges, lost, events, trainIds } = await writtenOrLost(changes, saved, slices);
      const followers = await this.favorites.followersOf(trainIds, manager);
      // Only events someone follows: a tick of 100,000 changes notifies a few of them.
      const followed = events.filter((event) => followers.has(event.trainId));
      const notifications = await this.notifications.createMany(
        followed.map((event) => ({ userIds: followers.get(event.trainId)!, event })),
        now,
        manager,
      );
      return { written: saved, writtenChanges, lost, created: notifications };
    });
    // Another writer had a newer version: take PostgreSQL's word for it and refresh the cache.
    if (lost.length > 0) await this.states.reload(lost.map(({ state }) => ({ trainId: state.trainId, serviceDate: state.serviceDate })));
    await this.states.remember(written);
    this.metrics.runsChanged.inc(written.length);
    this.metrics.notificationsCreated.inc(created.length);
    await this.publish(
      writtenChanges,
      created,
      now,
    );
    return { ...report, written: written.length, notifications: created.length, ms: performance.now() - started, states: written };
  }

  private viewOf(state: RunState, timetable: TrainTimetable, route: RouteStop[], now: Date): TrainLiveView {
    return { ...liveView(state, route, now, timetable.train.timeZone, this.freshness), train: timetable.train, route };
  }

  /**
   * Pushes the changes of the trains someone watches, in slices: each emit is encoded (and,
   * across instances, published to Redis) on the spot, and the 5,000 runs of a first tick on the
   * Indian catalog held the event loop for seconds in one go. A change nobody watches is not
   * pushed: its view, payload and Redis publish were most of a tick's CPU when every run changed,
   * and most trains of a national network have no one watching at a given moment. Asked after the
   * states are in the cache, so a client subscribing after the question reads the new state in
   * its ack.
   */
  private async publish(changes: Change[], notifications: Notification[], now: Date): Promise<void> {
    const watched = await this.gateway.watchedTrains();
    const pushed = watched ? changes.filter(({ timetable }) => watched.has(timetable.train.number)) : changes;
    await mapInSlices(pushed, ({ state, timetable, route, view }) => this.gateway.publishStatus(view ?? this.viewOf(state, timetable, route, now)));
    if (notifications.length === 0) return;
    const trains = new Map(changes.map(({ timetable: { train } }) => [train.id, { number: train.number, name: train.name }]));
    await mapInSlices(notifications, (notification) => this.gateway.publishNotification(notification, trains.get(notification.trainId)!));
  }
}

/**
 * The changes whose state was written, and those that lost to a newer version, with the events of
 * those written and their trains (each once). `written` is the states written, in the order of the
 * changes (RunStatesService.record): one walk, in slices, pairs them with no lookup (a Set of
 * 100,000 states held the event loop ~60 ms).
 */
async function writtenOrLost(
  changes: Change[],
  written: RunState[],
  slices: EventLoopSlices,
): Promise<{ writtenChanges: Change[]; lost: Change[]; events: NotificationEvent[]; trainIds: string[] }> {
  const writtenChanges: Change[] = [];
  const lost: Change[] = [];
  const events: NotificationEvent[] = [];
  const trainIds = new Set<string>();
  let next = 0;
  for (const change of changes) {
    if (slices.due()) await slices.next();
    if (next < written.length && written[next] === change.state) {
      writtenChanges.push(change);
      next++;
      for (const event of change.events) {
        events.push(event);
        trainIds.add(event.trainId);
      }
    } else lost.push(change);
  }
  return { writtenChanges, lost, events, trainIds: [...trainIds] };
}
