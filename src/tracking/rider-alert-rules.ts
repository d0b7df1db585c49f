import { type AlarmKind, expectedFor, isAlarm, isOpen, leadOf, watchUntil } from '../favorites/alert-settings.js';
import type { AlertToEvaluate, ArmedAlertState } from '../favorites/armed-alert.model.js';
import type { StationCall } from '../live/station-call.js';
import type { NotificationEvent } from '../notifications/notification-event.js';
import type { NotificationType } from '../notifications/notification-type.js';
import { localClock } from '../trains/service-time.js';
import { dayAndMonth } from './notification-rules.js';

export interface AlertTrain {
  id: string;
  number: string;
  name: string;
  timeZone: string;
}

export interface AlertDecision {
  /** The alert's state after this evaluation. */
  state: ArmedAlertState;
  /** What to tell the rider, if anything; its key makes it once per rider, run and event. */
  notice: NotificationEvent | null;
  /** The alert is done with this run: arm it on the train's next run calling at the station. */
  settled: boolean;
}

/**
 * What an armed alert does now, given the run's call at the rider's station (null: the run no
 * longer calls there, or the favorite has no station any more) and its train:
 * - an alarm ("arriving soon", "departing soon") is sent once its lead before the expected time
 *   (the delay included) has come, and waits until then otherwise. Once sent, it is sent again
 *   only when the expected time has moved later by at least the lead since: a prediction that
 *   wobbles is no news;
 * - a watching alert sends once per run: the platform there reported other than the timetable's,
 *   or the train expected there at least the threshold late (live data only). It looks again when
 *   the train is expected there, and then settles;
 * - a cancelled run settles its alerts without a word of their own: every follower is told of the
 *   cancellation by the train-wide CANCELLED notification;
 * - a skipped stop settles them with one "will not stop there" notice;
 * - a call that has passed (or a run that cannot give the alert any more) settles them silently.
 * A run without live data is taken at its timetable times, and an alarm then says so.
 */
export function decideAlert(alert: AlertToEvaluate, call: StationCall | null, train: AlertTrain | undefined, now: Date): AlertDecision {
  const pending = alert.dueAt !== null;
  const state = (changes: Partial<ArmedAlertState>): ArmedAlertState => ({
    userId: alert.userId,
    trainId: alert.trainId,
    kind: alert.kind,
    serviceDate: alert.serviceDate,
    dueAt: alert.dueAt,
    sentCount: alert.sentCount,
    sentExpectedAt: alert.sentExpectedAt,
    ...changes,
  });
  const waitUntil = (dueAt: Date): AlertDecision => ({ state: state({ dueAt }), notice: null, settled: false });
  /** Nothing more to do on this run; the first time an unsent alert gets here, it moves on to the next run. */
  const settle = (notice: NotificationEvent | null = null): AlertDecision => ({ state: state({ dueAt: null }), notice, settled: pending && alert.sentCount === 0 });
  const send = (notice: NotificationEvent, sentExpectedAt: Date | null): AlertDecision => ({
    state: state({ dueAt: null, sentCount: alert.sentCount + 1, sentExpectedAt }),
    notice,
    settled: alert.sentCount === 0,
  });

  if (!call || !train || !alert.stationCode) return settle();
  const notices = new Notices(train, alert, call, now);
  if (call.status === 'SKIPPED') return settle(notices.skipped());
  if (call.status === 'CANCELLED' || !isOpen(alert.kind, call)) return settle();

  if (isAlarm(alert.kind)) {
    const lead = leadOf(alert.settings, alert.kind);
    const expected = expectedFor(alert.kind, call)!;
    if (alert.sentCount > 0 && alert.sentExpectedAt && expected.getTime() < alert.sentExpectedAt.getTime() + lead * 60_000) return settle();
    const dueAt = new Date(expected.getTime() - lead * 60_000);
    return dueAt > now ? waitUntil(dueAt) : send(notices.alarm(alert.kind, expected), expected);
  }
  if (alert.sentCount > 0) return settle();
  if (alert.kind === 'PLATFORM' && call.realtime && call.platform !== null && call.platform !== call.scheduledPlatform) return send(notices.platform(), null);
  if (alert.kind === 'DELAY' && call.realtime && call.delayMinutes >= (alert.settings.delayAtStationMinutes ?? Number.POSITIVE_INFINITY)) return send(notices.delay(), null);
  const until = watchUntil(call);
  return until && until > now ? waitUntil(until) : settle();
}

/**
 * Whether a decision must be written. The stored due time is a lower bound, not the exact time:
 * an alert looked at early only waits again, and its new due time is written then, so a
 * prediction that moves later, as delays mostly do, costs no write at the tick that moves it.
 * A watching alert's due time only settles it when nothing else does (its station passed, or a
 * run without live data); a change of the run settles it before, so it is not moved sooner either.
 * Always written: a due time set or cleared, the next due time of an alert looked at because it
 * was due (else it would be due at every tick), a send.
 */
