import { isoOrNull } from '../../trains/service-time.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate } from '../../common/validation/codes.js';
import { type ExpectedStop, type ExpectedTime, TIME_SOURCES, type TimeSource } from '../expected-times.js';
import { ACTUAL_TIMES, type ActualTimes, LIVE_STOP_STATUSES, type LiveStop, type LiveView, type TrainLiveView } from '../live.model.js';
import { RUN_DAYS_AHEAD, RUN_DAYS_BACK } from '../run-window.js';
import { RUN_PHASES, RUN_SOURCES, type RunPhase, type RunSource } from '../run-state.js';
import { IsOmittable } from '../../common/validation/omittable.js';
import { IsQueryInteger } from '../../common/validation/query-integer.js';


export class RunDateQueryDto {
  @ApiPropertyOptional({
    example: '2026-11-24',
    format: 'date',
    description:
      `Service date (the day the train leaves its origin). Default: the run in progress, else the next one. ` +
      `Served from ${RUN_DAYS_BACK} days before to ${RUN_DAYS_AHEAD} days after today (timetable time); outside that, 404 RUN_NOT_FOUND.`,
  })
  @IsOmittable()
  @IsCalendarDate()
  date?: string;
}

export class BoardQueryDto {
  @IsQueryInteger({ minimum: 1, maximum: 24, default: 2, description: 'How many hours ahead.' })
  hours: number = 2;
}

export class LiveTrainRefDto {
  @ApiProperty({ example: '12951' })
  number: string;

  @ApiProperty({ example: 'Mumbai Rajdhani Express' })
  name: string;
}

/** One expected event at a stop (an arrival or a departure): when it was planned, when it is expected, and how that is known. */
export class StopTimeDto {
  @ApiProperty({ type: String, format: 'date-time', description: 'The timetable time.' })
  scheduled: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When it is expected, or, once it happened, when it was observed to happen. Null when the stop is not served (skipped, run cancelled) or it happened without a recorded time.',
  })
  expected: string | null;

  @ApiProperty({
    enum: TIME_SOURCES,
    enumName: 'TimeSource',
    nullable: true,
    description:
      'Where `expected` comes from: REALTIME (the live source gave this stop its own time, or the time it happened), PROPAGATED (carried from an earlier stop, or the run’s one delay), ' +
      'SCHEDULE (no live data reaches this stop: the timetable’s time, which says nothing of whether the train is on time). Null exactly when `expected` is null.',
  })
  source: TimeSource | null;

  static from(time: ExpectedTime | null): StopTimeDto | null {
    return time ? { scheduled: time.scheduled.toISOString(), expected: isoOrNull(time.expected), source: time.source } : null;
  }
}

/** The platform of a call: the timetable's and the current one (they differ after a platform change). */
export class PlatformsDto {
  @ApiProperty({ type: String, nullable: true, example: 'T2', description: 'The timetable’s platform.' })
  planned: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'T1', description: 'The platform now expected (a live source’s assignment, else the planned one).' })
  current: string | null;

  static from(platform: ExpectedStop['platform']): PlatformsDto {
    return { planned: platform.planned, current: platform.current };
  }
}

/** How fresh a run's live data is; the same fields on status, timeline, board calls and `train.status`. */
const lastDataAtProperty = {
  type: String,
  format: 'date-time',
  nullable: true,
  description: 'When the source’s latest data on this run was produced (a feed’s timestamp; for the simulator and operator reports, whose word does not age, the last change). Null when nothing was reported.',
} as const;
const dataAgeProperty = {
  type: Number,
  nullable: true,
  example: 42,
  description: 'Seconds from lastDataAt to asOf. A run whose feed data is older than LIVE_DATA_STALE_AFTER_SECONDS has realtime false. Null when nothing was reported.',
} as const;

export const freshnessOf = (view: LiveView) => ({ lastDataAt: isoOrNull(view.lastDataAt), dataAgeSeconds: view.dataAgeSeconds });

export class LastStationDto {
  @ApiProperty({ example: 'BRC' })
  code: string;

  @ApiProperty({ example: 'Vadodara Junction' })
  name: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  arrivedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null while the train stands there.' })
  departedAt: string | null;
}

export class NextStationDto {
  @ApiProperty({ example: 'KOTA' })
  code: string;

  @ApiProperty({ example: 'Kota Junction' })
  name: string;

  @ApiProperty({ type: String, format: 'date-time' })
  scheduledArrival: string;

  @ApiProperty({ type: String, format: 'date-time' })
  expectedArrival: string;

  @ApiProperty({ type: String, nullable: true, example: '3', description: 'The current platform (platforms.current).' })
  platform: string | null;

  @ApiProperty({ type: StopTimeDto, description: 'scheduledArrival and expectedArrival, saying where the expected time comes from.' })
  arrival: StopTimeDto;

  @ApiProperty({ type: PlatformsDto })
  platforms: PlatformsDto;
}

export class PositionDto {
  @ApiProperty({ example: 25.1802 })
  latitude: number;

  @ApiProperty({ example: 75.8335 })
  longitude: number;
}

/** The live state of a run; the same shape is pushed as `train.status` over Socket.IO. */
export class LiveStatusDto {
  @ApiProperty({ type: LiveTrainRefDto })
  train: LiveTrainRefDto;

  @ApiProperty({ example: '2026-11-24', format: 'date', description: 'The day the train left (leaves) its origin.' })
  serviceDate: string;

  @ApiProperty({ enum: RUN_PHASES, enumName: 'RunPhase', example: 'RUNNING' })
  state: RunPhase;

  @ApiProperty({ example: 35, description: 'Minutes late (negative: early).' })
  delayMinutes: number;

