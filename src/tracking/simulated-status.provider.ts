import { Injectable } from '@nestjs/common';
import { lastDayOf, stopsOn } from '../routes/timetable.model.js';
import { EventLoopSlices, SLICE_MS } from '../common/event-loop/slices.js';
import { TimetableService } from '../routes/timetable.service.js';
import { addDays, localDate } from '../trains/service-time.js';
import { planRun, reportWindow, type RunPlan, type SimRun, simulateRun } from './simulation.js';
import type { ObservedRunStatus, TrainStatusProvider } from './train-status-provider.js';

/**
 * Moves every train along its real route and timetable from the clock, with a seeded delay
 * model per run, so the demo shows trains moving. Deterministic: the same run at the same
 * instant always gives the same status. Each run follows the stop pattern of its service date,
 * in its train's time zone; a train whose days are unknown runs every day its calendar covers.
 */
@Injectable()
export class SimulatedStatusProvider implements TrainStatusProvider {
  private plans = new Map<string, RunPlan>();

  /** How long a slice of trains may hold the event loop (0: one train per slice). */
  sliceMs = SLICE_MS;

  constructor(private readonly timetable: TimetableService) {}

  async activeRuns(now: Date): Promise<ObservedRunStatus[]> {
    const statuses: ObservedRunStatus[] = [];
    const seen = new Map<string, RunPlan>();
    const slices = new EventLoopSlices(this.sliceMs);
    for (const timetable of (await this.timetable.all()).values()) {
      // 11k trains in one go held the event loop for ~100 ms: requests get a turn every slice.
      if (slices.due()) await slices.next();
      const { train } = timetable;
      const today = localDate(now, train.timeZone);
      for (let back = lastDayOf(timetable) + 1; back >= -1; back--) {
        const serviceDate = addDays(today, -back);
        const stops = stopsOn(timetable, serviceDate);
        if (!stops) continue;
        const run: SimRun = { trainId: train.id, trainNumber: train.number, serviceDate, timeZone: train.timeZone, stops };
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
