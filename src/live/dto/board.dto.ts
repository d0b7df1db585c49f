import { isoOrNull } from '../../trains/service-time.js';
import { ApiProperty } from '@nestjs/swagger';
import { StationRefDto } from '../../routes/dto/station-ref.dto.js';
import type { BoardCall } from '../live-status.service.js';
import { RUN_PHASES, type RunPhase } from '../run-state.js';
import { LiveTrainRefDto } from './live-status.dto.js';


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

  @ApiProperty({ type: String, nullable: true, example: '5' })
  platform: string | null;

  @ApiProperty({ enum: RUN_PHASES, enumName: 'RunPhase' })
  state: RunPhase;

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
      state: view.state.phase,
    };
  }
}

export class StationBoardDto {
  @ApiProperty({ type: StationRefDto })
  station: StationRefDto;

  @ApiProperty({ type: String, format: 'date-time' })
  from: string;

  @ApiProperty({ type: String, format: 'date-time' })
  to: string;

  @ApiProperty({ type: [BoardCallDto], description: 'Arrivals and departures by expected time.' })
  calls: BoardCallDto[];
}
