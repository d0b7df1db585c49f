import { Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../common/clock/clock.js';
import { NotFoundError } from '../common/errors/domain-errors.js';
import type { RouteStop } from '../routes/route-stop.entity.js';
import { stopsOn, type TrainTimetable } from '../routes/timetable.model.js';
import { TimetableService } from '../routes/timetable.service.js';
import type { Train } from '../trains/train.entity.js';
import type { TrainLiveView } from './live.model.js';
import { liveView } from './live-view.js';
import { runKey, type RunState, scheduledState } from './run-state.js';
import { RunStatesService } from './run-states.service.js';
import { activeServiceDates, currentServiceDate, isServedDate, servedDates } from './run-window.js';

/** A run to show: a train's timetable and a service date, with the stops it runs that day. */
export interface RunOfTimetable {
  timetable: TrainTimetable;
  serviceDate: string;
  stops: RouteStop[];
}

/** A run with its state as last recorded (or as scheduled), read at `now`: what a live view is computed from. */
export interface RunAt extends RunOfTimetable {
  state: RunState;
  now: Date;
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
    private readonly runStates: RunStatesService,
    @Inject(CLOCK) private readonly clock: Clock,
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
    return this.view(await this.runOfTrain(number, date));
  }

  /**
   * The run `ofTrain` shows and its state, without the view: a caller that already holds the
   * answer for this state (live-http-cache.ts) need not compute it again.
   */
  async runOfTrain(number: string, date?: string): Promise<RunAt> {
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
    const [state] = await this.states([run]);
    return { ...run, state, now };
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
    const states = await this.states(runs);
    return runs.map((run, index) => this.view({ ...run, state: states[index], now }));
  }

  /** The live view of a run in a state at its `now`. */
  view({ timetable: { train }, stops, state, now }: RunAt): TrainLiveView {
    return { ...liveView(state, stops, now, train.timeZone), train, route: stops };
  }

  /** The state of each run, in order: recorded (one cache read for all), else as scheduled. */
  private async states(runs: RunOfTimetable[]): Promise<RunState[]> {
    const { states } = await this.runStates.load(runs.map(({ timetable, serviceDate }) => ({ trainId: timetable.train.id, serviceDate })));
    return runs.map(({ timetable: { train }, serviceDate }) => states.get(runKey(train.id, serviceDate)) ?? scheduledState(train.id, train.number, serviceDate));
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
