import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type CallsRequest, LiveStatusService } from '../live/live-status.service.js';
import type { RunRef } from '../live/run-state.js';
import type { StationCall } from '../live/station-call.js';
import { TimetableService } from '../routes/timetable.service.js';
import { type AlertKind, type AlertSettings, alarmDueAt, isAlarm, isOpen, leadOf } from './alert-settings.js';
import type { AlertToEvaluate, ArmedAlertKey, ArmedAlertState, ArmRequest } from './armed-alert.model.js';
import { ArmedAlertsRepository } from './armed-alerts.repository.js';

/**
 * When an alert armed on a call is first looked at: an alarm a lead before the expected time
 * (the delay included), a watching alert at once (its condition may hold already); null when the
 * call cannot give the alert (the train has passed, the run is cancelled).
 */
export function firstDueAt(kind: AlertKind, settings: AlertSettings, call: StationCall, now: Date): Date | null {
  if (!isOpen(kind, call)) return null;
  return isAlarm(kind) ? alarmDueAt(kind, leadOf(settings, kind), call) : now;
}

/**
 * The index of armed alerts (one row per favorite, alert and run): arming alerts on the next run
 * of their train that calls at the rider's station, and what the tracker reads and writes when
 * it evaluates them. Every method is one statement or none, whatever the number of alerts.
 */
@Injectable()
export class ArmedAlertsService {
  constructor(
    private readonly alerts: ArmedAlertsRepository,
    private readonly live: LiveStatusService,
    private readonly timetable: TimetableService,
  ) {}

  /**
   * The rows that arm each request on the earliest run (after `after`, when given) whose call at
   * the station can still give the alert, with their first due time. Writes nothing; the runs'
   * live states come from one cache read. A request whose train has no such run within the served
   * days gets no row.
   */
  async plan(requests: ArmRequest[], now: Date): Promise<ArmedAlertState[]> {
    if (requests.length === 0) return [];
    const timetables = await this.timetable.all();
    const lookups = new Map<string, { request: CallsRequest; index: number }>();
    const lookupOf = (request: ArmRequest) => `${request.trainId}|${request.stationCode}|${request.after ?? ''}`;
    for (const request of requests) {
      const timetable = timetables.get(request.trainId);
      if (!timetable || lookups.has(lookupOf(request))) continue;
      lookups.set(lookupOf(request), { request: { timetable, stationCode: request.stationCode, after: request.after }, index: lookups.size });
    }
    const calls = await this.live.callsAhead([...lookups.values()].map(({ request }) => request), now);
    return requests.flatMap((request) => {
      const lookup = lookups.get(lookupOf(request));
      for (const { view, call } of lookup ? calls[lookup.index] : []) {
        const dueAt = firstDueAt(request.kind, request.settings, call, now);
        if (dueAt) return [{ userId: request.userId, trainId: request.trainId, kind: request.kind, serviceDate: view.state.serviceDate, dueAt, sentCount: 0, sentExpectedAt: null }];
      }
      return [];
    });
  }

  arm(states: ArmedAlertState[], manager?: EntityManager): Promise<void> {
    return this.alerts.arm(states, manager);
  }

  disarm(userId: string, trainId: string, kinds: AlertKind[], manager: EntityManager): Promise<void> {
    return this.alerts.disarm(userId, trainId, kinds, manager);
  }

  /** The alerts armed for the runs given, and the earliest `dueLimit` of those due by `now`. */
  toEvaluate(runs: RunRef[], now: Date, dueLimit: number): Promise<AlertToEvaluate[]> {
    return this.alerts.toEvaluate(runs, now, dueLimit);
  }

  /** Writes new states over the revisions they were computed from; returns those written. */
  saveIfUnchanged(states: Array<ArmedAlertState & { readRevision: string }>, manager: EntityManager): Promise<ArmedAlertKey[]> {
    return this.alerts.saveIfUnchanged(states, manager);
  }

  nextDueAt(now: Date): Promise<Date | null> {
    return this.alerts.nextDueAt(now);
  }
}
