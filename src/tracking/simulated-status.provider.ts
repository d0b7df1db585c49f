import { Injectable } from '@nestjs/common';
import { TimetableService } from '../routes/timetable.service.js';
import { runsOnDate } from '../trains/run-days.js';
import { addDays, istDate } from '../trains/service-time.js';
import { planRun, reportWindow, type RunPlan, type SimRun, simulateRun } from './simulation.js';
import type { ObservedRunStatus, TrainStatusProvider } from './train-status-provider.js';

/**
 * Moves every train along its real route and timetable from the clock, with a seeded delay
 * model per run, so the demo shows trains moving. Deterministic: the same run at the same
 * instant always gives the same status.
 */
@Injectable()
export class SimulatedStatusProvider implements TrainStatusProvider {
  private plans = new Map<string, RunPlan>();

  constructor(private readonly timetable: TimetableService) {}

  async activeRuns(now: Date): Promise<ObservedRunStatus[]> {
    const today = istDate(now);
    const statuses: ObservedRunStatus[] = [];
    const seen = new Map<string, RunPlan>();
    for (const { train, stops } of (await this.timetable.all()).values()) {
      if (stops.length < 2) continue;
      const lastDay = stops[stops.length - 1].arrivalDay ?? 0;
      for (let back = lastDay + 1; back >= -1; back--) {
        const serviceDate = addDays(today, -back);
        if (!runsOnDate(train.runsOn, serviceDate)) continue;
        const run: SimRun = { trainId: train.id, trainNumber: train.number, serviceDate, stops };
        const [from, to] = reportWindow(run);
        if (now < from || now > to) continue;
        const key = `${train.id}:${serviceDate}:${stops.length}`;
        const plan = this.plans.get(key) ?? planRun(run);
        seen.set(key, plan);
        statuses.push(simulateRun(run, now, plan));
      }
    }
    // Plans of runs no longer active are dropped, so memory stays bounded.
    this.plans = seen;
    return statuses;
  }
}
