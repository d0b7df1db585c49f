import { isoOrNull } from '../../trains/service-time.js';
import { ApiProperty } from '@nestjs/swagger';
import { StationRefDto } from '../../routes/dto/station-ref.dto.js';
import type { BoardCall, StationBoard } from '../live.model.js';
import { RUN_PHASES, type RunPhase } from '../run-state.js';
import { freshnessOf, LiveTrainRefDto, PlatformsDto, StopTimeDto } from './live-status.dto.js';


export class BoardCallDto {
  @ApiProperty({ type: LiveTrainRefDto })
  train: LiveTrainRefDto;

  @ApiProperty({ example: '2026-11-24', format: 'date' })
  serviceDate: string;

  @ApiProperty({ type: StationRefDto })
  origin: StationRefDto;

  @ApiProperty({ type: StationRefDto })
  destination: StationRefDto;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null at the train’s origin.' })
  scheduledArrival: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null at the train’s destination.' })
  scheduledDeparture: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expectedArrival: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expectedDeparture: string | null;

  @ApiProperty({ example: 12 })
  delayMinutes: number;

  @ApiProperty({ type: String, nullable: true, example: '5', description: 'The current platform (platforms.current).' })
  platform: string | null;

  @ApiProperty({ type: StopTimeDto, nullable: true, description: 'Null at the train’s origin.' })
  arrival: StopTimeDto | null;

  @ApiProperty({ type: StopTimeDto, nullable: true, description: 'Null at the train’s destination.' })
  departure: StopTimeDto | null;

  @ApiProperty({ type: PlatformsDto })
  platforms: PlatformsDto;

  @ApiProperty({ description: 'The live source says the train will not call here (listed until its timetable time, like a cancelled run’s call).' })
  skipped: boolean;

  @ApiProperty({ enum: RUN_PHASES, enumName: 'RunPhase' })
  state: RunPhase;

  @ApiProperty({ description: 'Whether the run has live data now (reported on, and its feed data not older than LIVE_DATA_STALE_AFTER_SECONDS); false: timetable times only.' })
  realtime: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the source’s latest data on this run was produced; null when nothing was reported.' })
  lastDataAt: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 42, description: 'Seconds from lastDataAt to the board’s asOf; null when nothing was reported.' })
  dataAgeSeconds: number | null;

  @ApiProperty({ example: 3, description: 'Version of the run (per train number and serviceDate), as in its live status.' })
  version: number;

  static from({ view, stop, origin, destination }: BoardCall): BoardCallDto {
    return {
      train: { number: view.train.number, name: view.train.name },
      serviceDate: view.state.serviceDate,
      origin: { code: origin.station!.code, name: origin.station!.name },
      destination: { code: destination.station!.code, name: destination.station!.name },
      scheduledArrival: isoOrNull(stop.scheduledArrival),
      scheduledDeparture: isoOrNull(stop.scheduledDeparture),
      expectedArrival: isoOrNull(stop.expectedArrival),
      expectedDeparture: isoOrNull(stop.expectedDeparture),
      delayMinutes: view.state.delayMinutes,
      platform: stop.platform,
      arrival: StopTimeDto.from(stop.arrival),
      departure: StopTimeDto.from(stop.departure),
      platforms: PlatformsDto.from(stop.platforms),
      skipped: stop.status === 'SKIPPED',
      state: view.state.phase,
      realtime: view.realtime,
      ...freshnessOf(view),
      version: view.state.version,
    };
  }
}

export class StationBoardDto {
  @ApiProperty({ type: StationRefDto })
  station: StationRefDto;

  @ApiProperty({ type: String, format: 'date-time', description: 'Now, on the app clock: the board was computed for this instant.' })
  from: string;

  @ApiProperty({ type: String, format: 'date-time' })
  to: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'The instant this was computed for, on the app clock (same as from).' })
  asOf: string;

  @ApiProperty({
    type: [BoardCallDto],
    description:
      'Calls still to come by `to`, by expected time: trains due to arrive or leave, trains standing at the platform, and late trains not yet reported there. ' +
      'A train drops off once it has left the station (or arrived, where its journey ends); nothing of the past is listed.',
  })
  calls: BoardCallDto[];

  static from(board: StationBoard): StationBoardDto {
    return {
      station: board.station,
      from: board.from.toISOString(),
      to: board.to.toISOString(),
      asOf: board.from.toISOString(),
      calls: board.calls.map(BoardCallDto.from),
    };
  }
}
