import { Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../common/clock/clock.js';
import { NotFoundError } from '../common/errors/domain-errors.js';
import type { RouteStop } from '../routes/route-stop.entity.js';
import { TimetableService, type TrainTimetable } from '../routes/timetable.service.js';
import { StationsService } from '../stations/stations.service.js';
import { type LiveView, liveView, scheduledState } from './live-view.js';
import { runsOnDate } from '../trains/run-days.js';
import { runKey } from './run-state.js';
import { RunStatesService } from './run-states.service.js';
import { addDays, addMinutes, istDate, scheduledInstant } from '../trains/service-time.js';
import type { Train } from '../trains/train.entity.js';
import { TrainsService } from '../trains/trains.service.js';

export interface TrainLiveView extends LiveView {
  train: Train;
}

export interface BoardCall {
  view: TrainLiveView;
  stop: LiveView['stops'][number];
  origin: RouteStop;
  destination: RouteStop;
}

const departureOf = (stops: RouteStop[], date: string) => scheduledInstant(date, stops[0].departureMinute!, stops[0].departureDay!);
const arrivalOf = (stops: RouteStop[], date: string) => {
  const last = stops[stops.length - 1];
  return scheduledInstant(date, last.arrivalMinute!, last.arrivalDay!);
};

/** Live status as clients read it: from the cache, falling back to PostgreSQL. */
@Injectable()
export class LiveStatusService {
  constructor(
    private readonly trains: TrainsService,
    private readonly timetable: TimetableService,
    private readonly states: RunStatesService,
    private readonly stations: StationsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A train by number: from the timetable in memory, else PostgreSQL (a train without a route yet); 404 when unknown. */
  async train(number: string): Promise<Train> {
    return (await this.timetable.byNumber(number))?.train ?? this.trains.getByNumber(number);
  }

  /** The run of a train on a service date, or by default the run in progress (else the next one). */
  async ofTrain(number: string, date?: string): Promise<TrainLiveView> {
    // The timetable in memory answers the common case without touching PostgreSQL.
    const timetable = await this.timetable.byNumber(number);
    if (!timetable) await this.trains.getByNumber(number); // 404 TRAIN_NOT_FOUND for an unknown number
    if (!timetable || timetable.stops.length < 2) throw new NotFoundError('RUN_NOT_FOUND', `Train ${number} has no timetable`);
    const { train } = timetable;
    const now = this.clock.now();
    const serviceDate = date ?? currentServiceDate(timetable, now);
    if (!serviceDate || !runsOnDate(train.runsOn, serviceDate)) {
      throw new NotFoundError('RUN_NOT_FOUND', `Train ${number} does not run on ${serviceDate ?? 'any day soon'}`);
    }
    const [view] = await this.views([{ timetable, serviceDate }], now);
    return view;
  }

  /** The current run of each train (for favorites), in one cache read. */
  async ofTrains(trains: Train[]): Promise<Map<string, TrainLiveView>> {
    const now = this.clock.now();
    const all = await this.timetable.all();
    const runs = trains.flatMap((train) => {
      const timetable = all.get(train.id);
      const serviceDate = timetable && timetable.stops.length >= 2 ? currentServiceDate(timetable, now) : null;
      return timetable && serviceDate ? [{ timetable, serviceDate }] : [];
    });
    const views = await this.views(runs, now);
    return new Map(views.map((view) => [view.train.id, view]));
  }

  /** Trains arriving or departing at a station from now to `hours` ahead, by expected time. */
  async board(stationCode: string, hours: number): Promise<{ station: { code: string; name: string }; from: Date; to: Date; calls: BoardCall[] }> {
    const station = await this.stations.getByCode(stationCode);
    const now = this.clock.now();
    const until = addMinutes(now, hours * 60);
    const today = istDate(now);
    const runs: Array<{ timetable: TrainTimetable; serviceDate: string; sequence: number }> = [];
    for (const timetable of (await this.timetable.all()).values()) {
      const stop = timetable.stops.find((candidate) => candidate.stationId === station.id);
      if (!stop || timetable.stops.length < 2) continue;
      const dayOffset = stop.arrivalDay ?? stop.departureDay ?? 0;
      for (let back = dayOffset + 1; back >= -1; back--) {
        const serviceDate = addDays(today, -back);
        if (!runsOnDate(timetable.train.runsOn, serviceDate)) continue;
        const at = scheduledInstant(serviceDate, stop.arrivalMinute ?? stop.departureMinute!, stop.arrivalDay ?? stop.departureDay!);
        // Late trains still count: look back up to six hours of delay.
        if (at <= until && at >= addMinutes(now, -360)) runs.push({ timetable, serviceDate, sequence: stop.sequence });
      }
    }
    const views = await this.views(runs, now);
    const calls = views.flatMap((view, index): BoardCall[] => {
      const stop = view.stops[runs[index].sequence - 1];
      const when = stop.expectedDeparture ?? stop.expectedArrival ?? (stop.status === 'CURRENT' ? now : null);
      if (view.state.phase === 'CANCELLED') {
        const scheduled = stop.scheduledDeparture ?? stop.scheduledArrival!;
        if (scheduled < now || scheduled > until) return [];
      } else if (!when || when < now || when > until) {
        return [];
      }
      const stops = runs[index].timetable.stops;
      return [{ view, stop, origin: stops[0], destination: stops[stops.length - 1] }];
    });
    const timeOf = (call: BoardCall) =>
      (call.stop.expectedDeparture ?? call.stop.expectedArrival ?? call.stop.scheduledDeparture ?? call.stop.scheduledArrival!).getTime();
    calls.sort((a, b) => timeOf(a) - timeOf(b) || a.view.train.number.localeCompare(b.view.train.number));
    return { station: { code: station.code, name: station.name }, from: now, to: until, calls };
  }

  private async views(runs: Array<{ timetable: TrainTimetable; serviceDate: string }>, now: Date): Promise<TrainLiveView[]> {
    const { states } = await this.states.load(runs.map(({ timetable, serviceDate }) => ({ trainId: timetable.train.id, serviceDate })));
    return runs.map(({ timetable, serviceDate }) => {
      const { train, stops } = timetable;
      const state = states.get(runKey(train.id, serviceDate)) ?? scheduledState(train.id, train.number, serviceDate);
      return { ...liveView(state, stops, now), train };
    });
  }
}

/**
 * The run a traveller means by "the train now": the latest one that has left and not finished
 * (an hour of grace after arrival), otherwise the next to leave within a week.
 */
export function currentServiceDate(timetable: TrainTimetable, now: Date): string | null {
  const { train, stops } = timetable;
  const today = istDate(now);
  const lastDay = stops[stops.length - 1].arrivalDay ?? 0;
  for (let back = 0; back <= lastDay + 1; back++) {
    const date = addDays(today, -back);
    if (!runsOnDate(train.runsOn, date)) continue;
    if (departureOf(stops, date) <= now && addMinutes(arrivalOf(stops, date), 60) >= now) return date;
  }
  for (let ahead = -1; ahead <= 7; ahead++) {
    const date = addDays(today, ahead);
    if (runsOnDate(train.runsOn, date) && departureOf(stops, date) > now) return date;
  }
  return null;
}