  @ApiProperty({ type: LastStationDto, nullable: true, description: 'Last station reached; null before departure.' })
  lastStation: LastStationDto | null;

  @ApiProperty({ type: NextStationDto, nullable: true, description: 'Next station; null once arrived or cancelled.' })
  nextStation: NextStationDto | null;

  @ApiProperty({ type: PositionDto, nullable: true, description: 'Interpolated between stations by time; null when cancelled or unknown.' })
  position: PositionDto | null;

  @ApiProperty({ type: String, nullable: true, example: '3', description: 'Platform at the station the train is at or heading to.' })
  platform: string | null;

  @ApiProperty({ enum: RUN_SOURCES, enumName: 'RunSource', description: 'Where the last change came from.' })
  source: RunSource;

  @ApiProperty({
    description:
      'Whether the run has live data now: a source (feed, simulator or operator) has reported on it and, for a feed, its latest data is not older than LIVE_DATA_STALE_AFTER_SECONDS. ' +
      'false: no live data (never reported, or the feed went quiet): times are the timetable’s and say nothing of whether it is on time.',
  })
  realtime: boolean;

  @ApiProperty(lastDataAtProperty)
  lastDataAt: string | null;

  @ApiProperty(dataAgeProperty)
  dataAgeSeconds: number | null;

  @ApiProperty({
    example: 7,
    description: 'Grows with every change of this run (versions are per run: key your copy by train number and serviceDate); drop an update not newer than the one you have. 0 = nothing reported yet.',
  })
  version: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Last change; null while nothing has been reported.' })
  updatedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', description: 'The instant this was computed for, on the app clock (the one every time here is on).' })
  asOf: string;

  static from(view: TrainLiveView): LiveStatusDto {
    const { state, lastStop, nextStop } = view;
    return {
      train: { number: view.train.number, name: view.train.name },
      serviceDate: state.serviceDate,
      state: state.phase,
      delayMinutes: state.delayMinutes,
      lastStation: lastStop
        ? { code: lastStop.stationCode, name: lastStop.stationName, arrivedAt: isoOrNull(lastStop.actualArrival), departedAt: isoOrNull(lastStop.actualDeparture) }
        : null,
      nextStation:
        nextStop && nextStop.scheduledArrival
          ? {
              code: nextStop.stationCode,
              name: nextStop.stationName,
              scheduledArrival: nextStop.scheduledArrival.toISOString(),
              expectedArrival: (nextStop.expectedArrival ?? nextStop.scheduledArrival).toISOString(),
              platform: nextStop.platform,
              arrival: StopTimeDto.from(nextStop.arrival)!,
              platforms: PlatformsDto.from(nextStop.platforms),
            }
          : null,
      position: view.position,
      platform: state.platform,
      source: state.source,
      realtime: view.realtime,
      ...freshnessOf(view),
      version: state.version,
      updatedAt: state.version > 0 ? state.updatedAt : null,
      asOf: view.asOf.toISOString(),
    };
  }
}

export class TimelineStopDto {
  @ApiProperty({ example: 1 })
  sequence: number;

  @ApiProperty({ example: 'MMCT' })
  stationCode: string;

  @ApiProperty({ example: 'Mumbai Central' })
  stationName: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  scheduledArrival: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  scheduledDeparture: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  actualArrival: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  actualDeparture: string | null;

  @ApiProperty({
    enum: ACTUAL_TIMES,
    enumName: 'ActualTimes',
    description: 'RECORDED: the actual times are observed ones; NO_DATA: the train has passed but its source gave no times; PENDING: not reached yet.',
  })
  actualTimes: ActualTimes;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'For stops not reached yet (arrival.expected); null once reached, or when skipped or cancelled.' })
  expectedArrival: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'For stops not left yet (departure.expected); null once left, or when skipped or cancelled.' })
  expectedDeparture: string | null;

  @ApiProperty({ type: String, nullable: true, example: '3', description: 'The current platform (platforms.current).' })
  platform: string | null;

  @ApiProperty({ enum: LIVE_STOP_STATUSES, enumName: 'LiveStopStatus', description: 'SKIPPED: the live source says the train does (did) not call here.' })
  status: LiveStop['status'];

  @ApiProperty({ type: StopTimeDto, nullable: true, description: 'Null at the origin (no arrival).' })
  arrival: StopTimeDto | null;

  @ApiProperty({ type: StopTimeDto, nullable: true, description: 'Null at the destination (no departure).' })
  departure: StopTimeDto | null;

  @ApiProperty({ type: PlatformsDto })
  platforms: PlatformsDto;

  static from(stop: LiveStop): TimelineStopDto {
    return {
      sequence: stop.sequence,
      stationCode: stop.stationCode,
      stationName: stop.stationName,
      scheduledArrival: isoOrNull(stop.scheduledArrival),
      scheduledDeparture: isoOrNull(stop.scheduledDeparture),
      actualArrival: isoOrNull(stop.actualArrival),
      actualDeparture: isoOrNull(stop.actualDeparture),
      actualTimes: stop.actualTimes,
      expectedArrival: isoOrNull(stop.expectedArrival),
      expectedDeparture: isoOrNull(stop.expectedDeparture),
      platform: stop.platform,
      status: stop.status,
      arrival: StopTimeDto.from(stop.arrival),
      departure: StopTimeDto.from(stop.departure),
      platforms: PlatformsDto.from(stop.platforms),
    };
  }
}

export class TimelineDto extends LiveStatusDto {
  @ApiProperty({ type: [TimelineStopDto], description: 'Every stop: scheduled, actual (reached) and expected (ahead) times.' })
  stops: TimelineStopDto[];

  static override from(view: TrainLiveView): TimelineDto {
    return { ...LiveStatusDto.from(view), stops: view.stops.map(TimelineStopDto.from) };
  }
}