export function needsWrite(stored: ArmedAlertState, next: ArmedAlertState, now: Date): boolean {
  if (stored.sentCount !== next.sentCount || stored.sentExpectedAt?.getTime() !== next.sentExpectedAt?.getTime()) return true;
  if (stored.dueAt === null || next.dueAt === null) return stored.dueAt !== next.dueAt;
  if (stored.dueAt <= now) return next.dueAt.getTime() !== stored.dueAt.getTime();
  return isAlarm(stored.kind) && next.dueAt < stored.dueAt;
}

const lateness = (minutes: number) => (minutes > 0 ? `${minutes} min late` : minutes < 0 ? `${-minutes} min early` : 'on time');

/** The texts of rider alerts, in the train's time zone; every key names the run and the station. */
class Notices {
  private readonly station: string;
  private readonly label: string;
  private readonly run: string;

  constructor(
    private readonly train: AlertTrain,
    private readonly alert: AlertToEvaluate,
    private readonly call: StationCall,
    private readonly now: Date,
  ) {
    this.station = call.stop.stationName;
    this.label = `${train.number} ${train.name}`;
    this.run = `${this.label} (${dayAndMonth(alert.serviceDate)})`;
  }

  /** "12951 arrives at Kota Junction in about 10 min (platform 3, 25 min late)". */
  alarm(kind: AlarmKind, expected: Date): NotificationEvent {
    const { call, station } = this;
    const minutes = Math.max(1, Math.round((expected.getTime() - this.now.getTime()) / 60_000));
    const details = [call.platform ? `platform ${call.platform}` : null, call.realtime ? lateness(call.delayMinutes) : 'timetable time, no live data'].filter(Boolean).join(', ');
    const verb = kind === 'ARRIVAL' ? `arrives at ${station}` : `leaves ${station}`;
    const when = localClock(expected, this.train.timeZone);
    const body = call.realtime
      ? `${this.run} is expected ${kind === 'ARRIVAL' ? 'at' : 'to leave'} ${station} at ${when}.`
      : `${this.run} is due ${kind === 'ARRIVAL' ? 'at' : 'to leave'} ${station} at ${when} by the timetable: nothing has been reported of this run yet.`;
    const scheduled = kind === 'ARRIVAL' ? call.stop.scheduledArrival : call.stop.scheduledDeparture;
    return this.event(kind === 'ARRIVAL' ? 'ARRIVING_SOON' : 'DEPARTING_SOON', `${this.alert.sentCount + 1}`, `${this.train.number} ${verb} in about ${minutes} min (${details})`, body, {
      [kind === 'ARRIVAL' ? 'expectedArrival' : 'expectedDeparture']: expected.toISOString(),
      [kind === 'ARRIVAL' ? 'scheduledArrival' : 'scheduledDeparture']: scheduled?.toISOString() ?? null,
      minutesBefore: leadOf(this.alert.settings, kind),
    });
  }

  platform(): NotificationEvent {
    const { call, station } = this;
    const planned = call.scheduledPlatform ? ` (the timetable says ${call.scheduledPlatform})` : '';
    const expected = call.expectedArrival ?? call.expectedDeparture;
    const when = expected ? `, expected at ${localClock(expected, this.train.timeZone)}` : '';
    return this.event('PLATFORM_AT_STATION', call.platform!, `${this.train.number} will be on platform ${call.platform} at ${station}`, `${this.run} will be on platform ${call.platform} at ${station}${planned}${when}.`, {
      scheduledPlatform: call.scheduledPlatform,
    });
  }

  delay(): NotificationEvent {
    const { call, station } = this;
    const expected = call.expectedArrival ?? call.expectedDeparture!;
    const scheduled = call.stop.scheduledArrival ?? call.stop.scheduledDeparture!;
    const clock = (at: Date) => localClock(at, this.train.timeZone);
    return this.event('DELAY_AT_STATION', '', `${this.train.number} is expected at ${station} ${lateness(call.delayMinutes)}`, `${this.run} is expected at ${station} at ${clock(expected)} instead of ${clock(scheduled)}.`, {
      expectedArrival: expected.toISOString(),
      thresholdMinutes: this.alert.settings.delayAtStationMinutes,
    });
  }

  /** One per rider, run and station, whichever of their alerts there sees it first. */
  skipped(): NotificationEvent {
    return this.event('STOP_SKIPPED', '', `${this.train.number} will not stop at ${this.station}`, `${this.run} will not stop at ${this.station}.`, {});
  }

  private event(type: NotificationType, discriminator: string, title: string, body: string, data: Record<string, unknown>): NotificationEvent {
    const { call, alert, train } = this;
    const stationCode = call.stop.stationCode;
    return {
      type,
      trainId: train.id,
      runDate: alert.serviceDate,
      title,
      body,
      data: { trainNumber: train.number, serviceDate: alert.serviceDate, stationCode, platform: call.platform, delayMinutes: call.delayMinutes, realtime: call.realtime, ...data },
      eventKey: [train.number, alert.serviceDate, type, stationCode, discriminator].filter(Boolean).join(':'),
    };
  }
}
