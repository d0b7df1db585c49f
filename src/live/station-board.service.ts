import { Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../common/clock/clock.js';
import { TimetableService } from '../routes/timetable.service.js';
import { StationsService } from '../stations/stations.service.js';
import { addDays, addMinutes, localDate, scheduledInstant } from '../trains/service-time.js';
import type { BoardCall, LiveStop, StationBoard, TrainLiveView } from './live.model.js';
import { LiveStatusService, runOf, type RunOfTimetable } from './live-status.service.js';

/** Late trains still count: runs are looked up to this far behind their timetable. */
const LOOKBACK_MINUTES = 360;

/**
 * Whether a call is still to come at `now` and due by `until`: a train standing at the platform
 * (unless this is where its journey ends), or due to arrive or leave. A late train whose
 * expected time has passed stays while its source has not reported it there; a run without
 * live data is taken at its timetable and drops off once that time has passed. Once a train has
 * left (or arrived at its destination), the call is gone: the board shows nothing of the past.
 */
function stillToCome(view: TrainLiveView, stop: LiveStop, now: Date, until: Date): boolean {
  // A call that will not happen (run cancelled, stop skipped) is listed until its timetable time, so riders see it.
  if (view.state.phase === 'CANCELLED' || stop.status === 'SKIPPED') {
    const scheduled = stop.scheduledDeparture ?? stop.scheduledArrival!;
    return scheduled >= now && scheduled <= until;
  }
  if (stop.status === 'PASSED') return false;
  if (stop.status === 'CURRENT') return stop.scheduledDeparture !== null;
  const when = stop.expectedArrival ?? stop.expectedDeparture!;
  return when <= until && (when >= now || view.realtime);
}

const timeOf = (call: BoardCall) =>
  (call.stop.expectedArrival ?? call.stop.expectedDeparture ?? call.stop.actualArrival ?? call.stop.scheduledDeparture ?? call.stop.scheduledArrival!).getTime();

@Injectable()
export class StationBoardService {
  constructor(
    private readonly stations: StationsService,
    private readonly timetable: TimetableService,
    private readonly live: LiveStatusService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Calls at a station still to come from now to `hours` ahead, by expected time. Each run is
   * read with the stops it runs that day, in its train's time zone; a pattern calling at the
   * station twice is on the board for each call.
   */
  async board(stationCode: string, hours: number): Promise<StationBoard> {
    const station = await this.stations.getByCode(stationCode);
    const now = this.clock.now();
    const until = addMinutes(now, hours * 60);
    const runs: Array<RunOfTimetable & { sequence: number }> = [];
    for (const timetable of await this.timetable.callingAt(station.id)) {
      const zone = timetable.train.timeZone;
      const today = localDate(now, zone);
      const offsets = new Set(timetable.patterns.flatMap(({ stops }) => stops.filter((stop) => stop.stationId === station.id).map((stop) => stop.arrivalDay ?? stop.departureDay ?? 0)));
      if (offsets.size === 0) continue;
      for (let back = Math.max(...offsets) + 1; back >= -1; back--) {
        const run = runOf(timetable, addDays(today, -back));
        if (!run) continue;
        for (const stop of run.stops) {
          if (stop.stationId !== station.id) continue;
          const at = scheduledInstant(run.serviceDate, stop.arrivalMinute ?? stop.departureMinute!, stop.arrivalDay ?? stop.departureDay!, zone);
          if (at <= until && at >= addMinutes(now, -LOOKBACK_MINUTES)) runs.push({ ...run, sequence: stop.sequence });
        }
      }
    }
    const views = await this.live.views(runs, now);
    const calls = views.flatMap((view, index): BoardCall[] => {
      const stop = view.stops[runs[index].sequence - 1];
      if (!stillToCome(view, stop, now, until)) return [];
      const stops = runs[index].stops;
      return [{ view, stop, origin: stops[0], destination: stops[stops.length - 1] }];
    });
    calls.sort((a, b) => timeOf(a) - timeOf(b) || a.view.train.number.localeCompare(b.view.train.number));
    return { station: { code: station.code, name: station.name }, from: now, to: until, calls };
  }
}
