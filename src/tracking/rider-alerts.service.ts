import { Injectable } from '@nestjs/common';
import { Metrics } from '../common/observability/metrics.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type { AlertToEvaluate, ArmedAlertKey, ArmRequest } from '../favorites/armed-alert.model.js';
import { ArmedAlertsService } from '../favorites/armed-alerts.service.js';
import { LiveStatusService, runOf } from '../live/live-status.service.js';
import type { TrainLiveView } from '../live/live.model.js';
import { type RunRef, runKey } from '../live/run-state.js';
import { callAt } from '../live/station-call.js';
import type { Notification } from '../notifications/notification.entity.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { TimetableService } from '../routes/timetable.service.js';
import { LiveGateway } from './live.gateway.js';
import { type AlertDecision, decideAlert, needsWrite } from './rider-alert-rules.js';

/** Alerts due at once that one evaluation takes (the earliest first); the rest wait for the next. */
const DUE_PER_EVALUATION = 5000;

export interface AlertsReport {
  /** Armed alerts looked at: those of the runs that changed, and those due. */
  evaluated: number;
  /** Notifications created (rider alerts sent). */
  sent: number;
  /** When the next armed alert is due, for the scheduler. */
  nextDueAt: Date | null;
}

const keyOf = (key: ArmedAlertKey) => `${key.userId}|${key.trainId}|${key.kind}|${key.serviceDate}`;

/**
 * Rider alerts, evaluated after the ingest has committed: the alerts armed for the runs that
 * changed, and those due by now (a due time is a lower bound: see needsWrite), read through the
 * armed-alerts index (never a scan of favorites).
 * Each is decided against its run's call at the rider's station (decideAlert); what changed is
 * written in one transaction with the notifications it sends, each write conditional on the
 * revision it was decided from, so two instances (or a timer and a tick) evaluating the same
 * alert send it once; a restarted instance finds it sent. Alerts done with a run are armed on
 * the next run calling there. Notifications go out like the tracker's: stored, then pushed.
 */
@Injectable()
export class RiderAlertsService {
  constructor(
    private readonly armed: ArmedAlertsService,
    private readonly live: LiveStatusService,
    private readonly timetable: TimetableService,
    private readonly notifications: NotificationsService,
    private readonly transactions: TransactionRunner,
    private readonly gateway: LiveGateway,
    private readonly metrics: Metrics,
  ) {}

  async evaluate(changed: RunRef[], now: Date): Promise<AlertsReport> {
    const alerts = await this.armed.toEvaluate(changed, now, DUE_PER_EVALUATION);
    const sent = alerts.length > 0 ? await this.decide(alerts, now) : 0;
    return { evaluated: alerts.length, sent, nextDueAt: await this.armed.nextDueAt(now) };
  }

  private async decide(alerts: AlertToEvaluate[], now: Date): Promise<number> {
    const views = await this.viewsOf(alerts, now);
    const decisions = alerts.map((alert) => {
      const view = views.get(runKey(alert.trainId, alert.serviceDate));
      const call = view && alert.stationCode ? callAt(view, alert.stationCode) : null;
      return { alert, ...decideAlert(alert, call, view?.train, now) };
    });
    const toWrite = decisions.filter(({ alert, state, notice }) => notice !== null || needsWrite(alert, state, now));
    if (toWrite.length === 0) return 0;
    const next = await this.armed.plan(toWrite.flatMap(nextRunRequest), now);

    const created = await this.transactions.run(async (manager) => {
      const written = new Set(
        (await this.armed.saveIfUnchanged(
          toWrite.map(({ alert, state }) => ({ ...state, readRevision: alert.revision })),
          manager,
        )).map(keyOf),
      );
      const done = toWrite.filter(({ alert }) => written.has(keyOf(alert)));
      // One notice per rider and event key, though several of their alerts may give it (a skipped stop).
      const notices = new Map(done.flatMap(({ alert, notice }) => (notice ? [[`${alert.userId}|${notice.eventKey}`, { userIds: [alert.userId], event: notice }]] : [])));
      const notifications = await this.notifications.createMany([...notices.values()], now, manager);
      const movedOn = new Set(done.filter(({ settled }) => settled).map(({ alert }) => `${alert.userId}|${alert.trainId}|${alert.kind}`));
      await this.armed.arm(
        next.filter((row) => movedOn.has(`${row.userId}|${row.trainId}|${row.kind}`)),
        manager,
      );
      return notifications;
    });
    this.metrics.notificationsCreated.inc(created.length);
    this.publish(created, views);
    return created.length;
  }

  /** The live views of the alerts' runs, with one cache read. */
  private async viewsOf(alerts: AlertToEvaluate[], now: Date): Promise<Map<string, TrainLiveView>> {
    const timetables = await this.timetable.all();
    const runs = new Map(alerts.map((alert) => [runKey(alert.trainId, alert.serviceDate), alert]));
    const shown = [...runs.values()].flatMap(({ trainId, serviceDate }) => {
      const timetable = timetables.get(trainId);
      return (timetable && runOf(timetable, serviceDate)) || [];
    });
    const views = await this.live.views(shown, now);
    return new Map(views.map((view) => [runKey(view.train.id, view.state.serviceDate), view]));
  }

  private publish(created: Notification[], views: Map<string, TrainLiveView>): void {
    const trains = new Map([...views.values()].map(({ train }) => [train.id, { number: train.number, name: train.name }]));
    for (const notification of created) this.gateway.publishNotification(notification, trains.get(notification.trainId)!);
  }
}

/** An alert done with its run is armed on the next run of its train calling at the station. */
function nextRunRequest({ alert, settled }: { alert: AlertToEvaluate } & AlertDecision): ArmRequest[] {
  if (!settled || !alert.stationCode) return [];
  return [{ userId: alert.userId, trainId: alert.trainId, kind: alert.kind, stationCode: alert.stationCode, settings: alert.settings, after: alert.serviceDate }];
}
