import { Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../common/clock/clock.js';
import { minutesFromStart } from '../routes/schedule-time.js';
import { patternOn } from '../routes/timetable.model.js';
import { TimetableService } from '../routes/timetable.service.js';
import type { Station } from '../stations/station.entity.js';
import { StationsService } from '../stations/stations.service.js';
import { addDays, addMinutes, localDate, serviceDayStartMs } from '../trains/service-time.js';
import type { BoardCall, LiveStop, StationBoard, TrainLiveView } from './live.model.js';
import { LiveStatusService, type RunOfTimetable } from './live-status.service.js';
import { hasLeft } from './live-view.js';
import { runKey } from './run-state.js';
import { RunStatesService } from './run-states.service.js';

/** Late trains still count: runs are looked up to this far behind their timetable. */
const LOOKBACK_MINUTES = 360;
const MINUTE_MS = 60_000;

/**
 * A board is served again for this long (app clock) to requests for the same station and hours:
 * a busy station's board reads some seventy runs' states, so it is worked out about once a second
 * however many screens poll it. A state written on this instance, or a new catalog, ends that at once.
 */
export const BOARD_REUSE_MS = 1000;

/** A board worked out recently, and what it was worked out from. */
interface RecentBoard {
  at: number;
  catalog: string;
  stateWrites: number;
  board: Promise<StationBoard>;
}

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
  /** Boards worked out in the last BOARD_REUSE_MS, by station and hours. */
  private readonly recent = new Map<string, RecentBoard>();

  constructor(
    private readonly stations: StationsService,
    private readonly timetable: TimetableService,
    private readonly live: LiveStatusService,
    private readonly states: RunStatesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Calls at a station still to come from now to `hours` ahead, by expected time (see
   * BOARD_REUSE_MS: `from` says when it was worked out). Each run is read with the stops it runs
   * that day, in its train's time zone; a pattern calling at the station twice is on the board
   * for each call.
   */
  async board(stationCode: string, hours: number): Promise<StationBoard> {
    const station = await this.stations.getByCode(stationCode);
    const now = this.clock.now();
    const catalog = await this.timetable.version();
    const stateWrites = this.states.writes;
    const key = `${station.id}|${hours}`;
    const recent = this.recent.get(key);
    const age = recent ? now.getTime() - recent.at : -1;
    if (recent && age >= 0 && age < BOARD_REUSE_MS && recent.catalog === catalog && recent.stateWrites === stateWrites) return recent.board;
    if (this.recent.size >= 1000) for (const [old, { at }] of this.recent) if (now.getTime() - at >= BOARD_REUSE_MS) this.recent.delete(old);
    const entry = { at: now.getTime(), catalog, stateWrites, board: this.workOut(station, hours, now) };
    this.recent.set(key, entry);
    // A failed one is not served again.
    entry.board.catch(() => this.recent.get(key) === entry && this.recent.delete(key));
    return entry.board;
  }

  private async workOut(station: Station, hours: number, now: Date): Promise<StationBoard> {
    const until = addMinutes(now, hours * 60);
    const earliest = addMinutes(now, -LOOKBACK_MINUTES).getTime();
    // The service date `back` days before today in a zone (back ≥ -1), worked out once per request.
    const datesBack = new Map<string, string[]>();
    const dateBack = (zone: string, back: number) => {
      let dates = datesBack.get(zone);
      if (!dates) datesBack.set(zone, (dates = []));
      return (dates[back + 1] ??= addDays(localDate(now, zone), -back));
    };
    const runs: Array<RunOfTimetable & { sequence: number; at: number }> = [];
    for (const { timetable, calls } of await this.timetable.callsAt(station.id)) {
      const zone = timetable.train.timeZone;
      const latestDay = Math.max(...calls.map(({ stop }) => stop.arrivalDay ?? stop.departureDay ?? 0));
      for (let back = latestDay + 1; back >= -1; back--) {
        const serviceDate = dateBack(zone, back);
        const dayStart = serviceDayStartMs(serviceDate, zone);
        for (const { pattern, stop } of calls) {
          const at = dayStart + minutesFromStart(stop.arrivalMinute ?? stop.departureMinute!, stop.arrivalDay ?? stop.departureDay!) * MINUTE_MS;
          // The time first, which pattern runs that day (calendar arithmetic) only for calls in the window.
          if (at > until.getTime() || at < earliest || patternOn(timetable, serviceDate) !== pattern) continue;
          runs.push({ timetable, serviceDate, stops: pattern.stops, sequence: stop.sequence, at });
        }
      }
    }
    const states = await this.live.statesOf(runs);
    // Calls that cannot be to come need no live view (see stillToCome): one the train has left, and
    // one of a run nobody has reported on (taken at its timetable) once it is due.
    const shown = runs.filter((run) => {
      const state = states.get(runKey(run.timetable.train.id, run.serviceDate));
      return state ? state.phase === 'CANCELLED' || !hasLeft(state, run.sequence) : run.at >= now.getTime();
    });
    const views = this.live.viewsWith(shown, states, now);
    const calls = views.flatMap((view, index): BoardCall[] => {
      const stop = view.stops[shown[index].sequence - 1];
      if (!stillToCome(view, stop, now, until)) return [];
      const stops = shown[index].stops;
      return [{ view, stop, origin: stops[0], destination: stops[stops.length - 1] }];
    });
    calls.sort((a, b) => timeOf(a) - timeOf(b) || a.view.train.number.localeCompare(b.view.train.number));
    return { station: { code: station.code, name: station.name }, from: now, to: until, calls };
  }
}
