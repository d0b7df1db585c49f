import { Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../common/clock/clock.js';
import { InvalidInputError } from '../common/errors/domain-errors.js';
import { LiveStatusService } from '../live/live-status.service.js';
import type { TrainLiveView } from '../live/live.model.js';
import type { RunPhase } from '../live/run-state.js';
import type { ReportStatusDto } from './dto/report-status.dto.js';
import { AlertScheduler } from './alert-scheduler.js';
import { TripUpdatesFeed } from './gtfs-rt/trip-updates.feed.js';
import { RunIngestService } from './run-ingest.service.js';
import type { ObservedRunStatus } from './train-status-provider.js';

/** Operator reports: they go through the tracker's pipeline like a feed, and then outrank the feed for that run. */
@Injectable()
export class StatusReportsService {
  constructor(
    private readonly live: LiveStatusService,
    private readonly ingest: RunIngestService,
    private readonly alerts: AlertScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly publishedFeed: TripUpdatesFeed,
  ) {}

  async report(number: string, report: ReportStatusDto): Promise<TrainLiveView> {
    const current = await this.live.ofTrain(number, report.date);
    const stops = current.route;
    const state = current.state;
    let lastStopSequence = state.lastStopSequence;
    if (report.lastStationCode !== undefined) {
      const stop = stops.find((candidate) => candidate.station!.code === report.lastStationCode);
      if (!stop) {
        throw new InvalidInputError('STATION_NOT_ON_ROUTE', `${report.lastStationCode} is not on the route of ${number}`, [
          { field: 'lastStationCode', messages: [`${report.lastStationCode} is not a stop of train ${number}`] },
        ]);
      }
      lastStopSequence = stop.sequence;
    }
    const departed = lastStopSequence === null ? false : lastStopSequence === stops.length ? false : (report.departed ?? (report.lastStationCode ? false : state.departedLastStop));
    const cancelled = report.cancelled ?? state.phase === 'CANCELLED';
    const phase: RunPhase = cancelled ? 'CANCELLED' : lastStopSequence === null ? 'SCHEDULED' : lastStopSequence === stops.length ? 'ARRIVED' : 'RUNNING';
    const observed: ObservedRunStatus = {
      trainId: current.train.id,
      trainNumber: current.train.number,
      serviceDate: state.serviceDate,
      phase,
      delayMinutes: report.delayMinutes ?? state.delayMinutes,
      lastStopSequence: cancelled ? state.lastStopSequence : lastStopSequence,
      departedLastStop: cancelled ? state.departedLastStop : departed,
      platform: report.platform === undefined ? state.platform : report.platform,
      // The operator's word replaces a feed's per-stop predictions: its delay holds for the rest of the run.
      stopUpdates: [],
      stopTimes: [],
    };
    const now = this.clock.now();
    const { states } = await this.ingest.apply([observed], 'OPERATOR', now);
    this.publishedFeed.invalidate();
    await this.alerts.evaluate(states, now);
    return this.live.ofTrain(number, state.serviceDate);
  }
}
