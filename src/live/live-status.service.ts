import { Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../common/clock/clock.js';
import { NotFoundError } from '../common/errors/domain-errors.js';
import type { RouteStop } from '../routes/route-stop.entity.js';
import { stopsOn, type TrainTimetable } from '../routes/timetable.model.js';
import { TimetableService } from '../routes/timetable.service.js';
import type { Train } from '../trains/train.entity.js';
import type { TrainLiveView } from './live.model.js';
import { type Freshness, LIVE_FRESHNESS, liveView } from './live-view.js';
import { runKey, scheduledState } from './run-state.js';
import { RunStatesService } from './run-states.service.js';
import { activeServiceDates, currentServiceDate, isServedDate, servedDates } from './run-window.js';

/** A run to show: a train's timetable and a service date, with the stops it runs that day. */
export interface RunOfTimetable {
  timetable: TrainTimetable;
  serviceDate: string;
  stops: RouteStop[];
}

/** The run of a timetable on a date, when the train runs then. */
export function runOf(timetable: TrainTimetable, serviceDate: string): RunOfTimetable | null {
  const stops = stopsOn(timetable, serviceDate);
  return stops ? { timetable, serviceDate, stops } : null;
}

/** Live status as clients read it: from the cache, falling back to PostgreSQL. */
@Injectable()
export class LiveStatusService {
  constructor(
    private readonly timetable: TimetableService,
    private readonly states: RunStatesService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LIVE_FRESHNESS) private readonly freshness: Freshness,
  ) {}

  /**
   * A train by number, with a route or not, from memory; 404 TRAIN_NOT_FOUND when unknown. No
   * query either way: a flood of subscribes for missing trains must not reach PostgreSQL.
   */
  async train(number: string): Promise<Train> {
    const train = await this.timetable.trainByNumber(number);
    if (!train) throw trainNotFound(number);
    return train;
  }

  /**
   * The run of a train on a service date, or by default the run in progress (else the next
   * one). 404 RUN_NOT_FOUND for a date outside the served window or one the train does not run.
   */
  async ofTrain(number: string, date?: string): Promise<TrainLiveView> {
    const timetable = await this.timetableOf(number);
    const now = this.clock.now();
    const zone = timetable.train.timeZone;
    if (date !== undefined && !isServedDate(date, now, zone)) {
      const { from, to } = servedDates(now, zone);
      throw new NotFoundError('RUN_NOT_FOUND', `Runs are served for service dates from ${from} to ${to}; ${date} is outside`);
    }
    const serviceDate = date ?? currentServiceDate(timetable, now);
    const run = serviceDate ? runOf(timetable, serviceDate) : null;
    if (!run) throw new NotFoundError('RUN_NOT_FOUND', `Train ${number} does not run on ${serviceDate ?? 'any day soon'}`);
    const [view] = await this.views([run], now);
    return view;
  }

  /**
   * Every active run of a train (on the line, or leaving soon), oldest first, and the one
   * `ofTrain` gives by default (null when there is none soon): one clock reading, one cache read.
   */
  async activeRunsOf(number: string): Promise<{ current: TrainLiveView | null; runs: TrainLiveView[] }> {
    const timetable = await this.timetable.byNumber(number);
    if (!timetable) return { current: null, runs: [] };
    const now = this.clock.now();
    const { current, active } = activeServiceDates(timetable, now);
    // The current run is always one of the active ones: the latest on the line, else the next.
    const runs = await this.views(active.flatMap((serviceDate) => runOf(timetable, serviceDate) ?? []), now);
    return { current: runs.find((view) => view.state.serviceDate === current) ?? null, runs };
  }

  /** The current run of each train (for favorites), in one cache read. */
  async ofTrains(trains: Train[]): Promise<Map<string, TrainLiveView>> {
    const now = this.clock.now();
    const all = await this.timetable.all();
    const runs = trains.flatMap((train) => {
      const timetable = all.get(train.id);
      const serviceDate = timetable ? currentServiceDate(timetable, now) : null;
      return (timetable && serviceDate && runOf(timetable, serviceDate)) || [];
    });
    const views = await this.views(runs, now);
    return new Map(views.map((view) => [view.train.id, view]));
  }

  /** Live views of the runs at `now`, with one cache read for all. */
  async views(runs: RunOfTimetable[], now: Date): Promise<TrainLiveView[]> {
    const { states } = await this.states.load(runs.map(({ timetable, serviceDate }) => ({ trainId: timetable.train.id, serviceDate })));
    return runs.map(({ timetable, serviceDate, stops }) => {
      const { train } = timetable;
      const state = states.get(runKey(train.id, serviceDate)) ?? scheduledState(train.id, train.number, serviceDate);
      return { ...liveView(state, stops, now, train.timeZone, this.freshness), train, route: stops };
    });
  }

  private async timetableOf(number: string): Promise<TrainTimetable> {
    const timetable = await this.timetable.byNumber(number);
    if (!timetable && !(await this.timetable.trainByNumber(number))) throw trainNotFound(number);
    if (!timetable) throw new NotFoundError('RUN_NOT_FOUND', `Train ${number} has no timetable`);
    return timetable;
  }
}

/** The same 404 as TrainsService.getByNumber, answered from memory. */
const trainNotFound = (number: string) => new NotFoundError('TRAIN_NOT_FOUND', `No train with number ${number}`);
