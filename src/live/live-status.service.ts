import { Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../common/clock/clock.js';
import { NotFoundError } from '../common/errors/domain-errors.js';
import type { RouteStop } from '../routes/route-stop.entity.js';
import { lastDayOf, stopsOn, type TrainTimetable } from '../routes/timetable.model.js';
import { TimetableService } from '../routes/timetable.service.js';
import { addDays, addMinutes, localDate, scheduledInstant } from '../trains/service-time.js';
import type { Train } from '../trains/train.entity.js';
import { trainNotFound } from '../trains/train.errors.js';
import type { RunDates, TrainLiveView } from './live.model.js';
import { type Freshness, LIVE_FRESHNESS, liveView } from './live-view.js';
import { runKey, type RunState, scheduledState } from './run-state.js';
import { RunStatesService } from './run-states.service.js';
import { activeServiceDates, currentServiceDate, isServedDate, RUN_DAYS_AHEAD, servedDates } from './run-window.js';
import { callAt, type StationCall } from './station-call.js';

/**
 * How long after its timetable time at a station a run is still looked at for its call there:
 * a run later than this is taken to have passed (its live state is not read to find out).
 */
const LATE_CALL_HORIZON_MINUTES = 12 * 60;
/** Runs looked at for a train's next call at a station: enough to step over a cancelled or passed one. */
const CALLS_AHEAD = 4;

/** Which train's calls at which station, and after which service date (exclusive) when not from the runs on the line. */
export interface CallsRequest {
  timetable: TrainTimetable;
  stationCode: string;
  after?: string;
}

/** A run's call at a station, with the run's live view. */
export interface RunCall {
  view: TrainLiveView;
  call: StationCall;
}

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
    const state = stateIn(await this.statesOf([run]), run);
    return { ...run, state, now };
  }

  /** Every service date the train runs on within the served window, oldest first, and the default one. */
  async runDatesOf(number: string): Promise<RunDates> {
    const timetable = await this.timetable.byNumber(number);
    // A train without a route has no runs, which is an answer, not an error.
    if (!timetable) return { train: await this.train(number), current: null, serviceDates: [] };
    const now = this.clock.now();
    const { from, to } = servedDates(now, timetable.train.timeZone);
    const serviceDates: string[] = [];
    for (let date = from; date <= to; date = addDays(date, 1)) if (runOf(timetable, date)) serviceDates.push(date);
    return { train: timetable.train, current: currentServiceDate(timetable, now), serviceDates };
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
    return this.viewsWith(runs, await this.statesOf(runs), now);
  }

  /** The states of these runs there are (see RunStatesService.read), by run key. */
  async statesOf(runs: RunOfTimetable[]): Promise<Map<string, RunState>> {
    return (await this.states.read(runs.map(({ timetable, serviceDate }) => ({ trainId: timetable.train.id, serviceDate })))).states;
  }

  /** Live views of runs whose states were read (statesOf); a run without one is as its timetable says. */
  viewsWith(runs: RunOfTimetable[], states: Map<string, RunState>, now: Date): TrainLiveView[] {
    return runs.map((run) => this.view({ ...run, state: stateIn(states, run), now }));
  }

  /** The live view of a run in a state at its `now`. */
  view({ timetable: { train }, stops, state, now }: RunAt): TrainLiveView {
    return { ...liveView(state, stops, now, train.timeZone, this.freshness), train, route: stops };
  }

  /**
   * For each request, the train's next runs calling at the station, earliest first (at most
   * CALLS_AHEAD, within RUN_DAYS_AHEAD days): those whose pattern stops there and whose timetable
   * time there is at most LATE_CALL_HORIZON_MINUTES ago, with their calls as the live state says
   * (a run among them may have passed, be cancelled or be standing there: the caller picks).
   * One cache read for all requests.
   */
  async callsAhead(requests: CallsRequest[], now: Date): Promise<RunCall[][]> {
    const runsOfRequests = requests.map(({ timetable, stationCode, after }) => {
      const zone = timetable.train.timeZone;
      const today = localDate(now, zone);
      const oldestOnLine = addDays(today, -(lastDayOf(timetable) + 1));
      const from = after !== undefined && after >= oldestOnLine ? addDays(after, 1) : oldestOnLine;
      const runs: RunOfTimetable[] = [];
      for (let date = from; date <= addDays(today, RUN_DAYS_AHEAD) && runs.length < CALLS_AHEAD; date = addDays(date, 1)) {
        const run = runOf(timetable, date);
        const stop = run?.stops.find((candidate) => candidate.station!.code === stationCode);
        if (!run || !stop) continue;
        const [minute, day] = stop.departureMinute !== null ? [stop.departureMinute, stop.departureDay!] : [stop.arrivalMinute!, stop.arrivalDay!];
        if (addMinutes(scheduledInstant(date, minute, day, zone), LATE_CALL_HORIZON_MINUTES) >= now) runs.push(run);
      }
      return runs;
    });
    const views = await this.views(runsOfRequests.flat(), now);
    let next = 0;
    return runsOfRequests.map((runs, index) =>
      runs.flatMap(() => {
        const view = views[next++];
        const call = callAt(view, requests[index].stationCode);
        return call ? [{ view, call }] : [];
      }),
    );
  }

  private async timetableOf(number: string): Promise<TrainTimetable> {
    const timetable = await this.timetable.byNumber(number);
    if (!timetable && !(await this.timetable.trainByNumber(number))) throw trainNotFound(number);
    if (!timetable) throw new NotFoundError('RUN_NOT_FOUND', `Train ${number} has no timetable`);
    return timetable;
  }
}

/** A run's recorded state among `states`, else its state as scheduled. */
const stateIn = (states: Map<string, RunState>, { timetable: { train }, serviceDate }: RunOfTimetable): RunState =>
  states.get(runKey(train.id, serviceDate)) ?? scheduledState(train.id, train.number, serviceDate);
